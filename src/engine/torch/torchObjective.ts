// A torch.nn.Module as an Objective: the loss over the dataset as a function of the module's
// flattened parameters θ (in module.parameters() order), with PyTorch doing the
// differentiation in the worker process. Everything the analysis knows how to do with an
// Objective — verdicts, spectra, densities, slices — then works on the module unchanged.
import type { Objective } from '../../core/model/objective';
import { TorchBridge } from './bridge';

export interface TorchModelRequest {
  /** The module file, and the function in it that builds the module, with its arguments. */
  file: string;
  build: string;
  args?: Record<string, unknown>;
  loss: 'mse' | 'cross-entropy';
  data: TorchData;
  /** Rows per chunk of the dataset: memory stays bounded, the sums stay exact. */
  chunk?: number;
  /** torch.manual_seed before the module is built: its own initialization, per run. */
  seed?: number;
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

  private constructor(
    private readonly bridge: TorchBridge,
    description: { count: number; names: string[]; theta: Float64Array; samples: number },
    torchVersion: string,
  ) {
    this.parameterCount = description.count;
    this.parameterNames = description.names;
    this.initialParameters = description.theta;
    this.samples = description.samples;
    this.torchVersion = torchVersion;
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
          : bridge.call({ op: 'load', ...model, data });
      return new TorchObjective(
        bridge,
        {
          count: loaded.message.parameterCount as number,
          names: loaded.message.parameterNames as string[],
          theta: loaded.arrays.theta,
          samples: (loaded.message.inputShape as number[])[0],
        },
        String(hello.message.torch),
      );
    } catch (error) {
      bridge.close();
      throw error;
    }
  }

  loss(theta: Float64Array): number {
    return this.bridge.call({ op: 'loss' }, { theta }).message.loss as number;
  }

  lossAndGradient(theta: Float64Array, gradient: Float64Array): number {
    const reply = this.bridge.call({ op: 'lossAndGradient' }, { theta });
    gradient.set(reply.arrays.gradient);
    return reply.message.loss as number;
  }

  batchLossAndGradient(): number {
    throw new Error('minibatches of a PyTorch module are not supported yet');
  }

  hessianVectorProduct(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    out.set(this.bridge.call({ op: 'hessianVectorProduct' }, { theta, v }).arrays.product);
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

  close(): void {
    this.bridge.close();
  }
}
