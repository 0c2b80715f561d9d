// A file's named points as θ: from per-layer values, a flat vector, or a weight file's
// tensors, every mismatch named with the point and the layer.
import { WeightFileError } from '../data/safetensors';
import { MlpArchitecture } from '../model/architecture';
import type { ModelSpec, PointSpec } from '../vocabulary';
import type { Problem } from '../../protocol/problems';
import { plural } from '../../protocol/wording';
import type { ReadBinary } from './loadData';
import type { SourceLocator } from './locate';
import { pointFromModuleTensors, pointFromTensors, readWeightFile } from './weights';

/* eslint-disable @typescript-eslint/no-explicit-any -- schema-valid JSON */
export function resolvePoints(
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
            `${label}: "values" is for expression models; give ${pointKinds(model)}`,
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
            `${label}: "layers" is for MLP models; give ${pointKinds(model)}`,
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
  if (model.kind === 'expression')
    return {
      problem: `"weights" is for MLP and PyTorch models; give ${pointKinds(model)}`,
      key: 'weights',
    };
  if (!readBinary) return { problem: `'${file}' cannot be read here`, key: 'weights' };
  const read = readBinary(file);
  if (!read.ok) return { problem: `'${file}' ${read.reason}`, key: 'weights' };
  try {
    const tensors = readWeightFile(file, read.bytes);
    const found =
      model.kind === 'pytorch'
        ? pointFromModuleTensors(tensors, model.module!)
        : pointFromTensors(tensors, model.layers, inputDim, point.tensors ?? null);
    return { parameters: found.parameters, weights: { file, tensors: found.tensors } };
  } catch (error) {
    if (!(error instanceof WeightFileError)) throw error;
    const key =
      point.tensors && /"tensors"|has no tensor/.test(error.message) ? 'tensors' : 'weights';
    return { problem: `${file}: ${error.message}`, key };
  }
}

/** The ways a point of this kind of model is given, for messages. */
function pointKinds(model: ModelSpec): string {
  switch (model.kind) {
    case 'mlp':
      return 'an MLP point as "layers", "vector" or "weights"';
    case 'expression':
      return 'an expression point as "values" or "vector"';
    case 'pytorch':
      return 'a PyTorch module\'s point as "weights" (its state_dict names) or "vector"';
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
