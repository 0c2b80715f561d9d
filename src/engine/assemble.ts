// Turns the analyzed points that flowed through the stages into the result file: run entries,
// the saddles between twins and the search's distinct critical points, the pairs of minima to
// join, and the result itself. The only place that knows the result file's shapes.
import { groupEquivalent, type Analyzed, type EquivalenceContext } from '../core/analysis/classes';
import type { Dataset } from '../core/data/dataset';
import type { ModelSpec, ResolvedSpec } from '../core/vocabulary';
import { criticalId } from '../protocol/ids';
import type {
  AnalysisResult,
  Equivalence,
  ModelSummary,
  ShardRecord,
  PathCriticalPoint,
  ResultClass,
  RunResult,
  SearchCriticalPoint,
  SearchSummary,
  Slice,
  Timings,
} from '../protocol/result';
import type { AnalyzedPoint } from './jobs';
import { ENGINE_VERSION } from './version';

/** A trained run or a named point as the result file lists it. */
export function toRunResult(point: AnalyzedPoint, equivalentTo: Equivalence | null): RunResult {
  const { origin } = point;
  return {
    id: point.id,
    kind: origin.kind === 'run' ? 'run' : 'point',
    ...(origin.kind === 'point' ? { name: origin.name } : {}),
    ...(origin.kind === 'point' && origin.weights ? { weights: origin.weights } : {}),
    ...(origin.kind === 'run' ? { seed: origin.seed } : {}),
    loss: point.loss,
    gradientNorm: point.gradientNorm,
    parameters: Array.from(point.parameters),
    ...(origin.kind === 'run'
      ? {
          curve: origin.curve,
          ...(origin.refinement ? { refinement: origin.refinement } : {}),
          training: {
            epochs: origin.epochs,
            stopReason: origin.stopReason,
            ...(origin.from ? { from: origin.from } : {}),
          },
        }
      : {}),
    verdict: point.verdict,
    hessian: point.hessian,
    equivalentTo,
  };
}

/** A saddle found between two minima, as `criticalPoints` lists it. */
export function toPathCriticalPoint(point: AnalyzedPoint): PathCriticalPoint {
  const { origin } = point;
  if (origin.kind !== 'path') throw new Error(`${point.id} is not a saddle between twins`);
  return {
    id: point.id,
    source: 'path',
    between: origin.between,
    loss: point.loss,
    gradientNorm: point.gradientNorm,
    parameters: Array.from(point.parameters),
    verdict: point.verdict,
    hessian: point.hessian,
    barrier: origin.barrier,
    straightLineBarrier: origin.straightLineBarrier,
    path: origin.path,
    refinement: origin.refinement,
  };
}

/** Smallest |λ| of a spectrum without zero eigenvalues (bounds the distance to the critical point). */
function smallestCurvature(point: Pick<AnalyzedPoint, 'hessian' | 'verdict'>): number | null {
  const { hessian, verdict } = point;
  if (!hessian || verdict.nullity !== 0 || hessian.eigenvalues.length === 0) return null;
  return Math.min(...hessian.eigenvalues.map(Math.abs));
}

/** What the grouping into classes needs to know of an analyzed point. */
export function toAnalyzed(point: AnalyzedPoint): Analyzed {
  return {
    id: point.id,
    parameters: point.parameters,
    loss: point.loss,
    gradientNorm: point.gradientNorm,
    verdict: point.verdict.kind,
    smallestCurvature: smallestCurvature(point),
  };
}

/**
 * The pairs of minima to join: each class's representative and its first twin that is
 * not identical (its permuted copy), or the pairs the file names.
 */
export function pathPairs(
  paths: ResolvedSpec['analysis']['paths'],
  points: AnalyzedPoint[],
  classes: ResultClass[],
  equivalences: Map<string, Equivalence>,
): [AnalyzedPoint, AnalyzedPoint][] {
  const byId = new Map(points.map((p) => [p.id, p]));
  if (paths === 'none') return [];
  if (Array.isArray(paths)) return paths.map((pair) => [byId.get(pair.from)!, byId.get(pair.to)!]);
  const pairs: [AnalyzedPoint, AnalyzedPoint][] = [];
  for (const cls of classes) {
    const representative = byId.get(cls.representative)!;
    if (representative.verdict.kind !== 'minimum') continue;
    const twin = cls.members.find((id) => {
      const relation = equivalences.get(id)?.relation;
      return relation !== undefined && relation !== 'identical';
    });
    if (twin) pairs.push([representative, byId.get(twin)!]);
  }
  return pairs;
}

/** Distinct critical points the search reached (up to symmetry), with how often each was found. */
export function summarizeSearch(
  starts: AnalyzedPoint[],
  context: EquivalenceContext,
): { points: SearchCriticalPoint[]; summary: SearchSummary } {
  const statusOf = (point: AnalyzedPoint) =>
    point.origin.kind === 'search' ? point.origin.status : null;
  const reached = (point: AnalyzedPoint) =>
    statusOf(point) === 'converged' && point.verdict.kind !== 'not-critical';
  const critical = starts.filter(reached);
  const { classes } = groupEquivalent(critical.map(toAnalyzed), context);
  const byId = new Map(critical.map((point) => [point.id, point]));
  const startIndex = (id: string) => {
    const origin = byId.get(id)!.origin;
    return origin.kind === 'search' ? origin.index : -1;
  };
  const points = classes.map((cls, k): SearchCriticalPoint => {
    const representative = byId.get(cls.representative)!;
    return {
      id: criticalId(k),
      source: 'search',
      loss: representative.loss,
      gradientNorm: representative.gradientNorm,
      parameters: Array.from(representative.parameters),
      verdict: representative.verdict,
      hessian: representative.hessian,
      count: cls.members.length,
      starts: cls.members.map(startIndex),
    };
  });
  const flat = starts.filter((point) => statusOf(point) === 'gradient-flat').length;
  return {
    points,
    summary: {
      starts: starts.length,
      converged: critical.length,
      gradientFlat: flat,
      failed: starts.length - critical.length - flat,
      distinct: points.length,
    },
  };
}

export interface ResultParts {
  spec: ResolvedSpec;
  dataset: Dataset;
  fileName: string;
  specHash: string;
  parameterNames: string[];
  /** Trained runs and named points, in file order. */
  points: AnalyzedPoint[];
  classes: ResultClass[];
  equivalences: Map<string, Equivalence>;
  saddles: AnalyzedPoint[];
  search: ReturnType<typeof summarizeSearch> | null;
  slices: Slice[];
  warnings: string[];
  timings: Timings;
  threads: number;
  /** Empty when one machine did it all. */
  shards: ShardRecord[];
}

/** The model as the file declared it, defaults filled in, and what a module turned out to be. */
function modelSummary(model: ModelSpec): ModelSummary {
  switch (model.kind) {
    case 'mlp':
      return { kind: 'mlp', layers: model.layers.map((layer) => ({ ...layer })) };
    case 'expression':
      return {
        kind: 'expression',
        expression: model.expression,
        parameters: [...model.parameters],
      };
    case 'pytorch': {
      const module = model.module;
      if (!module) throw new Error('the PyTorch module was not described');
      return {
        kind: 'pytorch',
        file: model.file,
        build: model.build,
        args: model.args,
        module: module.className,
        torch: module.torch,
        dtype: model.dtype,
        device: module.device,
        inputShape: module.inputShape,
        outputShape: module.outputShape,
        tensors: module.tensors,
        equivalence: module.sequential
          ? { available: true, layers: module.sequential.map((layer) => ({ ...layer })) }
          : module.permutable
            ? { available: true, units: module.permutable.slice(0, -1).map((l) => ({ ...l })) }
            : { available: false, unavailable: module.notPermutable ?? 'not a plain stack' },
      };
    }
  }
}

/** The result file (FORMAT.md §3). */
export function assembleResult(parts: ResultParts): AnalysisResult {
  const { spec, dataset, search } = parts;
  return {
    format: 'loss-landscape-result',
    version: 1,
    name: spec.name,
    source: parts.fileName,
    specHash: parts.specHash,
    parameterCount: parts.parameterNames.length,
    parameterNames: parts.parameterNames,
    loss: spec.loss,
    ...(spec.lossFunction ? { lossFunction: { ...spec.lossFunction } } : {}),
    model: modelSummary(spec.model),
    data: {
      samples: dataset.samples,
      inputs: dataset.inputDim,
      targets: dataset.targetDim,
      ...(dataset.standardization ? { standardization: dataset.standardization } : {}),
    },
    runs: parts.points.map((point) => toRunResult(point, parts.equivalences.get(point.id) ?? null)),
    classes: parts.classes,
    slices: parts.slices,
    criticalPoints: [...parts.saddles.map(toPathCriticalPoint), ...(search?.points ?? [])],
    ...(search ? { search: search.summary } : {}),
    warnings: parts.warnings,
    timings: parts.timings,
    engine: { version: ENGINE_VERSION, threads: parts.threads },
    ...(parts.shards.length > 0 ? { shards: parts.shards } : {}),
  };
}
