// A PyTorch module as the pure core sees it: its shape, described by the worker the engine
// starts (engine/torch). The core never runs Python; the loader asks through DescribeModule.
import type { Dataset } from '../data/dataset';
import type {
  DataSpec,
  LossChoice,
  LossFunction,
  ModelSpec,
  ModuleShape,
  PytorchModelSpec,
} from '../vocabulary';
import { MlpArchitecture } from './architecture';

/** What the loader asks the engine: load this module on this data and say what it is. */
export type DescribeModule = (request: {
  model: PytorchModelSpec;
  data: DataSpec;
  /** The dataset when the engine reads it (generator, inline, CSV); null when only the worker can. */
  dataset: Dataset | null;
  loss: LossChoice;
  lossFunction: LossFunction | null;
}) => ModuleDescribed | ModuleFailed;

export interface ModuleDescribed {
  ok: true;
  module: ModuleShape;
  /** The data as the module sees it: targets as the loss reads them (one-hot classes). */
  dataset: Dataset;
}

export interface ModuleFailed {
  ok: false;
  /** Which key the message belongs to. */
  about: 'model' | 'data' | 'loss' | 'memory' | 'worker';
  message: string;
  /** The traceback of the user's code, when it raised. */
  detail?: string;
}

/**
 * The model as a declared MLP when it is one — declared, or a PyTorch nn.Sequential of Linear
 * layers and activations (the same θ order) — for the symmetries of hidden units; else null.
 */
export function mlpArchitectureOf(model: ModelSpec, inputDim: number): MlpArchitecture | null {
  if (model.kind === 'mlp') return new MlpArchitecture(inputDim, model.layers);
  if (model.kind === 'pytorch' && model.module?.sequential)
    return new MlpArchitecture(inputDim, model.module.sequential);
  return null;
}
