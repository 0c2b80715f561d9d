// Checks the model against the data and the loss: the last layer's units and activation, and
// targets that fit the loss (as its table entry says); converts class-index targets to one-hot
// rows. Expression models: the formula itself and its one output.
import type { Dataset } from '../data/dataset';
import { parseExpression } from '../model/expression';
import { LOSSES } from '../model/losses';
import { MlpArchitecture, skipLength } from '../model/architecture';
import {
  LOSS_NAMES,
  type LayerSpec,
  type LossName,
  type ModelSpec,
  type ResolvedSpec,
} from '../vocabulary';
import type { Problem } from '../../protocol/problems';
import { orList, plural } from '../../protocol/wording';
import type { SourceLocator } from './locate';
/** The number of parameters when the model fits the data and the loss; else problems. */
export function checkModel(
  model: ModelSpec,
  loss: ResolvedSpec['loss'],
  dataset: Dataset,
  locator: SourceLocator,
  problems: Problem[],
): number | undefined {
  const before = problems.length;
  // The worker checked the module against the data and made class targets one-hot.
  if (model.kind === 'pytorch') return model.module?.parameterCount;
  if (loss === 'pytorch') {
    problems.push(
      locator.problemAt(
        ['loss', 'pytorch'],
        `loss.pytorch: a Python loss function is run by PyTorch, so it needs a PyTorch model ("model": {"pytorch": {"file": …, "build": …}}); a declared model takes ${orList(LOSS_NAMES.map((name) => `"${name}"`))}`,
      ),
    );
    return undefined;
  }
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
  checkSkipsAndNorms(model.layers, locator, problems);
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

/**
 * A skip adds a layer's input to its output, so it needs a hidden layer above the first, as
 * wide as the layer below; a norm normalizes a hidden layer's units (not the outputs, which
 * the loss reads).
 */
function checkSkipsAndNorms(
  layers: LayerSpec[],
  locator: SourceLocator,
  problems: Problem[],
): void {
  const last = layers.length - 1;
  layers.forEach((layer, l) => {
    const at = (key: string) => ['model', 'layers', l, key];
    const name = `model.layers[${l}]`;
    const skip = skipLength(layer);
    if (skip > 0) {
      const from = l - skip;
      const around = skip === 1 ? 'a hidden layer' : `${skip} layers`;
      const why =
        from < 0
          ? skip === 1
            ? 'the first layer reads the data; a skip goes around a hidden layer above it'
            : `a skip around ${skip} layers needs ${skip} layers below this one, and it has ${l}`
          : l === last
            ? `the last layer gives the outputs the loss reads; a skip goes around ${around} below it`
            : layer.units !== layers[from].units
              ? `${skip === 1 ? 'its input' : `the output it adds, ${skip} layers below`} (${plural(layers[from].units, 'unit')} of layer ${from + 1}) and its output (${plural(layer.units, 'unit')}) must be as wide to be added`
              : null;
      if (why) problems.push(locator.problemAt(at('residual'), `${name}.residual: ${why}`));
    }
    if (layer.norm && l === last)
      problems.push(
        locator.problemAt(
          at('norm'),
          `${name}.norm: the last layer gives the outputs the loss reads; a norm goes on a hidden layer`,
        ),
      );
  });
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
