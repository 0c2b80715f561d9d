// Loss curves of every run on a log scale, one color per class of endpoints (per run while
// training, before classes exist). The selected run is drawn on top, the others faded.
import type { ChartConfiguration } from 'chart.js';
import type { CurveSeries } from '../model';
import { axis, lineChart, seriesColor, type Theme, withAlpha } from './common';

export type XY = { x: number; y: number };

export function classLegend(series: CurveSeries[], theme: Theme) {
  const sizes = new Map<number, number>();
  for (const s of series) sizes.set(s.group, (sizes.get(s.group) ?? 0) + 1);
  return [...sizes]
    .sort(([a], [b]) => a - b)
    .map(([group, size]) => ({
      text: `class ${group} (${size} run${size === 1 ? '' : 's'})`,
      fillStyle: seriesColor(theme, group - 1),
      strokeStyle: seriesColor(theme, group - 1),
      fontColor: theme.foreground,
      lineWidth: 0,
      hidden: false,
    }));
}

export function lossCurvesConfig(
  series: CurveSeries[],
  theme: Theme,
  selected: string | null,
): ChartConfiguration<'line', XY[]> {
  const live = series.every((s) => s.group === 0);
  const datasets = series.map((s, k) => {
    const color = seriesColor(theme, live ? k : s.group - 1);
    const faded = selected !== null && selected !== s.id;
    return {
      label: s.id,
      // A log axis cannot show a loss of exactly 0 (or below): leave a gap there.
      data: s.epoch.map((epoch, i) => ({ x: epoch, y: s.loss[i] > 0 ? s.loss[i] : NaN })),
      borderColor: faded ? withAlpha(color, 0.25) : color,
      backgroundColor: color,
      borderWidth: selected === s.id ? 3 : 1.5,
      // Live curves are sampled about ten times a second: show the samples, so a straight
      // segment is not mistaken for a straight descent.
      pointRadius: live ? 2 : 0,
      pointHitRadius: 4,
      order: selected === s.id ? 0 : 1,
    };
  });
  return lineChart(theme, datasets, {
    normalized: true,
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      x: { ...axis(theme, 'epoch'), type: 'linear' },
      y: { ...axis(theme, 'loss (log scale)', 'logarithmic') },
    },
    plugins: {
      legend: live
        ? { display: series.length <= 12, labels: { color: theme.foreground, boxWidth: 12 } }
        : {
            // One entry per class, not per run: the colors mean "ends in the same place".
            onClick: () => undefined,
            labels: {
              color: theme.foreground,
              boxWidth: 12,
              generateLabels: () => classLegend(series, theme),
            },
          },
      tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.parsed.y}` } },
    },
  });
}
