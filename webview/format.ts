// How numbers, verdicts and unit permutations read in the panel. Pure functions, so the
// words users see are tested without a browser.
import type { AnalysisResult, Equivalence, Verdict, VerdictKind } from '../src/protocol/result';
import { plural } from '../src/protocol/wording';

/** Four significant digits; exponent notation outside [1e-3, 1e5). */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return Number(value.toPrecision(4)).toString();
}

const KIND_LABELS: Record<VerdictKind, string> = {
  minimum: 'Minimum',
  saddle: 'Saddle',
  maximum: 'Maximum',
  degenerate: 'Degenerate',
  'not-critical': 'Not critical',
};

/** "Minimum", "Saddle · index 2", "Not critical", … */
export function verdictLabel(verdict: Pick<Verdict, 'kind' | 'index' | 'cause'>): string {
  if (verdict.kind === 'saddle' && verdict.index !== null) return `Saddle · index ${verdict.index}`;
  // Not critical, and why in a word: "Not critical · diverging".
  if (verdict.kind === 'not-critical' && verdict.cause)
    return `${KIND_LABELS[verdict.kind]} · ${verdict.cause.replace('-', ' ')}`;
  return KIND_LABELS[verdict.kind];
}

/** The badge's tooltip: the engine's reason and the tolerances it used. */
export function verdictTooltip(verdict: Verdict): string {
  const lines = [
    verdict.reason,
    `critical when ‖∇L‖ ≤ ${formatNumber(verdict.tolerance.gradient)}`,
  ];
  if (verdict.tolerance.eigenvalue !== null)
    lines.push(
      `eigenvalues with |λ| ≤ ${formatNumber(verdict.tolerance.eigenvalue)} count as zero`,
    );
  lines.push(`method: ${verdict.method}`);
  return lines.join('\n');
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

/** The line under the title: "xor.loss.json · 16 runs · 9 parameters · 4 samples · loss mse · computed in 2.5 s". */
export function resultFacts(result: AnalysisResult, file: string | null): string[] {
  const runs = result.runs.filter((r) => r.kind === 'run').length;
  const points = result.runs.length - runs;
  return [
    ...(file ? [file] : []),
    ...(runs > 0 || points === 0 ? [plural(runs, 'run')] : []),
    ...(points > 0 ? [plural(points, 'point')] : []),
    plural(result.parameterCount, 'parameter'),
    plural(result.data.samples, 'sample'),
    `loss ${result.loss}`,
    // A merged result's total is the merge's; its shards' times are listed apart.
    `${result.shards?.length ? 'merged' : 'computed'} in ${formatNumber(result.timings.totalSeconds)} s`,
  ];
}

/** Said instead of an empty chart when the result has no trained runs. */
export function noCurvesNote(result: AnalysisResult | null): string | null {
  if (!result || result.runs.some((r) => r.kind === 'run')) return null;
  return 'No training runs ("training": {"runs": 0}), so there are no loss curves: the points are analyzed where they stand.';
}
