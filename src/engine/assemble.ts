// Turns job outcomes into the parts of the result file: run entries, the pairs of minima to
// join by paths, the search's distinct critical points.
import { groupEquivalent, type Analyzed, type EquivalenceContext } from '../core/analysis/classes';
import type { AnalysisSpec } from '../core/spec/types';
import type {
  ResultClass,
  RunResult,
  SearchCriticalPoint,
  SearchSummary,
} from '../protocol/result';
import type { JobOutcome, SearchOutcome } from './jobs';
import { criticalId } from '../protocol/ids';

export function toRunResult(o: JobOutcome, equivalentTo: RunResult['equivalentTo']): RunResult {
  return {
    id: o.id,
    kind: o.kind,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    loss: o.loss,
    gradientNorm: o.gradientNorm,
    parameters: Array.from(o.parameters),
    ...(o.curve ? { curve: o.curve } : {}),
    ...(o.refinement ? { refinement: o.refinement } : {}),
    ...(o.kind === 'run'
      ? {
          training: {
            epochs: o.epochs ?? 0,
            stopReason: o.stopReason ?? 'epochs',
            ...(o.from ? { from: o.from } : {}),
          },
        }
      : {}),
    verdict: o.verdict,
    hessian: o.hessian,
    equivalentTo,
  };
}

/** Smallest |λ| of a spectrum without zero eigenvalues (bounds the distance to the critical point). */
function smallestCurvature(o: Pick<JobOutcome, 'hessian' | 'verdict'>): number | null {
  if (!o.hessian || o.verdict.nullity !== 0 || o.hessian.eigenvalues.length === 0) return null;
  return Math.min(...o.hessian.eigenvalues.map(Math.abs));
}

/**
 * The pairs of minima to join: each class's representative and its first twin that is
 * not identical (its permuted copy), or the pairs the file names.
 */
export function pathPairs(
  paths: AnalysisSpec['paths'],
  runs: RunResult[],
  classes: ResultClass[],
): [RunResult, RunResult][] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  if (paths === 'none') return [];
  if (Array.isArray(paths)) return paths.map((pair) => [byId.get(pair.from)!, byId.get(pair.to)!]);
  const pairs: [RunResult, RunResult][] = [];
  for (const cls of classes) {
    const representative = byId.get(cls.representative)!;
    if (representative.verdict.kind !== 'minimum') continue;
    const twin = cls.members
      .map((id) => byId.get(id)!)
      .find((r) => r.equivalentTo && r.equivalentTo.relation !== 'identical');
    if (twin) pairs.push([representative, twin]);
  }
  return pairs;
}

/** Distinct critical points the search reached (up to symmetry), with how often each was found. */
export function summarizeSearch(
  outcomes: SearchOutcome[],
  context: EquivalenceContext,
): { points: SearchCriticalPoint[]; summary: SearchSummary } {
  const critical = outcomes.filter(
    (o) => o.status === 'converged' && o.verdict.kind !== 'not-critical',
  );
  const analyzed: Analyzed[] = critical.map(toAnalyzed);
  const { classes } = groupEquivalent(analyzed, context);
  const byId = new Map(critical.map((o) => [o.id, o]));
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
      starts: cls.members.map((id) => byId.get(id)!.index),
    };
  });
  return {
    points,
    summary: {
      starts: outcomes.length,
      converged: critical.length,
      gradientFlat: outcomes.filter((o) => o.status === 'gradient-flat').length,
      failed: outcomes.filter(
        (o) =>
          o.status !== 'gradient-flat' &&
          !(o.status === 'converged' && o.verdict.kind !== 'not-critical'),
      ).length,
      distinct: points.length,
    },
  };
}

/** What the grouping into classes needs to know of an analyzed point. */
export function toAnalyzed(o: JobOutcome | SearchOutcome): Analyzed {
  return {
    id: o.id,
    parameters: o.parameters,
    loss: o.loss,
    gradientNorm: o.gradientNorm,
    verdict: o.verdict.kind,
    smallestCurvature: smallestCurvature(o),
  };
}
