// Text formatting for the terminal: numbers, the summary table.
import type { AnalysisResult, RunResult } from '../protocol/result';
import { curvatureSummary } from '../protocol/wording';

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e5
    ? Number(value.toPrecision(4)).toString()
    : value.toExponential(2);
}

export function verdictLabel(run: RunResult): string {
  const v = run.verdict;
  switch (v.kind) {
    case 'saddle':
      return v.index === null ? 'saddle' : `saddle (index ${v.index})`;
    case 'minimum':
      return v.nullity ? `minimum (${v.nullity} flat)` : 'minimum';
    case 'not-critical':
      return v.cause ? `not-critical: ${v.cause.replace('-', ' ')}` : v.kind;
    case 'maximum':
    case 'degenerate':
      return v.kind;
  }
}

/** Columns: run, loss, ‖∇L‖, verdict, index, λmin, λmax, same as. */
export function summaryTable(result: AnalysisResult): string {
  const header = ['run', 'loss', '‖∇L‖', 'verdict', 'index', 'λmin', 'λmax', 'same as'];
  const rows = result.runs.map((run) => {
    const eigenvalues = run.hessian?.eigenvalues ?? [];
    return [
      run.id,
      formatNumber(run.loss),
      formatNumber(run.gradientNorm),
      verdictLabel(run),
      run.verdict.index === null ? '–' : String(run.verdict.index),
      formatNumber(eigenvalues[0]),
      formatNumber(eigenvalues[eigenvalues.length - 1]),
      run.equivalentTo ? `${run.equivalentTo.id} (${run.equivalentTo.relation})` : '',
    ];
  });
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
