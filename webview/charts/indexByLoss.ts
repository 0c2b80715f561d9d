// Index versus loss of the critical points found: one point per class of runs (labelled
// with its size) plus the saddles found on paths and by the search. Minima sit at index 0;
// a landscape whose low-loss points all have index 0 has no saddle traps there.
import type { ChartConfiguration } from 'chart.js';
import type { VerdictKind } from '../../src/protocol/result';
import { formatNumber, verdictLabel } from '../../src/protocol/wording';
import type { IndexedPoint } from '../model';
import { axis, baseOptions, pointLabels, type PointLabel, type Theme } from './common';
import type { XY } from './lossCurves';

const KINDS: VerdictKind[] = ['minimum', 'saddle', 'maximum', 'degenerate'];

/** Decades of loss a log axis may span; wider, the axis is linear. */
export const LOG_DECADES = 12;

/**
 * Points of one kind and index whose losses agree to 1e-4 of the highest loss, drawn as one
 * marker: a search from hundreds of starts finds the same plateau saddle many times over.
 */
export interface PointGroup extends IndexedPoint {
  count: number;
}

export function groupPoints(points: IndexedPoint[]): PointGroup[] {
  const groups = new Map<string, PointGroup>();
  const unit = 1e-4 * Math.max(0, ...points.map((p) => Math.abs(p.loss)).filter(Number.isFinite));
  for (const p of points) {
    const key = `${p.kind}|${p.index}|${unit > 0 ? Math.round(p.loss / unit) : p.loss}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.members = [...group.members, ...p.members];
    } else groups.set(key, { ...p, count: 1 });
  }
  return [...groups.values()];
}

/** The group behind chart element `index` of dataset `datasetIndex` (one dataset per kind). */
export function pointOfElement(
  points: IndexedPoint[],
  datasetIndex: number,
  index: number,
): PointGroup | undefined {
  return groupPoints(points).filter((p) => p.kind === KINDS[datasetIndex])[index];
}

/** Labels are written only up to this many markers: beyond, they would hide the chart. */
const MAX_LABELS = 24;

export function criticalPointsConfig(
  points: IndexedPoint[],
  theme: Theme,
  selected: string | null,
): ChartConfiguration<'scatter', XY[]> {
  const groups = groupPoints(points);
  const positive = groups.filter((p) => p.loss > 0).map((p) => p.loss);
  // A log axis over more than LOG_DECADES decades (exact fits at 1e-30 beside saddles at
  // 0.25) leaves chart.js with no ticks and nothing drawn; a linear one shows those levels.
  const logScale =
    groups.length > 0 &&
    positive.length === groups.length &&
    Math.max(...positive) <= Math.min(...positive) * 10 ** LOG_DECADES;
  const labelled = groups.length <= MAX_LABELS;
  const labels: PointLabel[] = [];
  const datasets = KINDS.map((kind, datasetIndex) => {
    const members = groups.filter((p) => p.kind === kind);
    if (labelled)
      members.forEach((p, index) =>
        labels.push({
          datasetIndex,
          index,
          text: p.count > 1 ? `${p.label} ×${p.count}` : p.label,
        }),
      );
    return {
      label: kind,
      data: members.map((p) => ({ x: p.index, y: p.loss })),
      borderColor: theme.verdict[kind],
      backgroundColor: theme.verdict[kind],
      // The area grows with how many points the marker stands for.
      pointRadius: members.map(
        (p) => (selected && p.members.includes(selected) ? 8 : 5) * Math.min(3, Math.sqrt(p.count)),
      ),
      pointStyle: kind === 'saddle' ? ('rectRot' as const) : ('circle' as const),
    };
  });
  const maxIndex = Math.max(1, ...groups.map((p) => p.index));
  return {
    type: 'scatter',
    data: { datasets },
    options: {
      ...baseOptions(theme),
      layout: { padding: { top: 18 } },
      scales: {
        x: {
          ...axis(theme, 'index (number of negative eigenvalues)'),
          type: 'linear',
          min: -0.5,
          max: maxIndex + 0.5,
          // Only whole indices mean anything.
          afterBuildTicks: (scale: { ticks: Array<{ value: number }> }) => {
            scale.ticks = Array.from({ length: maxIndex + 1 }, (_, value) => ({ value }));
          },
          ticks: { color: theme.muted },
        },
        y: axis(theme, logScale ? 'loss (log scale)' : 'loss', logScale ? 'logarithmic' : 'linear'),
      },
      plugins: {
        legend: {
          labels: {
            color: theme.foreground,
            filter: (item) => points.some((p) => p.kind === item.text),
          },
        },
        tooltip: {
          callbacks: {
            label: (item) => {
              const p = pointOfElement(points, item.datasetIndex, item.dataIndex);
              if (!p) return '';
              const who = p.count > 1 ? `${p.count} points (${p.label}, …)` : p.label;
              return `${who}: ${verdictLabel({ kind: p.kind, index: p.index })}, loss ${formatNumber(p.loss)}`;
            },
          },
        },
      },
    },
    plugins: [pointLabels(labels, theme)],
  };
}
