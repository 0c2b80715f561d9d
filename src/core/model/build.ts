// Builds the objective a resolved spec describes, on its dataset.
import type { Dataset } from '../data/dataset';
import { Random } from '../rng';
import type { ResolvedSpec } from '../vocabulary';
import { CompiledExpression, parseExpression } from './expression';
import { ExpressionObjective } from './expressionObjective';
import { LOSSES } from './losses';
import { MlpArchitecture } from './architecture';
import { MlpObjective } from './mlp';
import { mlpArchitectureOf } from './module';
import { withWeightDecay, type Objective } from './objective';

export interface ModelContext {
  objective: Objective;
  /** Null for expression models. */
  architecture: MlpArchitecture | null;
  /** The smallest value the loss can take, when known (0 for mse without weight decay). */
  lossLowerBound: number | null;
  /** The loss of the zero predictor: the problem's natural loss unit, for relative tolerances. */
  lossScale: number;
  weightDecay: number;
  dataset: Dataset;
  /** A PyTorch module's precision (declared models: float64, not recorded). */
  precision?: 'float64' | 'float32';
}

export function buildModel(spec: ResolvedSpec, dataset: Dataset): ModelContext {
  if (spec.model.kind === 'pytorch' || spec.loss === 'pytorch')
    throw new Error('a PyTorch model is built by the engine (engine/torch/torchModel.ts)');
  const lossName = spec.loss;
  const loss = LOSSES[lossName];
  // Weight decay adds a penalty that the fitting θ need not make zero.
  const lossLowerBound = spec.weightDecay === 0 ? loss.lowerBound : null;
  const lossScale = loss.unit(dataset);
  if (spec.model.kind === 'mlp') {
    const architecture = new MlpArchitecture(dataset.inputDim, spec.model.layers);
    const objective = new MlpObjective(
      architecture,
      dataset.inputs,
      dataset.targets,
      dataset.samples,
      lossName,
    );
    return {
      objective: withWeightDecay(objective, spec.weightDecay),
      architecture,
      lossLowerBound,
      lossScale,
      weightDecay: spec.weightDecay,
      dataset,
    };
  }
  const symbols = { parameters: spec.model.parameters, inputDim: dataset.inputDim };
  const { node, problems } = parseExpression(spec.model.expression, symbols);
  if (!node)
    throw new Error(`the expression was not checked: ${problems.map((p) => p.message).join('; ')}`);
  const objective = new ExpressionObjective(
    new CompiledExpression(node, symbols),
    spec.model.parameters,
    dataset.inputs,
    dataset.inputDim,
    dataset.targets,
    dataset.samples,
    lossName,
  );
  return {
    objective: withWeightDecay(objective, spec.weightDecay),
    architecture: null,
    lossLowerBound,
    lossScale,
    weightDecay: spec.weightDecay,
    dataset,
  };
}

/** θ's parameter names in order, without building the model. */
export function parameterNamesOf(spec: ResolvedSpec, inputDim: number): string[] {
  switch (spec.model.kind) {
    case 'mlp':
      return new MlpArchitecture(inputDim, spec.model.layers).parameterNames();
    case 'expression':
      return [...spec.model.parameters];
    case 'pytorch':
      return spec.model.module?.parameterNames ?? [];
  }
}

/** A model's outputs on rows of inputs (flattened), for models the core cannot evaluate. */
export type Predict = (theta: Float64Array, inputs: Float64Array) => Float64Array;

/**
 * The model's outputs at θ on the data and on `probes` random inputs drawn around the data
 * (per column: mean + std·N(0, 1), seeded), for comparing two networks as functions.
 */
export function buildOutputProbe(
  spec: ResolvedSpec,
  dataset: Dataset,
  predict?: Predict,
  probes = 64,
): (theta: Float64Array) => Float64Array {
  const d = dataset.inputDim;
  const rows = dataset.samples + probes;
  const inputs = new Float64Array(rows * d);
  inputs.set(dataset.inputs);
  const random = new Random(0x5eed);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let n = 0; n < dataset.samples; n++) mean += dataset.inputs[n * d + j];
    mean /= dataset.samples;
    let variance = 0;
    for (let n = 0; n < dataset.samples; n++) variance += (dataset.inputs[n * d + j] - mean) ** 2;
    const std = Math.sqrt(variance / dataset.samples) || 1;
    for (let n = dataset.samples; n < rows; n++) inputs[n * d + j] = mean + std * random.normal();
  }
  const probeData: Dataset = {
    ...dataset,
    samples: rows,
    inputs,
    targets: new Float64Array(rows * dataset.targetDim),
  };
  const architecture = mlpArchitectureOf(spec.model, d);
  // The loss only decides how outputs are read (probabilities for cross-entropy); a Python
  // loss reads the module's raw outputs.
  const lossName = spec.loss === 'pytorch' ? 'mse' : spec.loss;
  if (architecture) {
    const objective = new MlpObjective(
      architecture,
      probeData.inputs,
      probeData.targets,
      rows,
      lossName,
    );
    return (theta) => objective.predict(theta);
  }
  if (spec.model.kind !== 'expression') {
    if (!predict) throw new Error('a PyTorch module needs its worker to predict');
    return (theta) => predict(theta, inputs);
  }
  const symbols = { parameters: spec.model.parameters, inputDim: d };
  const { node } = parseExpression(spec.model.expression, symbols);
  const objective = new ExpressionObjective(
    new CompiledExpression(node!, symbols),
    spec.model.parameters,
    inputs,
    d,
    probeData.targets,
    rows,
    lossName,
  );
  return (theta) => objective.predict(theta);
}
