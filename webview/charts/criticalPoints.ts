// Index versus loss of the critical points found: one point per class of runs (labelled
// with its size) plus the saddles found on paths and by the search. Minima sit at index 0;
// a landscape whose low-loss points all have index 0 has no saddle traps there.
import type { ChartConfiguration } from 'chart.js';
import type { VerdictKind } from '../../src/protocol/result';
import { formatNumber, verdictLabel } from '../format';
import type { IndexedPoint } from '../model';
import { axis, baseOptions, pointLabels, type PointLabel, type Theme } from './common';
import type { XY } from './lossCurves';

const KINDS: VerdictKind[] = ['minimum', 'saddle', 'maximum', 'degenerate'];

/** The point behind chart element `index` of dataset `datasetIndex` (one dataset per kind). */
export function pointOfElement(
  points: IndexedPoint[],
  datasetIndex: number,
  index: number,
): IndexedPoint | undefined {
  return points.filter((p) => p.kind === KINDS[datasetIndex])[index];
}

export function criticalPointsConfig(
  points: IndexedPoint[],
  theme: Theme,
  selected: string | null,
): ChartConfiguration<'scatter', XY[]> {
  const logScale = points.length > 0 && points.every((p) => p.loss > 0);
  const labels: PointLabel[] = [];
  const datasets = KINDS.map((kind, datasetIndex) => {
    const members = points.filter((p) => p.kind === kind);
    members.forEach((p, index) => labels.push({ datasetIndex, index, text: p.label }));
    return {
      label: kind,
      data: members.map((p) => ({ x: p.index, y: p.loss })),
      borderColor: theme.verdict[kind],
      backgroundColor: theme.verdict[kind],
      pointRadius: members.map((p) => (selected && p.members.includes(selected) ? 8 : 5)),
      pointStyle: kind === 'saddle' ? ('rectRot' as const) : ('circle' as const),
    };
  });
  const maxIndex = Math.max(1, ...points.map((p) => p.index));
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
              return p
                ? `${p.label}: ${verdictLabel({ kind: p.kind, index: p.index })}, loss ${formatNumber(p.loss)}`
                : '';
            },
          },
        },
      },
    },
    plugins: [pointLabels(labels, theme)],
  };
}
