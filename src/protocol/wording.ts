// How numbers, counts, verdicts and twins read wherever people see them (the CLI, the panel,
// its CSV, notifications, messages about a file): said once, so every front end says
// "1 run", "2 minima", "saddle · index 2" and "≡ run-0 (h1↔h2)" alike.
import type {
  Equivalence,
  HessianSummary,
  ShardRecord,
  SliceCurvature,
  SmoothedCurve,
  SmoothedPointKind,
  SmoothedSurface,
  Timings,
  Verdict,
  VerdictKind,
} from './result';

/** What a missing number reads as. */
export const MISSING = '—';

/** Four significant digits; exponent notation outside [1e-3, 1e5), without trailing zeros. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return MISSING;
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return Number(value.toPrecision(4)).toString();
}

/**
 * "minimum", "minimum · 2 flat", "saddle · index 2", "not critical · still descending":
 * a verdict in a few words (the panel's badge capitalizes the first letter).
 */
export function verdictLabel(
  verdict: Pick<Verdict, 'kind' | 'index'> & Partial<Pick<Verdict, 'nullity' | 'cause'>>,
): string {
  switch (verdict.kind) {
    case 'saddle':
      return verdict.index === null ? 'saddle' : `saddle · index ${verdict.index}`;
    case 'minimum':
      // Flat directions (symmetries, or a plateau of minima) beside the positive ones.
      return verdict.nullity ? `minimum · ${verdict.nullity} flat` : 'minimum';
    case 'not-critical':
      return verdict.cause ? `not critical · ${verdict.cause.replace('-', ' ')}` : 'not critical';
    case 'maximum':
    case 'degenerate':
      return verdict.kind;
  }
}

/**
 * One hidden layer's unit correspondence in cycle notation, 1-based as in the seeds:
 * [1, 0] → "h1↔h2", [1, 2, 0] → "h1→h2→h3→h1"; sign flips as "−h2", relu rescalings as
 * "h2×0.5" (this network's unit is 0.5 times its partner's incoming weights).
 */
export function formatUnitMap(permutation: number[], signs?: number[], scales?: number[]): string {
  const parts: string[] = [];
  const seen = new Set<number>();
  for (let start = 0; start < permutation.length; start++) {
    if (seen.has(start) || permutation[start] === start) continue;
    const cycle: number[] = [];
    for (let unit = start; !seen.has(unit); unit = permutation[unit]) {
      seen.add(unit);
      cycle.push(unit);
    }
    const names = cycle.map((u) => `h${u + 1}`);
    parts.push(names.length === 2 ? names.join('↔') : [...names, names[0]].join('→'));
  }
  const flipped = (signs ?? []).flatMap((s, unit) => (s < 0 ? [`−h${unit + 1}`] : []));
  if (flipped.length > 0) parts.push(`sign ${flipped.join(' ')}`);
  const scaled = (scales ?? []).flatMap((c, unit) =>
    c !== 1 ? [`h${unit + 1}×${formatNumber(c)}`] : [],
  );
  if (scaled.length > 0) parts.push(`scale ${scaled.join(' ')}`);
  return parts.join(', ');
}

/** "≡ run-0 (h1↔h2)"; layers are named when there is more than one hidden layer. */
export function equivalenceLabel(equivalence: Equivalence): string {
  const layers = equivalence.permutation ?? [];
  const described = layers
    .map((permutation, layer) => {
      const text = formatUnitMap(
        permutation,
        equivalence.signs?.[layer],
        equivalence.scales?.[layer],
      );
      return text && layers.length > 1 ? `layer ${layer + 1}: ${text}` : text;
    })
    .filter(Boolean);
  let detail: string;
  if (described.length > 0) detail = described.join('; ');
  else if (equivalence.relation === 'identical') detail = 'same point';
  else detail = equivalence.relation;
  return `≡ ${equivalence.id} (${detail})`;
}

/** "1 sample", "2 samples", "1,000 samples"; irregular plurals are given. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** "a", "a or b", "a, b or c". */
export function orList(words: readonly string[]): string {
  return listOf(words, 'or');
}

/** "a", "a and b", "a, b and c". */
export function andList(words: readonly string[]): string {
  return listOf(words, 'and');
}

function listOf(words: readonly string[], conjunction: string): string {
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
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
  const sign =
    negative > 0
      ? `λmin < 0 at ${negative.toLocaleString('en-US')} of ${plural(points, 'grid point')} (${percent(negative / points)})${low}: along some direction the loss curves down there, so it is not convex`
      : `λmin ≥ 0 at all ${plural(points, 'grid point')}${low}: the Hessian is positive semidefinite everywhere on this slice, no direction curves down`;
  const range = curvature.ratioRange;
  if (range === undefined) return sign;
  const digits = (value: number) => Number(value.toPrecision(3));
  return range === null
    ? `${sign}; |λmin/λmax| is undefined everywhere (λmax = 0)`
    : `${sign}; |λmin/λmax| from ${digits(range.least)} to ${digits(range.greatest)}${range.median === undefined ? '' : `, median ${digits(range.median)}`}`;
}

/**
 * "σ = 0.3: 2 minima (at -0.837, 0.837) and 1 maximum (at 0)": one smoothing of a line or a
 * plane (points at (x, y)), in one line. Monte Carlo adds each location's standard error and
 * the largest standard error of L_σ.
 */
export function smoothingSummary(smoothing: SmoothedCurve | SmoothedSurface): string {
  const digits = (value: number) => Number(value.toPrecision(3));
  // A point at rounding distance from 0 (the symmetric minima's merger) is said to be at 0.
  const coordinate = (value: number, error?: number) =>
    `${Math.abs(value) < 1e-12 ? 0 : digits(value)}${error === undefined ? '' : ` ± ${digits(error)}`}`;
  const points: { kind: SmoothedPointKind; where: string }[] = isSurface(smoothing)
    ? smoothing.criticalPoints.map((p) => ({
        kind: p.kind,
        where: `(${coordinate(p.x, p.uncertainty?.x)}, ${coordinate(p.y, p.uncertainty?.y)})`,
      }))
    : (smoothing.criticalPoints ?? []).map((p) => ({
        kind: p.kind,
        where: coordinate(p.t, p.uncertainty?.t),
      }));
  const names: Record<SmoothedPointKind, [string, string]> = {
    minimum: ['minimum', 'minima'],
    saddle: ['saddle', 'saddles'],
    maximum: ['maximum', 'maxima'],
    degenerate: ['degenerate point', 'degenerate points'],
    unresolved: ['point of unresolved kind', 'points of unresolved kind'],
  };
  const kinds = (Object.keys(names) as SmoothedPointKind[]).flatMap((kind) => {
    const at = points.filter((p) => p.kind === kind).map((p) => p.where);
    const [one, many] = names[kind];
    return at.length > 0
      ? [`${at.length} ${at.length === 1 ? one : many} (at ${at.join(', ')})`]
      : [];
  });
  const found = kinds.length > 0 ? kinds.join(' and ') : 'no critical point on the slice';
  if (smoothing.method === 'quadrature') return `σ = ${smoothing.sigma}: ${found}`;
  const errors = smoothing.error.flat().filter((e): e is number => e !== null);
  return `σ = ${smoothing.sigma}: ${found}; Monte Carlo over ${smoothing.samples} perturbations, standard error of L_σ up to ${digits(Math.max(0, ...errors))}`;
}

function isSurface(smoothing: SmoothedCurve | SmoothedSurface): smoothing is SmoothedSurface {
  return Array.isArray(smoothing.loss[0]);
}

/** "12.5%", "0.3%", "100%": a share of grid points. */
function percent(share: number): string {
  return `${Number((100 * share).toPrecision(share < 0.1 ? 2 : 3))}%`;
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

/**
 * "tr(H) = 19.9 (exact)", "tr(H) ≈ 19.6 ± 0.86 (Hutchinson, 30 probes, deflated by 30 Lanczos
 * vectors)": the trace and how sure it is.
 */
export function traceSummary(trace: NonNullable<HessianSummary['trace']>): string {
  if (trace.method === 'exact') return `tr(H) = ${formatNumber(trace.value)} (exact)`;
  const error =
    trace.standardError === undefined || trace.standardError === null
      ? ''
      : ` ± ${formatNumber(trace.standardError)}`;
  const deflated = trace.deflated
    ? `, deflated by ${plural(trace.deflated, 'Lanczos vector')}`
    : '';
  return `tr(H) ≈ ${formatNumber(trace.value)}${error} (Hutchinson, ${plural(trace.probes ?? 0, 'probe')}${deflated})`;
}

/**
 * What of a spectrum is less sure than asked, one sentence each: a density that did not
 * settle (and the probes that would settle it), Ritz values that have not converged.
 */
export function spectrumDoubts(hessian: HessianSummary): string[] {
  const doubts: string[] = [];
  const density = hessian.density;
  if (density && density.settled === false)
    doubts.push(
      `the eigenvalue density did not settle: its standard error ${formatNumber(density.standardError)} after ${plural(density.probes, 'probe')} is above the tolerance ${formatNumber(density.tolerance)}${density.suggestedProbes ? `; raise analysis.density.probes to about ${density.suggestedProbes.toLocaleString('en-US')}` : ''}`,
    );
  const converged = hessian.converged ?? [];
  const open = converged.flatMap((ok, k) => (ok ? [] : [k]));
  if (open.length > 0 && hessian.residuals) {
    const worst = Math.max(...open.map((k) => hessian.residuals![k]));
    const smallest = open[0] === 0;
    doubts.push(
      `${plural(open.length, 'Ritz value')} of ${converged.length} ${open.length === 1 ? 'has' : 'have'} not converged (residual bound up to ${formatNumber(worst)})${smallest ? `, λmin among them: ${formatNumber(hessian.eigenvalues[0])} is an upper bound on it` : ''}`,
    );
  }
  return doubts;
}
