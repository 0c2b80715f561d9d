// The unit of parallel work: train one run and analyze its endpoint, or analyze one named
// point. The same function runs in a worker thread or in-process, so results do not
// depend on where it ran.
import { analyzePoint } from '../core/analysis/analyzePoint';
import { refineToCriticalPoint, type Refinement } from '../core/analysis/refine';
import type { Dataset } from '../core/data/dataset';
import { buildModel, type ModelContext } from '../core/model/build';
import { train, type StopReason } from '../core/optim/train';
import { deriveSeed, Random } from '../core/rng';
import type { ResolvedSpec } from '../core/spec/types';
import type {
  HessianSummary,
  LossCurve,
  PathCriticalPoint,
  RunRefinement,
  Verdict,
} from '../protocol/result';
import { minimumEnergyPath, stableStep, straightLineBarrier } from '../core/analysis/path';
import { pointId, runId, saddleId, startId } from '../protocol/ids';

export type Job =
  | { kind: 'run'; index: number; snapshots?: boolean }
  | { kind: 'point'; name: string }
  | { kind: 'path'; index: number; between: [string, string]; from: number[]; to: number[] }
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
    };

/** What a path job finds: the saddle on the minimum-energy path between two minima. */
export type PathOutcome = PathCriticalPoint & { kind: 'path'; seconds: number };

/** Where one random start of the critical-point search ended. */
export interface SearchOutcome {
  kind: 'search';
  id: string;
  index: number;
  status: RunRefinement['status'];
  parameters: Float64Array;
  loss: number;
  gradientNorm: number;
  verdict: Verdict;
  hessian: HessianSummary | null;
  seconds: number;
}

/** Losses on rows `row`, `row + 1`, … of a slice's grid (null where not finite). */
export interface GridOutcome {
  kind: 'grid';
  id: string;
  slice: number;
  row: number;
  losses: (number | null)[][];
  seconds: number;
}

export type JobResult = JobOutcome | PathOutcome | SearchOutcome | GridOutcome;

export interface JobOutcome {
  id: string;
  kind: 'run' | 'point';
  name?: string;
  seed?: number;
  from?: string;
  parameters: Float64Array;
  loss: number;
  gradientNorm: number;
  curve?: LossCurve;
  /** θ along the training path, when a trajectory plane needs it (not written to the result). */
  snapshots?: { epoch: number; theta: Float64Array }[];
  refinement?: RunRefinement;
  epochs?: number;
  stopReason?: StopReason;
  hessian: HessianSummary | null;
  verdict: Verdict;
  seconds: number;
}

export interface JobContext {
  spec: ResolvedSpec;
  model: ModelContext;
}

export function createJobContext(spec: ResolvedSpec, dataset: Dataset): JobContext {
  return { spec, model: buildModel(spec, dataset) };
}

/** `onEpoch` returning false stops training early (cancellation). */
export function runJob(
  context: JobContext,
  job: Job,
  onEpoch?: (epoch: number, loss: number) => boolean | void,
): JobResult {
  const started = performance.now();
  const { spec, model } = context;
  if (job.kind === 'path') return runPathJob(context, job, started);
  if (job.kind === 'search') return runSearchJob(context, job, started);
  if (job.kind === 'grid') return runGridJob(context, job, started);
  if (job.kind === 'point') {
    const point = spec.points.find((p) => p.name === job.name);
    if (!point) throw new Error(`no point named ${job.name}`);
    const parameters = Float64Array.from(point.parameters);
    const analysis = analyzePoint(model.objective, parameters, spec.analysis, model);
    return {
      id: pointId(job.name),
      kind: 'point',
      name: job.name,
      parameters,
      ...analysis,
      seconds: (performance.now() - started) / 1000,
    };
  }
  const seed = deriveSeed(spec.training.seed, job.index);
  const fromName = spec.training.from[job.index];
  const start =
    fromName !== undefined
      ? Float64Array.from(spec.points.find((p) => p.name === fromName)?.parameters ?? [])
      : undefined;
  const trained = train({
    objective: model.objective,
    architecture: model.architecture,
    training: spec.training,
    seed,
    start,
    onEpoch,
    snapshots: job.snapshots ? 200 : undefined,
  });
  // Judge the critical point training was heading for, not where it happened to stop.
  const refinement =
    spec.analysis.refine && trained.stopReason !== 'diverged'
      ? refineToCriticalPoint(model.objective, trained.theta, {
          gradientTolerance: spec.analysis.tolerance.gradient * model.lossScale,
        })
      : undefined;
  const parameters = refinement?.theta ?? trained.theta;
  const flatness = refinement?.status === 'gradient-flat' ? refinement.flatness : undefined;
  const analysis = analyzePoint(model.objective, parameters, spec.analysis, model, flatness);
  return {
    id: runId(job.index),
    kind: 'run',
    seed,
    from: fromName,
    parameters,
    refinement: refinement && summarize(refinement),
    curve: trained.curve,
    ...(trained.snapshots ? { snapshots: trained.snapshots } : {}),
    epochs: trained.epochs,
    stopReason: trained.stopReason,
    ...analysis,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The saddle between two minima: the climbing string settles on the minimum-energy path,
 * Newton-MR refines its highest image, and the point is judged like any other.
 */
function runPathJob(
  context: JobContext,
  job: Extract<Job, { kind: 'path' }>,
  started: number,
): PathOutcome {
  const { spec, model } = context;
  const objective = model.objective;
  const from = Float64Array.from(job.from);
  const to = Float64Array.from(job.to);
  const step = stableStep(objective, from, to);
  const path = minimumEnergyPath(objective, from, to, { step, maxIterations: 30000 });
  const refinement = refineToCriticalPoint(objective, path.highest, {
    gradientTolerance: spec.analysis.tolerance.gradient * model.lossScale,
    maxIterations: 500,
  });
  const flatness = refinement.status === 'gradient-flat' ? refinement.flatness : undefined;
  const analysis = analyzePoint(objective, refinement.theta, spec.analysis, model, flatness);
  const endpoints = 0.5 * (objective.loss(from) + objective.loss(to));
  return {
    kind: 'path',
    id: saddleId(job.index),
    source: 'path',
    between: job.between,
    loss: analysis.loss,
    gradientNorm: analysis.gradientNorm,
    parameters: Array.from(refinement.theta),
    verdict: analysis.verdict,
    hessian: analysis.hessian,
    barrier: analysis.loss - endpoints,
    straightLineBarrier: straightLineBarrier(objective, from, to),
    path: { losses: path.losses, iterations: path.iterations, settled: path.lastMove < 1e-7 },
    refinement: {
      status: refinement.status,
      iterations: refinement.iterations,
      distance: refinement.distance,
    },
    seconds: (performance.now() - started) / 1000,
  };
}

/** One start of the search: a seeded random point, refined by Newton-MR, then judged. */
function runSearchJob(
  context: JobContext,
  job: Extract<Job, { kind: 'search' }>,
  started: number,
): SearchOutcome {
  const { spec, model } = context;
  const { seed, scale } = spec.analysis.search;
  const random = new Random(deriveSeed(seed, job.index));
  const start = Float64Array.from(
    { length: model.objective.parameterCount },
    () => scale * random.normal(),
  );
  const refinement = refineToCriticalPoint(model.objective, start, {
    gradientTolerance: spec.analysis.tolerance.gradient * model.lossScale,
    maxIterations: 200,
  });
  const flatness = refinement.status === 'gradient-flat' ? refinement.flatness : undefined;
  const analysis = analyzePoint(model.objective, refinement.theta, spec.analysis, model, flatness);
  return {
    kind: 'search',
    id: startId(job.index),
    index: job.index,
    status: refinement.status,
    parameters: refinement.theta,
    ...analysis,
    seconds: (performance.now() - started) / 1000,
  };
}

/** L(center + xs[i]·x + ys[j]·y) for every grid point of the job's rows, one buffer reused. */
function runGridJob(
  context: JobContext,
  job: Extract<Job, { kind: 'grid' }>,
  started: number,
): GridOutcome {
  const objective = context.model.objective;
  const theta = new Float64Array(job.center.length);
  const losses = job.ys.map((b) =>
    job.xs.map((a) => {
      for (let i = 0; i < theta.length; i++) theta[i] = job.center[i] + a * job.x[i] + b * job.y[i];
      const loss = objective.loss(theta);
      return Number.isFinite(loss) ? loss : null;
    }),
  );
  return {
    kind: 'grid',
    id: `slice-${job.slice}-${job.row}`,
    slice: job.slice,
    row: job.row,
    losses,
    seconds: (performance.now() - started) / 1000,
  };
}

/** What the result file records of a refinement: all but θ, and flatness only when it matters. */
function summarize({ theta: _theta, flatness, ...summary }: Refinement): RunRefinement {
  return summary.status === 'converged' ? summary : { ...summary, flatness };
}
