// The stages of an analysis, in the order they run: train the runs and judge them with the
// named points and the search's starts (the work a shard does); group them into classes;
// find what stands between twins; slice the landscape. Each stage is one pool pass (or none) that takes and
// gives analyzed points; analyze.ts runs them, assemble.ts turns what they found into the
// result. A cancelled pool pass throws CancelledError through all of them.
import { groupEquivalent, type EquivalenceContext } from '../core/analysis/classes';
import type { Dataset } from '../core/data/dataset';
import { buildOutputProbe, type ModelContext } from '../core/model/build';
import type { MlpArchitecture } from '../core/model/architecture';
import type { UnitNetwork } from '../core/model/units';
import type { FilterLayout } from '../core/model/filters';
import type { ResolvedSpec } from '../core/vocabulary';
import type { EngineEvent } from '../protocol/events';
import { runId } from '../protocol/ids';
import type { Equivalence, ResultClass, Slice } from '../protocol/result';
import { pathPairs, summarizeSearch, toAnalyzed } from './assemble';
import { createJobContext, type AnalyzedPoint, type PointJob } from './jobs';
import { torchObjectiveOf } from './torch/torchModel';
import { runJobs, type PoolOptions } from './pool';
import { chooseAutomaticSlice } from './automaticSlice';
import { shardIndices, type Shard } from './shards';
import { planSlices } from './slicePlans';
import { PLANE_DIRECTION_DEFINITIONS } from '../core/analysis/planes';

/** Snapshots of θ kept along a trajectory plane's run: its axes are their principal components. */
/** At most this many snapshots along every other run, for its path on the slices … */
export const PATH_SAMPLES = 64;
/** … and at most this many numbers of them in all (64 MB), whatever the model's size. */
export const PATH_NUMBERS = 8e6;

/**
 * Snapshots of θ each run keeps for its path: up to PATH_SAMPLES, fewer when the runs times
 * the parameters would hold more than PATH_NUMBERS, and never fewer than the start and the end.
 */
export function pathSampleCount(parameterCount: number, runs: number): number {
  const fit = Math.floor(PATH_NUMBERS / Math.max(1, parameterCount * runs));
  return Math.max(2, Math.min(PATH_SAMPLES, fit));
}

/** What every stage needs: the problem, how to run jobs, and where to report. */
export interface Analysis {
  spec: ResolvedSpec;
  dataset: Dataset;
  parameterCount: number;
  parameterNames: string[];
  /** Null for expression models. */
  architecture: MlpArchitecture | null;
  /** Where the permutable units sit: an MLP's, a plain PyTorch stack's; else null. */
  units: UnitNetwork | null;
  /** How random plane directions are filter-normalized; null for expression models. */
  filters: FilterLayout | null;
  pool: Pick<PoolOptions, 'threads' | 'parallel' | 'signal'>;
  emit: (event: EngineEvent) => void;
}

/**
 * What one index of the file gives, independent of every other: each run trained, refined and
 * judged, each named point judged, each search start refined and judged. Split into shards
 * by index, the parts add up to exactly this (shards.ts).
 */
export interface IndexedWork {
  /** Runs, then named points, in the file's order. */
  points: AnalyzedPoint[];
  /** The search's starts, by index. */
  starts: AnalyzedPoint[];
}

/**
 * Trains every run (of the shard), refines and judges where it heads, judges every named
 * point, and refines and judges every start of the search: one pool pass, since none of them
 * depends on another.
 */
export async function trainAndJudge(
  analysis: Analysis,
  shard: Shard | null = null,
): Promise<IndexedWork> {
  const { spec, dataset, parameterCount, emit } = analysis;
  emit({ type: 'phase', phase: 'training' });
  // A plane whose kind reads its centre's path (a trajectory's axes are its principal
  // components) has that run keep more snapshots.
  const centerSnapshots = new Map<string, number>();
  for (const s of spec.analysis.slices) {
    const wanted =
      s.type === 'plane' ? PLANE_DIRECTION_DEFINITIONS[s.directions].centerSnapshots : 0;
    if (s.type === 'plane' && s.center && wanted > 0)
      centerSnapshots.set(s.center, Math.max(wanted, centerSnapshots.get(s.center) ?? 0));
  }
  const pathSnapshots = pathSampleCount(parameterCount, spec.training.runs);
  const jobs: PointJob[] = [
    ...shardIndices(spec.training.runs, shard).map((index): PointJob => ({
      kind: 'run',
      index,
      snapshots:
        centerSnapshots.get(runId(index)) ??
        (spec.analysis.slices.length > 0 || spec.analysis.automaticSlices ? pathSnapshots : 0),
    })),
    ...shardIndices(spec.points.length, shard).map((k): PointJob => ({
      kind: 'point',
      name: spec.points[k].name,
    })),
    ...shardIndices(spec.analysis.search.starts, shard).map((index): PointJob => ({
      kind: 'search',
      index,
    })),
  ];
  const done = await runJobs(spec, dataset, parameterCount, jobs, {
    ...analysis.pool,
    onProgress: (run, epoch, loss) => emit({ type: 'progress', run, epoch, loss }),
    onJobDone: (point) => {
      if (point.origin.kind === 'run') {
        const { index, epochs, stopReason } = point.origin;
        emit({ type: 'run-finished', run: index, epochs, loss: point.loss, stopReason });
      }
      emit({ type: 'verdict', id: point.id, verdict: point.verdict });
    },
  });
  return {
    points: done.filter((point) => point.origin.kind !== 'search'),
    starts: done.filter((point) => point.origin.kind === 'search'),
  };
}

export interface Classes {
  classes: ResultClass[];
  equivalences: Map<string, Equivalence>;
  /** How networks are compared, kept for grouping the search's points alike. */
  context: EquivalenceContext;
}

/** Groups runs and points into classes of the same network, up to the symmetries found. */
export function findClasses(analysis: Analysis, points: AnalyzedPoint[]): Classes {
  const { spec, dataset, emit } = analysis;
  emit({ type: 'phase', phase: 'analysis' });
  const torch = spec.model.kind === 'pytorch' ? torchObjectiveOf(spec) : null;
  const context: EquivalenceContext = {
    architecture: analysis.architecture,
    units: analysis.units,
    symmetries: spec.analysis.equivalence,
    outputs: buildOutputProbe(
      spec,
      dataset,
      torch ? (t, inputs) => torch.predict(t, inputs) : undefined,
    ),
  };
  return { ...groupEquivalent(points.map(toAnalyzed), context), context };
}

/** The saddles between twins (or the pairs named): one pool pass. */
export async function pathsBetween(
  analysis: Analysis,
  points: AnalyzedPoint[],
  { classes, equivalences }: Classes,
): Promise<AnalyzedPoint[]> {
  const { spec, dataset, parameterCount, emit } = analysis;
  const pairs = pathPairs(spec.analysis.paths, points, classes, equivalences);
  if (pairs.length === 0) return [];
  const jobs: PointJob[] = pairs.map(([from, to], index): PointJob => ({
    kind: 'path',
    index,
    between: [from.id, to.id],
    from: from.parameters,
    to: to.parameters,
  }));
  return runJobs(spec, dataset, parameterCount, jobs, {
    ...analysis.pool,
    onJobDone: (point) => emit({ type: 'verdict', id: point.id, verdict: point.verdict }),
  });
}

/** The search's starts grouped into distinct critical points (null when the file asks for none). */
export function searchResults(
  analysis: Analysis,
  starts: AnalyzedPoint[],
  { context }: Classes,
): { search: ReturnType<typeof summarizeSearch> | null; searchSeconds: number } {
  const search = analysis.spec.analysis.search.starts > 0 ? summarizeSearch(starts, context) : null;
  return { search, searchSeconds: starts.reduce((sum, start) => sum + start.seconds, 0) };
}

/**
 * The landscape slices the file asks for — or, when it names none, the one the engine chooses
 * (automaticSlice.ts) — with every run, point and saddle as a marker and every run's path.
 */
export async function landscapeSlices(
  analysis: Analysis,
  points: AnalyzedPoint[],
  saddles: AnalyzedPoint[],
  classes: ResultClass[],
): Promise<{ slices: Slice[]; warnings: string[] }> {
  const { spec, dataset, parameterCount, emit } = analysis;
  const automatic = spec.analysis.automaticSlices
    ? chooseAutomaticSlice({
        parameterNames: analysis.parameterNames,
        samples: dataset.samples,
        points,
        saddles,
        classes,
        trainingGradients: points.reduce(
          (sum, point) => sum + (point.origin.kind === 'run' ? point.origin.epochs : 0),
          0,
        ),
        verdictProducts: [...points, ...saddles].reduce(
          (sum, point) => sum + point.hessianProducts,
          0,
        ),
        hessians: spec.analysis.hessian !== 'off',
        exactLimit: spec.analysis.exactLimit,
      })
    : null;
  const wanted = automatic ? [automatic.slice] : spec.analysis.slices;
  if (wanted.length === 0) return { slices: [], warnings: [] };
  emit({ type: 'phase', phase: 'slices' });
  const located = new Map([...points, ...saddles].map((point) => [point.id, point]));
  let model: ModelContext | null = null;
  const plan = planSlices(
    wanted,
    located,
    { units: analysis.units, filters: analysis.filters },
    () => (model ??= createJobContext(spec, dataset).model),
    spec.analysis.exactLimit,
    analysis.pool.threads,
    analysis.parameterNames,
    spec.analysis.tolerance.eigenvalue,
  );
  const grids = await runJobs(spec, dataset, parameterCount, plan.jobs, analysis.pool);
  const slices = plan.assemble(grids);
  if (!automatic) return { slices, warnings: plan.warnings };
  // Its warnings name no slice of the file: say which one they are about.
  const warnings = plan.warnings.map((w) => w.replace('analysis.slices[0]', 'the automatic slice'));
  return { slices: slices.map((s) => ({ ...s, automatic: automatic.automatic })), warnings };
}
