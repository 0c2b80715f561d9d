// The unit of parallel work: train one run and judge where it heads, judge one named point,
// find the saddle between two minima, refine one random start of the search, or evaluate
// rows of a slice's grid. The same function runs in a worker thread or in-process, so
// results do not depend on where it ran.
import {
  analyzePoint,
  extremeEigenvalues,
  nonConvexityRatio,
  type PointAnalysis,
  type VerdictNotes,
} from '../core/analysis/analyzePoint';
import { refineTrainedRun, unrefinedNotes } from '../core/analysis/convergence';
import { minimumEnergyPath, stableStep, straightLineBarrier } from '../core/analysis/path';
import { refineToCriticalPoint, type Refinement } from '../core/analysis/refine';
import type { Dataset } from '../core/data/dataset';
import { buildModel, type ModelContext } from '../core/model/build';
import { torchModelContext, torchObjectiveOf } from './torch/torchModel';
import { lossesOnPlane } from '../core/model/objective';
import type { Snapshot } from '../core/optim/curve';
import { train, type StopReason } from '../core/optim/train';
import { deriveSeed, Random } from '../core/rng';
import type { CurvatureOption, ResolvedSpec } from '../core/vocabulary';
import { pointId, runId, saddleId, startId } from '../protocol/ids';
import type {
  LossCurve,
  PathCriticalPoint,
  PointWeights,
  RunRefinement,
  SmoothedCurve,
} from '../protocol/result';
import { smoothedCurves, smoothedPlaneRows, type SmoothedRows } from '../core/analysis/smoothing';

export type Job =
  | { kind: 'run'; index: number; /** Snapshots of θ to keep along training. */ snapshots: number }
  | { kind: 'point'; name: string }
  | {
      kind: 'path';
      index: number;
      between: [string, string];
      from: Float64Array;
      to: Float64Array;
    }
  | { kind: 'search'; index: number }
  | {
      kind: 'grid';
      slice: number;
      row: number;
      center: Float64Array;
      x: Float64Array;
      y: Float64Array;
      xs: number[];
      ys: number[];
      /** Also the Hessian's smallest eigenvalue at every grid point (and |λmin/λmax|). */
      curvature: CurvatureOption;
      /**
       * Also L_σ for each σ (Monte Carlo draws from `seed`): along the line with its critical
       * points (lines and axes, one row), or on the job's rows of a plane.
       */
      smoothing?: { sigmas: number[]; seed: number; on: 'line' | 'plane' };
    };

/** A job that gives an analyzed point, and one that gives rows of a slice's grid. */
export type PointJob = Exclude<Job, { kind: 'grid' }>;
export type GridJob = Extract<Job, { kind: 'grid' }>;

/** Where an analyzed point came from, with what its origin adds to the evidence. */
export type Origin =
  | {
      kind: 'run';
      index: number;
      seed: number;
      /** The named point the run started from. */
      from?: string;
      curve: LossCurve;
      epochs: number;
      stopReason: StopReason;
      refinement?: RunRefinement;
      /** θ along training, sampled: projected onto every slice (θ itself is not written). */
      snapshots?: Snapshot[];
    }
  | { kind: 'point'; name: string; weights?: PointWeights }
  | ({ kind: 'path' } & Pick<
      PathCriticalPoint,
      'between' | 'barrier' | 'straightLineBarrier' | 'path' | 'refinement'
    >)
  | { kind: 'search'; index: number; status: RunRefinement['status'] };

/**
 * One analyzed point as it flows through the engine's stages — a trained run, a named
 * point, a saddle between twins or a search start — with the evidence and its verdict.
 * assemble.ts alone turns it into the result file's entries.
 */
export interface AnalyzedPoint extends PointAnalysis {
  id: string;
  origin: Origin;
  parameters: Float64Array;
  /** The job's time, and for runs and points its parts (the verdict is the spectrum's part). */
  seconds: number;
  stages?: { training: number; refinement: number; spectrum: number };
}

/** Losses on rows `row`, `row + 1`, … of a slice's grid (null where not finite). */
export interface GridOutcome {
  kind: 'grid';
  slice: number;
  row: number;
  losses: (number | null)[][];
  /** λmin at each grid point (when the job asked for the curvature); null: not finite. */
  lambdaMin?: (number | null)[][];
  /** |λmin/λmax| at each grid point (when it asked for the ratio); null: undefined there. */
  ratio?: (number | null)[][];
  /** L_σ along a line or an axis, for each σ it asked for. */
  smoothing?: SmoothedCurve[];
  /** L_σ on the job's rows of a plane, for each σ it asked for. */
  smoothedRows?: SmoothedRows[];
  seconds: number;
}

/** What a job gives back: grid rows for a grid job, an analyzed point for every other. */
export type JobOutcome<J extends Job = Job> = J extends { kind: 'grid' }
  ? GridOutcome
  : AnalyzedPoint;

export interface JobContext {
  spec: ResolvedSpec;
  model: ModelContext;
}

export function createJobContext(spec: ResolvedSpec, dataset: Dataset): JobContext {
  const model =
    spec.model.kind === 'pytorch' ? torchModelContext(spec, dataset) : buildModel(spec, dataset);
  return { spec, model };
}

/** `onEpoch` returning false stops training early (cancellation). */
export function runJob<J extends Job>(
  context: JobContext,
  job: J,
  onEpoch?: (epoch: number, loss: number) => boolean | void,
): JobOutcome<J> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  // Each branch returns the outcome of its own kind; TypeScript cannot narrow J itself.
  switch (job.kind) {
    case 'run':
      return { ...runTraining(context, job, onEpoch), seconds: seconds() } as JobOutcome<J>;
    case 'point':
      return { ...judgeNamedPoint(context, job.name), seconds: seconds() } as JobOutcome<J>;
    case 'path':
      return { ...findSaddle(context, job), seconds: seconds() } as JobOutcome<J>;
    case 'search':
      return { ...refineStart(context, job.index), seconds: seconds() } as JobOutcome<J>;
    case 'grid':
      return { ...evaluateGrid(context, job), seconds: seconds() } as JobOutcome<J>;
  }
}

function judgeNamedPoint(
  { spec, model }: JobContext,
  name: string,
): Omit<AnalyzedPoint, 'seconds'> {
  const point = spec.points.find((p) => p.name === name);
  if (!point) throw new Error(`no point named ${name}`);
  const parameters = Float64Array.from(point.parameters);
  const started = performance.now();
  const analysis = analyzePoint(model.objective, parameters, spec.analysis, model, {}, ANALYSIS);
  const spectrum = (performance.now() - started) / 1000;
  return {
    id: pointId(name),
    origin: { kind: 'point', name, ...(point.weights ? { weights: point.weights } : {}) },
    parameters,
    ...analysis,
    stages: { training: 0, refinement: 0, spectrum },
  };
}

/** Trains run `index`, refines where it stopped to the critical point it was heading for, and judges that. */
function runTraining(
  { spec, model }: JobContext,
  job: Extract<Job, { kind: 'run' }>,
  onEpoch?: (epoch: number, loss: number) => boolean | void,
): Omit<AnalyzedPoint, 'seconds'> {
  const seed = deriveSeed(spec.training.seed, job.index);
  const fromName = spec.training.from[job.index];
  const start =
    fromName !== undefined
      ? Float64Array.from(spec.points.find((p) => p.name === fromName)?.parameters ?? [])
      : spec.training.init === 'module'
        ? // The module's own initialization, under the run's seed.
          torchObjectiveOf(spec).initialize(seed)
        : undefined;
  const lap = stopwatch();
  const trained = train({
    objective: model.objective,
    architecture: model.architecture,
    training: spec.training,
    seed,
    start,
    onEpoch,
    snapshots: job.snapshots > 0 ? job.snapshots : undefined,
  });
  const training = lap();
  // Judge the critical point training was heading for, when it came near one.
  const refined =
    spec.analysis.refine && trained.stopReason !== 'diverged'
      ? refineTrainedRun(
          model.objective,
          { ...trained, gradients: trainingGradients(spec, trained.epochs) },
          spec.analysis,
          model,
        )
      : null;
  const refinement = lap();
  const parameters = refined?.parameters ?? trained.theta;
  const notes =
    refined?.notes ??
    (trained.stopReason === 'diverged' ? {} : unrefinedNotes(trained, spec.analysis, model));
  const analysis = analyzePoint(model.objective, parameters, spec.analysis, model, notes, ANALYSIS);
  const spectrum = lap();
  return {
    id: runId(job.index),
    origin: {
      kind: 'run',
      index: job.index,
      seed,
      from: fromName,
      curve: trained.curve,
      epochs: trained.epochs,
      stopReason: trained.stopReason,
      refinement: refined?.refinement,
      ...(trained.snapshots ? { snapshots: trained.snapshots } : {}),
    },
    parameters,
    ...analysis,
    stages: { training, refinement, spectrum },
  };
}

/** Runs and named points get the density when the file asks for one (saddles and search starts do not). */
const ANALYSIS = { density: true };

/** Seconds since the last call (or since it was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const seconds = (now - last) / 1000;
    last = now;
    return seconds;
  };
}

/**
 * The saddle between two minima: the climbing string settles on the minimum-energy path,
 * Newton-MR refines its highest image, and the point is judged like any other.
 */
function findSaddle(
  { spec, model }: JobContext,
  job: Extract<Job, { kind: 'path' }>,
): Omit<AnalyzedPoint, 'seconds'> {
  const { objective } = model;
  const { from, to } = job;
  const step = stableStep(objective, from, to);
  const path = minimumEnergyPath(objective, from, to, { step, maxIterations: 30000 });
  const refinement = refineToCriticalPoint(objective, path.highest, {
    gradientTolerance: spec.analysis.tolerance.gradient * model.lossScale,
    maxIterations: 500,
  });
  const analysis = analyzePoint(
    objective,
    refinement.theta,
    spec.analysis,
    model,
    flatnessOf(refinement),
  );
  const endpoints = 0.5 * (objective.loss(from) + objective.loss(to));
  return {
    id: saddleId(job.index),
    origin: {
      kind: 'path',
      between: job.between,
      barrier: analysis.loss - endpoints,
      straightLineBarrier: straightLineBarrier(objective, from, to),
      path: { losses: path.losses, iterations: path.iterations, settled: path.lastMove < 1e-7 },
      refinement: {
        status: refinement.status,
        iterations: refinement.iterations,
        distance: refinement.distance,
      },
    },
    parameters: refinement.theta,
    ...analysis,
  };
}

/** One start of the search: a seeded random point, refined by Newton-MR, then judged. */
function refineStart({ spec, model }: JobContext, index: number): Omit<AnalyzedPoint, 'seconds'> {
  const { seed, scale } = spec.analysis.search;
  const random = new Random(deriveSeed(seed, index));
  const start = Float64Array.from(
    { length: model.objective.parameterCount },
    () => scale * random.normal(),
  );
  const refinement = refineToCriticalPoint(model.objective, start, {
    gradientTolerance: spec.analysis.tolerance.gradient * model.lossScale,
    maxIterations: 200,
  });
  const analysis = analyzePoint(
    model.objective,
    refinement.theta,
    spec.analysis,
    model,
    flatnessOf(refinement),
  );
  return {
    id: startId(index),
    origin: { kind: 'search', index, status: refinement.status },
    parameters: refinement.theta,
    ...analysis,
  };
}

/** L(center + xs[i]·x + ys[j]·y) for every grid point of the job's rows, one buffer reused. */
function evaluateGrid(
  { spec, model }: JobContext,
  job: Extract<Job, { kind: 'grid' }>,
): Omit<GridOutcome, 'seconds'> {
  const losses = lossesOnPlane(model.objective, {
    center: job.center,
    x: job.x,
    y: job.y,
    as: job.xs,
    bs: job.ys,
  }).map((row) => row.map((loss) => (Number.isFinite(loss) ? loss : null)));
  const plane = { center: job.center, x: job.x, y: job.y };
  const smoothing = !job.smoothing
    ? {}
    : job.smoothing.on === 'line'
      ? {
          smoothing: smoothedCurves(
            model.objective,
            job.center,
            job.x,
            job.xs,
            job.smoothing.sigmas,
            job.smoothing.seed,
          ),
        }
      : {
          smoothedRows: smoothedPlaneRows(
            model.objective,
            plane,
            job.xs,
            job.ys,
            job.smoothing.sigmas,
            job.smoothing.seed,
          ),
        };
  const grid = { kind: 'grid' as const, slice: job.slice, row: job.row, losses, ...smoothing };
  if (!job.curvature) return grid;
  const tolerance = spec.analysis.tolerance.eigenvalue;
  const theta = new Float64Array(job.center.length);
  const extremes = job.ys.map((b) =>
    job.xs.map((a) => {
      for (let i = 0; i < theta.length; i++) theta[i] = job.center[i] + a * job.x[i] + b * job.y[i];
      return extremeEigenvalues(model.objective, theta, tolerance);
    }),
  );
  const lambdaMin = extremes.map((row) => row.map((e) => e?.least ?? null));
  if (job.curvature !== 'ratio') return { ...grid, lambdaMin };
  const ratio = extremes.map((row) => row.map(nonConvexityRatio));
  return { ...grid, lambdaMin, ratio };
}

/** A refinement that stopped at a gradient-flat point says so in the verdict. */
function flatnessOf(refinement: Refinement): VerdictNotes {
  return refinement.status === 'gradient-flat' ? { gradientFlatness: refinement.flatness } : {};
}

/** Full-batch gradient equivalents training computed: one per epoch, two with minibatches. */
function trainingGradients(spec: ResolvedSpec, epochs: number): number {
  return epochs * (spec.training.batchSize === null ? 1 : 2);
}
