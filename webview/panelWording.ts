// What only the panel says: a verdict's tooltip, the facts under the title, the note instead
// of empty curves. Numbers, verdicts and twins read as everywhere (src/protocol/wording.ts).
// Pure functions, so the words users see are tested without a browser.
import { lossText, type AnalysisResult, type Verdict } from '../src/protocol/result';
import { formatNumber, plural } from '../src/protocol/wording';

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
    `loss ${lossText(result)}`,
    // A merged result's total is the merge's; its shards' times are listed apart.
    `${result.shards?.length ? 'merged' : 'computed'} in ${formatNumber(result.timings.totalSeconds)} s`,
  ];
}

/** Said instead of an empty chart when the result has no trained runs. */
export function noCurvesNote(result: AnalysisResult | null): string | null {
  if (!result || result.runs.some((r) => r.kind === 'run')) return null;
  return 'No training runs ("training": {"runs": 0}), so there are no loss curves: the points are analyzed where they stand.';
}
