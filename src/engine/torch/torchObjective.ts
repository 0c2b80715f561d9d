// A torch.nn.Module as an Objective: the loss over the dataset as a function of the module's
// flattened parameters θ (in module.parameters() order), with PyTorch doing the
// differentiation in the worker process. Everything the analysis knows how to do with an
// Objective — verdicts, spectra, densities, slices — then works on the module unchanged.
import type { Objective, PlaneGrid } from '../../core/model/objective';
import type { LayerSpec, LossChoice, ModuleShape, ModuleUnitLayer } from '../../core/vocabulary';
import { TorchBridge } from './bridge';

export interface TorchModelRequest {
  /** The module file, and the function in it that builds the module, with its arguments. */
  file: string;
  build: string;
  args?: Record<string, unknown>;
  /** The engine's loss, or "pytorch": the function `lossFunction` of `lossFile`. */
  loss: LossChoice;
  lossFile?: string;
  lossFunction?: string;
  data: TorchData;
  /** Rows per chunk of the dataset: memory stays bounded, the sums stay exact. */
  chunk?: number;
  /** torch.manual_seed before the module is built: its own initialization, per run. */
  seed?: number;
  /** PyTorch's intra-op threads (its default: every core). */
  threads?: number;
  /** The precision and device the module computes in (float64 on the CPU by default). */
  dtype?: 'float64' | 'float32';
  device?: 'cpu' | 'cuda' | 'auto';
}

/** What the worker found: the module (as the core sees it), and the data as its loss reads it. */
export interface ModuleDescription {
  module: ModuleShape;
  samples: number;
  /** Values per row: class indices become one-hot rows for cross-entropy. */
  targetDim: number;
  /** samples × targetDim. */
  targets: Float64Array;
  /** The inputs, flattened row by row (when the worker read them: npz and Python data). */
  inputs?: Float64Array;
  /** A Python loss's value for all-zero outputs: the problem's unit of loss (null otherwise). */
  lossUnit: number | null;
}

/** A full-batch training run in the worker, with torch.optim. */
export interface TorchTraining {
  optimizer: 'gd' | 'momentum' | 'adam' | 'rmsprop';
  learningRate: number;
  settings?: Record<string, number>;
  steps: number;
  /** Keep θ every this many steps (0: none). */
  every?: number;
}

/**
 * Where the worker gets the dataset: from the engine (CSV data: rows × whatever shape the
 * module accepts, row-major; targets rows × outputs), from an .npz (read without pickle), or
 * from a function in a data file that returns (inputs, targets).
 */
export type TorchData =
  | {
      inputs: Float64Array;
      inputShape: number[];
      targets: Float64Array;
      targetShape: number[];
    }
  | { npz: string; inputs: string; targets: string }
  | { file: string; load: string };

export class TorchObjective implements Objective {
  readonly parameterCount: number;
  readonly samples: number;
  readonly parameterNames: string[];
  /** θ as the module's build gave it (its own initialization). */
  readonly initialParameters: Float64Array;
  readonly torchVersion: string;

  readonly description: ModuleDescription;

  private constructor(
    private readonly bridge: TorchBridge,
    description: ModuleDescription,
    theta: Float64Array,
  ) {
    this.description = description;
    this.parameterCount = description.module.parameterCount;
    this.parameterNames = description.module.parameterNames;
    this.initialParameters = theta;
    this.samples = description.samples;
    this.torchVersion = description.module.torch;
  }

  /** Starts a worker with `python`, loads the module and the data into it. */
  static open(python: string, request: TorchModelRequest): TorchObjective {
    const bridge = new TorchBridge(python);
    try {
      const hello = bridge.call({ op: 'hello' });
      const { data, ...model } = request;
      const loaded =
        'inputShape' in data
          ? bridge.call(
              { op: 'load', ...model, inputShape: data.inputShape, targetShape: data.targetShape },
              { inputs: data.inputs, targets: data.targets },
            )
          : bridge.call({ op: 'load', ...model, data, returnData: true });
      const { message, arrays } = loaded;
      const [samples, ...inputShape] = message.inputShape as number[];
      const description: ModuleDescription = {
        module: {
          className: String(message.module),
          torch: String(hello.message.torch),
          parameterCount: message.parameterCount as number,
          parameterNames: message.parameterNames as string[],
          tensors: message.tensors as ModuleShape['tensors'],
          inputShape,
          outputShape: message.outputShape as number[],
          device: String(message.device),
          sequential: (message.sequential as LayerSpec[] | null) ?? null,
          notSequential: (message.notSequential as string | null) ?? null,
          permutable: (message.permutable as ModuleUnitLayer[] | null) ?? null,
          notPermutable: (message.notPermutable as string | null) ?? null,
        },
        samples,
        targetDim: (message.targetShape as number[])[1],
        targets: arrays.targets,
        ...(arrays.inputs ? { inputs: arrays.inputs } : {}),
        lossUnit: (message.lossUnit as number | null) ?? null,
      };
      return new TorchObjective(bridge, description, arrays.theta);
    } catch (error) {
      bridge.close();
      throw error;
    }
  }

  /** θ of the module built afresh under torch.manual_seed(seed): a run's start. */
  initialize(seed: number): Float64Array {
    return this.bridge.call({ op: 'initialize', seed }).arrays.theta;
  }

  /** The module's outputs on `inputs` (rows of the data's shape, flattened), flattened. */
  predict(theta: Float64Array, inputs: Float64Array): Float64Array {
    return this.bridge.call({ op: 'predict' }, { theta, inputs }).arrays.outputs;
  }

  loss(theta: Float64Array): number {
    // Losses come as arrays, not JSON, which has no NaN or ∞.
    return this.bridge.call({ op: 'loss' }, { theta }).arrays.loss[0];
  }

  lossAndGradient(theta: Float64Array, gradient: Float64Array): number {
    const reply = this.bridge.call({ op: 'lossAndGradient' }, { theta });
    gradient.set(reply.arrays.gradient);
    return reply.arrays.loss[0];
  }

  batchLossAndGradient(theta: Float64Array, rows: Uint32Array, gradient: Float64Array): number {
    const reply = this.bridge.call(
      { op: 'batchLossAndGradient' },
      { theta, rows: Float64Array.from(rows) },
    );
    gradient.set(reply.arrays.gradient);
    return reply.arrays.loss[0];
  }

  lossesAndGradients(thetas: Float64Array[], gradients: Float64Array[]): number[] {
    const p = this.parameterCount;
    const all = new Float64Array(thetas.length * p);
    thetas.forEach((theta, k) => all.set(theta, k * p));
    const { arrays } = this.bridge.call({ op: 'lossesAndGradients' }, { thetas: all });
    gradients.forEach((gradient, k) => gradient.set(arrays.gradients.subarray(k * p, (k + 1) * p)));
    return Array.from(arrays.losses);
  }

  hessianVectorProduct(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    out.set(this.bridge.call({ op: 'hessianVectorProduct' }, { theta, v }).arrays.product);
  }

  /**
   * The losses on a grid of a plane in one request: the worker evaluates the first layer once
   * per chunk of data for the whole grid when the module starts with a Linear layer or a
   * convolution (its output is affine in its parameters).
   */
  planeLosses(grid: PlaneGrid): number[][] {
    const { center, x, y, as, bs } = grid;
    const { arrays } = this.bridge.call(
      { op: 'planeLosses', alphas: as, betas: bs },
      { center, x, y },
    );
    return bs.map((_, i) => Array.from(arrays.losses.subarray(i * as.length, (i + 1) * as.length)));
  }

  hessian(theta: Float64Array): Float64Array {
    return this.bridge.call({ op: 'hessian' }, { theta }).arrays.hessian;
  }

  /**
   * Trains from θ in the worker: the loss before each step, θ at the end, and the kept
   * snapshots (θ at steps 0, every, 2·every, …).
   */
  train(
    theta: Float64Array,
    training: TorchTraining,
  ): { theta: Float64Array; losses: Float64Array; snapshots: Float64Array[] } {
    const { arrays } = this.bridge.call({ op: 'train', ...training }, { theta });
    const p = this.parameterCount;
    const snapshots = Array.from({ length: arrays.snapshots.length / p }, (_, k) =>
      arrays.snapshots.slice(k * p, (k + 1) * p),
    );
    return { theta: arrays.theta, losses: arrays.losses, snapshots };
  }

  /** The vectors sent to the worker and back, untouched: the cost of the round trip alone. */
  echo(arrays: Record<string, Float64Array>): Record<string, Float64Array> {
    return this.bridge.call({ op: 'echo' }, arrays).arrays;
  }

  close(): void {
    this.bridge.close();
  }
}
