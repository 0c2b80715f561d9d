// From the text of a .loss.json file to a runnable spec and dataset, or to the list of
// problems that stop it: syntax, schema, then checks the schema cannot express (shapes,
// CSV columns, targets that fit the loss, names that refer to something, sizes that fit
// in memory). Pure: files are read through the callback the caller provides.
import { buildDataset, type ReadBinary, type ReadFile } from './loadData';
import { WeightFileError } from '../data/safetensors';
import { pointFromTensors, readWeightFile } from './weights';
import { generatorShape } from '../data/generators';
import type { Dataset } from '../data/dataset';
import { parseExpression } from '../model/expression';
import { LOSSES } from '../model/losses';
import { MlpArchitecture } from '../model/architecture';
import { parseJson } from './parseJson';
import type { SourceLocator } from './locate';
import { formatJsonPath, type JsonPath, type Problem } from '../../protocol/problems';
import { resolveSpec } from './resolve';
import { checkAgainstSchema } from './schemaCheck';
import { checkBudget, checkWorkingMemory, DEFAULT_MEMORY_BUDGET } from './budget';
import { HYPERPARAMETERS, OPTIMIZERS, type HyperparameterName } from '../optim/optimizers';
import {
  LOSS_NAMES,
  OPTIMIZER_NAMES,
  type LossName,
  type ModelSpec,
  type PointSpec,
  type ResolvedSpec,
} from '../vocabulary';
import { parseId } from '../../protocol/ids';
import { plural } from '../../protocol/wording';

export interface LoadOptions {
  /** File name for messages and the default title. */
  fileName: string;
  readFile?: ReadFile;
  /** Reads weight files (points' "weights"); without it, such points are an error. */
  readBinary?: ReadBinary;
  /** Memory this tool allows itself, in bytes (default 4 GiB). */
  memoryBudget?: number;
  /** Exact-Hessian limit when the file sets none (the editor's setting; default 1000). */
  exactLimit?: number;
  /**
   * Only the problems are wanted (the editor, on every edit): a generated dataset is built
   * from its first VALIDATION_SAMPLES samples, enough to check its targets (two-class sets
   * alternate their labels), while its size checks use the full count.
   */
  validateOnly?: boolean;
}

/** Samples of a generated dataset built when only validating. */
export const VALIDATION_SAMPLES = 256;

export interface LoadedSpec {
  spec?: ResolvedSpec;
  dataset?: Dataset;
  problems: Problem[];
}

export function loadSpec(text: string, options: LoadOptions): LoadedSpec {
  const parsed = parseJson(text);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const { value, locator } = parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problems: [
        locator.problemAt(
          [],
          'a .loss.json file must be a JSON object with at least "data" and "model"',
        ),
      ],
    };
  }
  const schemaProblems = checkAgainstSchema(value, locator);
  if (schemaProblems.length > 0) return { problems: schemaProblems };

  const problems: Problem[] = [];
  const { rawPoints, ...resolved } = resolveSpec(value, options.fileName, options.exactLimit);
  const budget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
  let dataSpec = resolved.data;
  if (dataSpec.kind === 'generator') {
    // Refuse before allocating: a generator's size is known up front.
    const shape = generatorShape(dataSpec);
    checkWorkingMemory(resolved, shape.samples, budget, locator, problems);
    if (problems.length > 0) return { problems };
    if (options.validateOnly && shape.samples > VALIDATION_SAMPLES)
      dataSpec = { ...dataSpec, samples: VALIDATION_SAMPLES };
  }
  const dataset = buildDataset(dataSpec, locator, options.readFile, problems);
  if (!dataset) return { problems };
  const samples =
    resolved.data.kind === 'generator' ? generatorShape(resolved.data).samples : dataset.samples;

  const parameterCount = checkModel(resolved.model, resolved.loss, dataset, locator, problems);
  if (parameterCount === undefined) return { problems };
  const points = resolvePoints(
    options.readBinary,
    rawPoints,
    resolved.model,
    dataset.inputDim,
    parameterCount,
    locator,
    problems,
  );
  const spec: ResolvedSpec = { ...resolved, points };
  if (spec.training.runs === 0 && spec.points.length === 0 && spec.analysis.search.starts === 0) {
    problems.push(
      locator.problemAt(
        [],
        'the file trains no runs ("training.runs": 0), names no points and searches nothing: there is nothing to analyze',
        {
          severity: 'warning',
        },
      ),
    );
  }
  checkTraining(spec, (value as { training?: object }).training ?? {}, samples, locator, problems);
  checkReferences(spec, locator, problems);
  checkSliceParameters(spec, parameterLookup(spec, dataset.inputDim), locator, problems);
  checkBudget(spec, { samples, parameterCount }, budget, locator, problems);
  if (options.validateOnly || problems.some((p) => p.severity === 'error')) return { problems };
  return { spec, dataset, problems };
}

// ---------------------------------------------------------------------------------------
// Model, loss and targets

/** Checks the model against the data and loss; converts class-index targets to one-hot rows. */
function checkModel(
  model: ModelSpec,
  loss: ResolvedSpec['loss'],
  dataset: Dataset,
  locator: SourceLocator,
  problems: Problem[],
): number | undefined {
  const before = problems.length;
  const { targets, lastActivation } = LOSSES[loss];
  if (model.kind === 'expression') {
    const { problems: expressionProblems } = parseExpression(model.expression, {
      parameters: model.parameters,
      inputDim: dataset.inputDim,
    });
    for (const problem of expressionProblems) {
      problems.push(
        locator.problemAt(['model', 'expression'], `model.expression: ${problem.message}`, {
          offsetInValue:
            problem.index !== undefined && problem.index >= 0 ? problem.index : undefined,
        }),
      );
    }
    if (dataset.targetDim !== 1) {
      problems.push(
        locator.problemAt(
          ['data'],
          `an expression model has one output, but the data has ${dataset.targetDim} target columns`,
        ),
      );
    }
    if (targets === 'classes') {
      const others = LOSS_NAMES.filter((name) => LOSSES[name].targets !== 'classes');
      problems.push(
        locator.problemAt(
          ['loss'],
          `loss: ${loss} needs at least two outputs (one per class); an expression model has one — use ${orList(others.map((name) => `"${name}"`))}`,
        ),
      );
    }
    if (targets === 'probabilities') checkProbabilities(loss, dataset, locator, problems);
    return problems.length > before ? undefined : model.parameters.length;
  }

  const last = model.layers.length - 1;
  const output = model.layers[last];
  const lastPath = ['model', 'layers', last];
  if (lastActivation && !lastActivation.allowed.includes(output.activation)) {
    problems.push(
      locator.problemAt(
        [...lastPath, 'activation'],
        `model.layers[${last}].activation: ${lastActivation.because}, so its activation must be ${orList(lastActivation.allowed)}, not ${output.activation}`,
      ),
    );
  }
  if (targets === 'classes') {
    if (output.units < 2) {
      problems.push(
        locator.problemAt(
          [...lastPath, 'units'],
          `model.layers[${last}].units: ${loss} needs one output per class (at least 2), got ${output.units}`,
        ),
      );
    } else {
      convertClassTargets(loss, dataset, output.units, locator, problems);
    }
  } else {
    if (targets === 'probabilities') checkProbabilities(loss, dataset, locator, problems);
    if (output.units !== dataset.targetDim) {
      problems.push(
        locator.problemAt(
          [...lastPath, 'units'],
          `model.layers[${last}].units is ${output.units}, but the data has ${dataset.targetDim} target column${dataset.targetDim === 1 ? '' : 's'}: the last layer needs one unit per target`,
        ),
      );
    }
  }
  if (problems.length > before) return undefined;
  return new MlpArchitecture(dataset.inputDim, model.layers).parameterCount;
}

/** "a", "a or b", "a, b or c". */
function orList(words: readonly string[]): string {
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function checkProbabilities(
  loss: LossName,
  dataset: Dataset,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const bad = dataset.targets.findIndex((t) => t < 0 || t > 1);
  if (bad >= 0) {
    const row = Math.floor(bad / dataset.targetDim);
    problems.push(
      locator.problemAt(
        targetPath(row),
        `loss: ${loss} needs targets between 0 and 1, but sample ${row} has target ${dataset.targets[bad]}`,
      ),
    );
  }
}

/** Class indices (one column) become one-hot rows; one-hot rows are checked. */
function convertClassTargets(
  loss: LossName,
  dataset: Dataset,
  classes: number,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const { samples, targetDim, targets } = dataset;
  if (targetDim === 1) {
    const oneHot = new Float64Array(samples * classes);
    for (let n = 0; n < samples; n++) {
      const label = targets[n];
      if (!Number.isInteger(label) || label < 0 || label >= classes) {
        problems.push(
          locator.problemAt(
            targetPath(n),
            `loss: ${loss} needs class indices 0…${classes - 1} (the last layer has ${classes} units), but sample ${n} has target ${label}`,
          ),
        );
        return;
      }
      oneHot[n * classes + label] = 1;
    }
    dataset.targets = oneHot;
    dataset.targetDim = classes;
    dataset.targetNames = Array.from({ length: classes }, (_, c) => `class ${c}`);
    return;
  }
  if (targetDim !== classes) {
    problems.push(
      locator.problemAt(
        ['data'],
        `loss: ${loss} targets are class indices (one column) or one-hot rows of ${classes} values (one per output unit); the data has ${plural(targetDim, 'target column')}`,
      ),
    );
    return;
  }
  for (let n = 0; n < samples; n++) {
    let sum = 0;
    let negative = false;
    for (let c = 0; c < classes; c++) {
      sum += targets[n * classes + c];
      negative ||= targets[n * classes + c] < 0;
    }
    if (negative || Math.abs(sum - 1) > 1e-9) {
      problems.push(
        locator.problemAt(
          targetPath(n),
          `loss: ${loss} target rows must be one-hot (or probabilities summing to 1); sample ${n} sums to ${sum}`,
        ),
      );
      return;
    }
  }
}

function targetPath(row: number): (string | number)[] {
  return ['data', 'targets', row];
}

// ---------------------------------------------------------------------------------------
// Points

/* eslint-disable @typescript-eslint/no-explicit-any -- schema-valid JSON */
function resolvePoints(
  readBinary: ReadBinary | undefined,
  raw: any[],
  model: ModelSpec,
  inputDim: number,
  parameterCount: number,
  locator: SourceLocator,
  problems: Problem[],
): PointSpec[] {
  const points: PointSpec[] = [];
  const names = new Set<string>();
  raw.forEach((point, index) => {
    const label = `points[${index}] ('${point.name}')`;
    const path = ['points', index];
    if (names.has(point.name)) {
      problems.push(
        locator.problemAt(
          [...path, 'name'],
          `${label}: another point is already named '${point.name}'`,
        ),
      );
    }
    names.add(point.name);
    let parameters: number[] | undefined;
    if (point.vector) {
      if (point.vector.length !== parameterCount) {
        problems.push(
          locator.problemAt(
            [...path, 'vector'],
            `${label}: vector has ${plural(point.vector.length, 'value')}, the model has ${plural(parameterCount, 'parameter')}`,
          ),
        );
      } else parameters = point.vector;
    } else if (point.values) {
      if (model.kind !== 'expression') {
        problems.push(
          locator.problemAt(
            [...path, 'values'],
            `${label}: "values" is for expression models; give an MLP point as "layers" or "vector"`,
          ),
        );
      } else {
        const missing = model.parameters.filter((p) => !(p in point.values));
        const unknown = Object.keys(point.values).filter((k) => !model.parameters.includes(k));
        if (missing.length > 0)
          problems.push(
            locator.problemAt(
              [...path, 'values'],
              `${label}: no value for ${missing.map((m) => `'${m}'`).join(', ')}`,
            ),
          );
        for (const key of unknown) {
          problems.push(
            locator.problemAt(
              [...path, 'values', key],
              `${label}: '${key}' is not a parameter (parameters: ${model.parameters.join(', ')})`,
              { onKey: true },
            ),
          );
        }
        if (missing.length === 0 && unknown.length === 0)
          parameters = model.parameters.map((p) => point.values[p]);
      }
    } else if (typeof point.weights === 'string') {
      const weights = pointFromWeights(point, model, inputDim, readBinary);
      if ('problem' in weights)
        problems.push(locator.problemAt([...path, weights.key], `${label}: ${weights.problem}`));
      else {
        points.push({ name: point.name, ...weights });
        return;
      }
    } else if (point.layers) {
      if (model.kind !== 'mlp') {
        problems.push(
          locator.problemAt(
            [...path, 'layers'],
            `${label}: "layers" is for MLP models; give an expression point as "values" or "vector"`,
          ),
        );
      } else
        parameters = pointFromLayers(point.layers, model, inputDim, label, path, locator, problems);
    }
    if (parameters) points.push({ name: point.name, parameters });
  });
  return points;
}

/** θ from the point's weight file, or the problem and the key it belongs to. */
function pointFromWeights(
  point: { weights: string; tensors?: string[] },
  model: ModelSpec,
  inputDim: number,
  readBinary: ReadBinary | undefined,
): Omit<PointSpec, 'name'> | { problem: string; key: 'weights' | 'tensors' } {
  const file = point.weights;
  if (model.kind !== 'mlp')
    return {
      problem: `"weights" is for MLP models; give an expression point as "values" or "vector"`,
      key: 'weights',
    };
  if (!readBinary) return { problem: `'${file}' cannot be read here`, key: 'weights' };
  const read = readBinary(file);
  if (!read.ok) return { problem: `'${file}' ${read.reason}`, key: 'weights' };
  try {
    const tensors = readWeightFile(file, read.bytes);
    const found = pointFromTensors(tensors, model.layers, inputDim, point.tensors ?? null);
    return { parameters: found.parameters, weights: { file, tensors: found.tensors } };
  } catch (error) {
    if (!(error instanceof WeightFileError)) throw error;
    const key =
      point.tensors && /"tensors"|has no tensor/.test(error.message) ? 'tensors' : 'weights';
    return { problem: `${file}: ${error.message}`, key };
  }
}

function pointFromLayers(
  layers: any[],
  model: Extract<ModelSpec, { kind: 'mlp' }>,
  inputDim: number,
  label: string,
  path: (string | number)[],
  locator: SourceLocator,
  problems: Problem[],
): number[] | undefined {
  if (layers.length !== model.layers.length) {
    problems.push(
      locator.problemAt(
        [...path, 'layers'],
        `${label}: has ${plural(layers.length, 'layer')}, the model has ${model.layers.length}`,
      ),
    );
    return undefined;
  }
  // Shapes first: θ is allocated only when every layer fits, so its size is what the file holds.
  const fitting: { weights: number[][]; bias: number[] | null }[] = [];
  let inputs = inputDim;
  let ok = true;
  model.layers.forEach((layer, l) => {
    const given = layers[l];
    let weightsFit = false;
    const layerPath = [...path, 'layers', l];
    const rows = given.weights.length;
    const widths = new Set<number>(given.weights.map((row: number[]) => row.length));
    const columns = widths.size === 1 ? [...widths][0] : -1;
    if (rows !== layer.units || columns !== inputs) {
      const shape = columns >= 0 ? `${rows}×${columns}` : `${rows} rows of different lengths`;
      problems.push(
        locator.problemAt(
          [...layerPath, 'weights'],
          `${label} layer ${l + 1}: weights are ${shape}, the model needs ${layer.units}×${inputs}`,
        ),
      );
      ok = false;
    } else weightsFit = true;
    let bias: number[] | null = null;
    if (layer.bias) {
      if (!given.bias) {
        problems.push(
          locator.problemAt(
            layerPath,
            `${label} layer ${l + 1}: the model's layer has a bias, so the point needs "bias" (${plural(layer.units, 'value')})`,
          ),
        );
        ok = false;
      } else if (given.bias.length !== layer.units) {
        problems.push(
          locator.problemAt(
            [...layerPath, 'bias'],
            `${label} layer ${l + 1}: bias has ${plural(given.bias.length, 'value')}, the model needs ${layer.units}`,
          ),
        );
        ok = false;
      } else bias = given.bias;
    } else if (given.bias) {
      problems.push(
        locator.problemAt(
          [...layerPath, 'bias'],
          `${label} layer ${l + 1}: the model's layer has no bias (bias: false), so the point cannot give one`,
        ),
      );
      ok = false;
    }
    if (weightsFit) fitting.push({ weights: given.weights, bias });
    inputs = layer.units;
  });
  if (!ok) return undefined;
  const architecture = new MlpArchitecture(inputDim, model.layers);
  const theta = new Float64Array(architecture.parameterCount);
  fitting.forEach((layer, l) => architecture.writeLayer(theta, l, layer.weights, layer.bias));
  return Array.from(theta);
}

// ---------------------------------------------------------------------------------------
// Training, references, memory

function checkTraining(
  spec: ResolvedSpec,
  given: object,
  samples: number,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const { training, model } = spec;
  const optimizer = OPTIMIZERS[training.optimizer];
  if (!optimizer.minibatches && training.batchSize !== null) {
    const batched = OPTIMIZER_NAMES.filter((name) => OPTIMIZERS[name].minibatches);
    problems.push(
      locator.problemAt(
        ['training', 'batchSize'],
        `training.batchSize: ${training.optimizer} always uses the full batch; choose ${orList(batched.map((name) => `"${name}"`))} for minibatches`,
      ),
    );
  }
  // A setting of another optimizer is most likely meant for it: say it does nothing here.
  for (const key of Object.keys(HYPERPARAMETERS) as HyperparameterName[]) {
    if (!(key in given) || key in optimizer.defaults) continue;
    const users = OPTIMIZER_NAMES.filter((name) => key in OPTIMIZERS[name].defaults);
    problems.push(
      locator.problemAt(
        ['training', key],
        `training.${key} is a setting of ${orList(users)}: optimizer ${training.optimizer} does not use it`,
        { severity: 'warning' },
      ),
    );
  }
  if (training.batchSize !== null && training.batchSize >= samples) {
    problems.push(
      locator.problemAt(
        ['training', 'batchSize'],
        `training.batchSize ${training.batchSize} is not smaller than the data (${plural(samples, 'sample')}): every step uses the full batch`,
        { severity: 'warning' },
      ),
    );
  }
  if (model.kind === 'expression' && (training.init === 'xavier' || training.init === 'he')) {
    problems.push(
      locator.problemAt(
        ['training', 'init'],
        `training.init: '${training.init}' is defined by layer sizes; expression models use "normal" or "uniform"`,
      ),
    );
  }
  const names = new Set(spec.points.map((p) => p.name));
  training.from.forEach((name, i) => {
    if (!names.has(name))
      problems.push(
        locator.problemAt(
          ['training', 'from', i],
          `training.from[${i}]: there is no point named '${name}'${pointList(spec)}`,
        ),
      );
  });
  if (training.from.length > training.runs) {
    problems.push(
      locator.problemAt(
        ['training', 'from'],
        `training.from names ${plural(training.from.length, 'point')} but only ${plural(training.runs, 'run')} ${training.runs === 1 ? 'is' : 'are'} trained; run i starts from from[i]`,
        { severity: 'warning' },
      ),
    );
  }
}

function checkReferences(spec: ResolvedSpec, locator: SourceLocator, problems: Problem[]): void {
  const names = new Set(spec.points.map((p) => p.name));
  const check = (id: string | null, path: (string | number)[]) => {
    if (id === null) return;
    const ref = parseId(id);
    if (ref?.kind === 'run' && ref.index >= spec.training.runs) {
      problems.push(
        locator.problemAt(
          path,
          `${path.join('.')}: '${id}' does not exist: the file trains ${spec.training.runs} run${spec.training.runs === 1 ? '' : 's'} (run-0 … run-${spec.training.runs - 1})`,
        ),
      );
    }
    if (ref?.kind === 'point' && !names.has(ref.name)) {
      problems.push(
        locator.problemAt(
          path,
          `${path.join('.')}: there is no point named '${ref.name}'${pointList(spec)}`,
        ),
      );
    }
  };
  if (Array.isArray(spec.analysis.paths)) {
    spec.analysis.paths.forEach((pair, i) => {
      check(pair.from, ['analysis', 'paths', i, 'from']);
      check(pair.to, ['analysis', 'paths', i, 'to']);
    });
  }
  spec.analysis.slices.forEach((slice, i) => {
    const base = ['analysis', 'slices', i];
    if (slice.type === 'line') {
      check(slice.from, [...base, 'from']);
      check(slice.to, [...base, 'to']);
      return;
    }
    check(slice.center, [...base, 'center']);
    if (slice.type === 'axis') return;
    if (slice.directions !== 'parameters' && (slice.axes || slice.range)) {
      problems.push(
        locator.problemAt(
          [...base, slice.axes ? 'axes' : 'range'],
          `analysis.slices[${i}]: "${slice.axes ? 'axes' : 'range'}" is only used with directions "parameters"`,
          { severity: 'warning' },
        ),
      );
    }
    slice.through?.forEach((id, k) => check(id, [...base, 'through', k]));
    if (slice.directions === 'points' && !slice.through) {
      problems.push(
        locator.problemAt(
          base,
          `analysis.slices[${i}]: directions "points" needs "through": two or three runs or points`,
        ),
      );
    }
    if (slice.directions !== 'points' && slice.through) {
      problems.push(
        locator.problemAt(
          [...base, 'through'],
          `analysis.slices[${i}]: "through" is only used with directions "points"`,
          { severity: 'warning' },
        ),
      );
    }
    if (
      slice.directions === 'trajectory' &&
      slice.center &&
      parseId(slice.center)?.kind === 'point'
    ) {
      problems.push(
        locator.problemAt(
          [...base, 'center'],
          `analysis.slices[${i}]: a trajectory plane needs a trained run as center (named points have no optimizer path)`,
        ),
      );
    }
    if (
      slice.directions !== 'points' &&
      slice.center === null &&
      spec.training.runs === 0 &&
      spec.points.length === 0
    ) {
      problems.push(
        locator.problemAt(
          base,
          `analysis.slices[${i}]: the plane needs a "center", and there is no run or point to default to`,
        ),
      );
    }
  });
}

interface ParameterLookup {
  count: number;
  has(name: string): boolean;
  /** A few names, for messages. */
  some: string;
}

/** Whether the model has a parameter of a given name, without listing millions of names. */
function parameterLookup(spec: ResolvedSpec, inputDim: number): ParameterLookup {
  if (spec.model.kind === 'expression') {
    const names = spec.model.parameters;
    return { count: names.length, has: (name) => names.includes(name), some: names.join(', ') };
  }
  const architecture = new MlpArchitecture(inputDim, spec.model.layers);
  const first = architecture.layers[0];
  const some = [
    'layer1.weight[0][0]',
    ...(first.inputs > 1 ? ['layer1.weight[0][1]'] : []),
    '…',
    ...(first.biasOffset >= 0 ? ['layer1.bias[0]', '…'] : []),
  ].join(', ');
  return {
    count: architecture.parameterCount,
    has: (name) => architecture.parameterIndex(name) >= 0,
    some,
  };
}

/**
 * The parameters axis slices and parameter planes name exist, a plane names two, and a slice
 * that asks for its curvature has a model small enough for dense Hessians.
 */
function checkSliceParameters(
  spec: ResolvedSpec,
  lookup: ParameterLookup,
  locator: SourceLocator,
  problems: Problem[],
): void {
  const listed = lookup.some;
  spec.analysis.slices.forEach((slice, i) => {
    const base = ['analysis', 'slices', i];
    const named: [string, JsonPath][] =
      slice.type === 'axis' && slice.parameter !== null
        ? [[slice.parameter, [...base, 'parameter']]]
        : slice.type === 'plane' && slice.directions === 'parameters' && slice.axes
          ? slice.axes.map((name, k): [string, JsonPath] => [name, [...base, 'axes', k]])
          : [];
    for (const [name, path] of named)
      if (!lookup.has(name))
        problems.push(
          locator.problemAt(
            path,
            `${formatJsonPath(path)}: the model has no parameter '${name}' (it has ${listed})`,
          ),
        );
    if (slice.curvature && lookup.count > spec.analysis.exactLimit)
      problems.push(
        locator.problemAt(
          [...base, 'curvature'],
          `analysis.slices[${i}].curvature needs the dense Hessian at every grid point, and the model has ${plural(lookup.count, 'parameter')}, more than analysis.exactLimit (${spec.analysis.exactLimit}): leave it out, or raise the limit`,
        ),
      );
    if (slice.type === 'plane' && slice.directions === 'parameters') {
      if (lookup.count < 2)
        problems.push(
          locator.problemAt(
            base,
            `analysis.slices[${i}]: a parameter plane needs two parameters, and the model has one: use {"type": "axis"}`,
          ),
        );
      else if (slice.axes && slice.axes[0] === slice.axes[1])
        problems.push(
          locator.problemAt(
            [...base, 'axes'],
            `analysis.slices[${i}].axes: the two axes are the same parameter, '${slice.axes[0]}'`,
          ),
        );
    }
  });
}

function pointList(spec: ResolvedSpec): string {
  return spec.points.length > 0
    ? ` (points: ${spec.points.map((p) => p.name).join(', ')})`
    : ' (the file defines no points)';
}

/**
 * The files a spec reads besides itself (relative to it), in the order loadSpec reads them:
 * what its hash covers. Tolerant of any JSON: only what would be read is listed.
 */
export function filesNamedBy(value: unknown): Array<{ path: string; binary: boolean }> {
  const spec = value as { data?: { csv?: unknown }; points?: unknown } | null;
  const csv = spec?.data?.csv;
  const points = Array.isArray(spec?.points) ? spec.points : [];
  return [
    ...(typeof csv === 'string' ? [{ path: csv, binary: false }] : []),
    ...points.flatMap((point: { weights?: unknown } | null) =>
      typeof point?.weights === 'string' ? [{ path: point.weights, binary: true }] : [],
    ),
  ];
}
