// How counts read wherever people see them (CLI, notifications, the panel, messages about a
// file), so that every front end says "1 run", "2 runs" and "2 minima" alike.
import type { ShardRecord, SliceCurvature, Timings, VerdictKind } from './result';

/** "1 sample", "2 samples", "1,000 samples"; irregular plurals are given. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

const VERDICT_NOUNS: Record<VerdictKind, [singular: string, plural: string]> = {
  minimum: ['minimum', 'minima'],
  saddle: ['saddle', 'saddles'],
  maximum: ['maximum', 'maxima'],
  degenerate: ['degenerate critical point', 'degenerate critical points'],
  'not-critical': ['point that is not critical', 'points that are not critical'],
};

/** "2 minima, 1 saddle": how many of each verdict, in the order minimum … not-critical. */
export function verdictCounts(kinds: VerdictKind[]): string {
  return (Object.keys(VERDICT_NOUNS) as VerdictKind[])
    .map((kind) => [kind, kinds.filter((k) => k === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => plural(count, ...VERDICT_NOUNS[kind]))
    .join(', ');
}

/** "16 minima, 2 saddles; 4 distinct networks": what an analysis found, in one line. */
export function analysisSummary(summary: { verdicts: VerdictKind[]; classes: number }): string {
  const found = verdictCounts(summary.verdicts) || 'nothing analyzed';
  return `${found}; ${plural(summary.classes, 'distinct network')}`;
}

const STAGES: [keyof Timings, string][] = [
  ['loadSeconds', 'load'],
  ['trainingSeconds', 'training'],
  ['refinementSeconds', 'refinement'],
  ['spectrumSeconds', 'spectrum'],
  ['equivalenceSeconds', 'equivalence'],
  ['pathsSeconds', 'paths'],
  ['searchSeconds', 'search'],
  ['slicesSeconds', 'slices'],
];

/** "training 3.2 s · spectrum 1.2 s · slices 0.81 s": the stages that took time, in order. */
export function stageTimes(timings: Partial<Timings>): string {
  return STAGES.filter(([key]) => (timings[key] ?? 0) >= 0.005)
    .map(([key, name]) => `${name} ${Number(timings[key]!.toPrecision(2))} s`)
    .join(' · ');
}

/**
 * "λmin < 0 at 63 of 201 grid points (down to −4): the loss is not convex here", or that the
 * Hessian is positive semidefinite at every one: what a slice's curvature shows, in one line.
 */
export function curvatureSummary(curvature: SliceCurvature<unknown>): string {
  const { negative, points, least } = curvature;
  const low = least === null ? '' : ` (λmin down to ${Number(least.toPrecision(3))})`;
  if (points === 0) return 'the Hessian is not finite anywhere on this slice';
  return negative > 0
    ? `λmin < 0 at ${negative.toLocaleString('en-US')} of ${plural(points, 'grid point')}${low}: along some direction the loss curves down there, so it is not convex`
    : `λmin ≥ 0 at all ${plural(points, 'grid point')}${low}: the Hessian is positive semidefinite everywhere on this slice, no direction curves down`;
}

/**
 * "4 shards: 0 on node1 in 3.2 s (4 runs, 6 starts) · 1 on node2 in 3.0 s (…)": where the
 * parts of a merged result ran and how long each took.
 */
export function shardSummary(shards: ShardRecord[]): string {
  const each = shards.map((s) => {
    const work = [
      s.runs > 0 ? plural(s.runs, 'run') : '',
      s.points > 0 ? plural(s.points, 'point') : '',
      s.starts > 0 ? plural(s.starts, 'start') : '',
    ].filter(Boolean);
    return `${s.index} on ${s.host} in ${Number(s.seconds.toPrecision(3))} s${work.length > 0 ? ` (${work.join(', ')})` : ''}`;
  });
  return `${plural(shards.length, 'shard')}: ${each.join(' · ')}`;
}
