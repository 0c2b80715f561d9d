// One training run: initialize (or start from a named point), then epochs of updates until
// a stop rule holds. Deterministic: everything random comes from the run's own seed.
import type { MlpArchitecture } from '../model/architecture';
import type { Objective } from '../model/objective';
import { deriveSeed, Random } from '../rng';
import type { TrainingSpec } from '../vocabulary';
import { CurveRecorder, SnapshotRecorder, type Snapshot } from './curve';
import { initialParameters } from './init';
import { createOptimizer } from './optimizers';
import { continuationSchedule, SmoothedGradient } from './continuation';
import { norm } from '../linalg/vector';

export type StopReason = 'epochs' | 'gradientNorm' | 'loss' | 'diverged';

/** Index of the run's random stream that training.noise draws from. */
const NOISE_STREAM = 1;
/** Index of the stream continuation's perturbations come from. */
const CONTINUATION_STREAM = 2;

export interface TrainedRun {
  theta: Float64Array;
  loss: number;
  gradientNorm: number;
  epochs: number;
  stopReason: StopReason;
  curve: { epoch: number[]; loss: number[] };
  /** θ along the way, when asked for (paths on slices, trajectory planes). */
  snapshots?: Snapshot[];
}

export interface TrainOptions {
  objective: Objective;
  architecture: MlpArchitecture | null;
  training: TrainingSpec;
  seed: number;
  /** Start here instead of a random initialization. */
  start?: Float64Array;
  /** Keep up to this many snapshots of θ along the run. */
  snapshots?: number;
  /** Called after every epoch; return false to stop (cancellation). */
  onEpoch?: (epoch: number, loss: number) => boolean | void;
}

export function train(options: TrainOptions): TrainedRun {
  const { objective, training } = options;
  const p = objective.parameterCount;
  const random = new Random(options.seed);
  // Drawn even when the run starts from a point, so the shuffles that follow use the same
  // random stream either way.
  const initial = initialParameters(
    training.init,
    training.initScale,
    p,
    options.architecture,
    random,
  );
  const theta = options.start ? Float64Array.from(options.start) : initial;
  const previous = new Float64Array(p);
  const gradient = new Float64Array(p);
  const optimizer = createOptimizer(
    training.optimizer,
    p,
    training.learningRate,
    training.settings,
  );
  const curve = new CurveRecorder();
  const recorder = options.snapshots ? new SnapshotRecorder(options.snapshots) : null;
  const samples = objective.samples;
  const batchSize = training.batchSize === null ? samples : Math.min(training.batchSize, samples);
  const fullBatch = batchSize === samples;
  const order = new Uint32Array(samples).map((_, i) => i);

  let loss = objective.lossAndGradient(theta, gradient);
  let gradientNorm = norm(gradient);
  curve.add(0, loss);
  recorder?.add(0, theta, loss);
  let epoch = 0;
  let stopReason: StopReason = 'epochs';
  if (!Number.isFinite(loss)) stopReason = 'diverged';
  const noise = training.noise;
  // Its own stream: the kicks leave the initialization and the shuffles as they were.
  const kicks = noise ? new Random(deriveSeed(options.seed, NOISE_STREAM)) : null;
  /** The last kick comes `every` epochs before the end: the run ends on plain steps. */
  const kicking = (at: number) => noise !== null && at + noise.every <= training.epochs;
  // Continuation: smoothed gradients until the plain stage, from perturbations of its own stream.
  const schedule = training.continuation
    ? continuationSchedule(training.continuation, training.epochs)
    : null;
  const smoothed = schedule
    ? new SmoothedGradient(objective, deriveSeed(options.seed, CONTINUATION_STREAM))
    : null;

  while (stopReason !== 'diverged') {
    // While kicks are still to come, a run stalled at a saddle is kicked, not stopped; while
    // the loss is smoothed, its own gradient says nothing of when to stop.
    const mayStop = !kicking(epoch) && (schedule === null || epoch >= schedule.plainFrom);
    const sigma = schedule?.sigmaAt(epoch) ?? 0;
    if (mayStop && gradientNorm <= training.stopAt.gradientNorm) {
      stopReason = 'gradientNorm';
      break;
    }
    if (mayStop && training.stopAt.loss !== null && loss <= training.stopAt.loss) {
      stopReason = 'loss';
      break;
    }
    if (epoch >= training.epochs) break;
    previous.set(theta);
    if (fullBatch) {
      if (sigma > 0) smoothed!.at(theta, sigma, gradient, null);
      optimizer.step(theta, gradient);
    } else {
      random.shuffle(order);
      for (let start = 0; start < samples; start += batchSize) {
        const rows = order.subarray(start, Math.min(start + batchSize, samples));
        if (sigma > 0) smoothed!.at(theta, sigma, gradient, rows);
        else objective.batchLossAndGradient(theta, rows, gradient);
        optimizer.step(theta, gradient);
      }
    }
    epoch++;
    if (kicks && epoch % noise!.every === 0 && kicking(epoch))
      for (let i = 0; i < p; i++) theta[i] += noise!.scale * (2 * kicks.uniform(0, 1) - 1);
    const next = objective.lossAndGradient(theta, gradient);
    const nextNorm = norm(gradient);
    if (!Number.isFinite(next) || !Number.isFinite(nextNorm) || !allFinite(theta)) {
      // Keep the last finite state: it is what the user can inspect and rerun from.
      theta.set(previous);
      loss = objective.lossAndGradient(theta, gradient);
      gradientNorm = norm(gradient);
      stopReason = 'diverged';
      break;
    }
    loss = next;
    gradientNorm = nextNorm;
    curve.add(epoch, loss);
    recorder?.add(epoch, theta, loss);
    if (options.onEpoch?.(epoch, loss) === false) break;
  }
  return {
    theta,
    loss,
    gradientNorm,
    epochs: epoch,
    stopReason,
    curve: curve.points(),
    ...(recorder ? { snapshots: recorder.finish(epoch, theta, loss) } : {}),
  };
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
