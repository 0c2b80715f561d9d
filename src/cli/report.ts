// What the CLI prints after an analysis: the runs table, the classes, the paths between twins,
// the search, and notes. Numbers and verdicts read as everywhere (protocol/wording).
import type { AnalysisResult } from '../protocol/result';
import { resultRows, RUN_COLUMNS } from '../protocol/runTable';
import {
  curvatureSummary,
  smoothingSummary,
  formatNumber,
  spectrumDoubts,
} from '../protocol/wording';

/** The runs and named points, in the CLI's columns of the one runs table (protocol/runTable). */
export function summaryTable(result: AnalysisResult): string {
  const columns = RUN_COLUMNS.filter((column) => column.cli);
  const rows = resultRows(result)
    .filter((row) => row.source === 'run' || row.source === 'point')
    .map((row) => columns.map((column) => column.text(row)));
  const header = columns.map((column) => column.heading);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "2 distinct networks among 16 analyzed (the rest are twins up to symmetry):" and one line per class. */
export function classSummary(result: AnalysisResult): string {
  const count = result.classes.length;
  const lines = [
    `${count} distinct network${count === 1 ? '' : 's'} among ${result.runs.length} analyzed (members are the same network up to the symmetries found):`,
  ];
  for (const c of result.classes) {
    const others = c.members.length - 1;
    lines.push(
      `  ${c.representative}: ${c.verdict}, loss ${formatNumber(c.loss)}${others > 0 ? `, and ${others} more` : ''}`,
    );
  }
  return lines.join('\n');
}

/** "between run-0 and run-1: saddle (index 1) at loss 0.1807, barrier 0.1743 (straight line 0.3908)" */
export function pathSummary(result: AnalysisResult): string {
  const points = result.criticalPoints.filter((p) => p.source === 'path');
  if (points.length === 0) return '';
  const lines = ['What stands between them (minimum-energy path, its highest point refined):'];
  for (const point of points) {
    const v = point.verdict;
    const between = `between ${point.between[0]} and ${point.between[1]}`;
    if (v.kind !== 'saddle') {
      // Refinement from the path's top landed elsewhere: there is no saddle to report.
      const top = Math.max(...point.path.losses);
      lines.push(
        `  ${between}: no saddle found: the path's highest point (loss ${formatNumber(top)}${point.path.settled ? '' : ', the path not settled'}) refined to a ${v.kind} at loss ${formatNumber(point.loss)} (straight line barrier ${formatNumber(point.straightLineBarrier)})`,
      );
      continue;
    }
    lines.push(
      `  ${between}: saddle (index ${v.index ?? '?'}) at loss ${formatNumber(point.loss)}, barrier ${formatNumber(point.barrier)} (straight line ${formatNumber(point.straightLineBarrier)})`,
    );
  }
  return lines.join('\n');
}

/** The search's distinct critical points by loss, with index and count: Dauphin et al.'s plot as a table. */
export function searchSummary(result: AnalysisResult): string {
  const search = result.search;
  if (!search) return '';
  const lines = [
    `Search from ${search.starts} random starts: ${search.converged} reached a critical point (${search.distinct} distinct), ${search.gradientFlat} stopped at gradient-flat points, ${search.failed} did not converge`,
  ];
  const points = result.criticalPoints
    .filter((p) => p.source === 'search')
    .sort((a, b) => a.loss - b.loss);
  for (const point of points) {
    const v = point.verdict;
    lines.push(
      `  loss ${formatNumber(point.loss).padEnd(9)} index ${String(v.index ?? '?').padEnd(3)} ${v.kind.padEnd(10)} found ${point.count}×`,
    );
  }
  return lines.join('\n');
}

/** Why each run or point that is not critical is not, one line each (none: empty). */
export function notCriticalSummary(result: AnalysisResult): string {
  const off = result.runs.filter((run) => run.verdict.kind === 'not-critical');
  if (off.length === 0) return '';
  return [
    'Not at a critical point:',
    ...off.map((run) => `  ${run.id}: ${run.verdict.reason}`),
  ].join('\n');
}

/** The landscape the engine chose when the file declared none, and the entry that pins it. */
export function automaticSliceSummary(result: AnalysisResult): string {
  const automatic = result.slices.find((slice) => slice.automatic)?.automatic;
  if (!automatic) return '';
  return [
    `Landscape chosen automatically: ${automatic.reason}.`,
    `  To keep it, add to "analysis": "slices": [${JSON.stringify(automatic.spec)}]`,
  ].join('\n');
}

/** What each slice's curvature shows, when it was asked for (none: empty). */
export function curvatureSlicesSummary(result: AnalysisResult): string {
  const lines = result.slices.flatMap((slice, i) =>
    slice.curvature ? [`  slice ${i} (${slice.type}): ${curvatureSummary(slice.curvature)}`] : [],
  );
  return lines.length > 0 ? ['Curvature on the slices:', ...lines].join('\n') : '';
}

/** The critical points each smoothing of each slice has (none asked: empty). */
export function smoothingSlicesSummary(result: AnalysisResult): string {
  const lines = result.slices.flatMap((slice, i) =>
    slice.smoothing
      ? slice.smoothing.map((each) => `  slice ${i} (${slice.type}): ${smoothingSummary(each)}`)
      : [],
  );
  return lines.length > 0
    ? [
        'Smoothed (L_σ = E[L(θ + σε)]), with its critical points along each line and in each plane:',
        ...lines,
      ].join('\n')
    : '';
}

/** tr(H) beyond the table, and what of each spectrum is less sure than asked (none: empty). */
export function spectrumDoubtsSummary(result: AnalysisResult): string {
  const lines = [...result.runs, ...result.criticalPoints].flatMap((item) =>
    item.hessian ? spectrumDoubts(item.hessian).map((doubt) => `  ${item.id}: ${doubt}`) : [],
  );
  return lines.length > 0 ? ['Less sure than asked:', ...lines].join('\n') : '';
}
