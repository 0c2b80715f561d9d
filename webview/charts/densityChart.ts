// The Hessian's eigenvalue density (stochastic Lanczos quadrature), as PyHessian draws it:
// density against λ on a log axis, with the extreme eigenvalues marked and, within the exact
// limit, the exact spectrum broadened alike for comparison.
import type { ChartConfiguration, ScatterDataPoint } from 'chart.js';
import type { HessianSummary, SpectralDensity } from '../../src/protocol/result';
import { formatNumber } from '../../src/protocol/wording';
import { axis, lineChart, type Theme, withAlpha } from './common';

/** Densities below this share of the peak are left out: a log axis cannot show 0. */
const FLOOR = 1e-7;

export function densityConfig(
  id: string,
  density: SpectralDensity,
  hessian: HessianSummary,
  theme: Theme,
): ChartConfiguration<'line', ScatterDataPoint[]> {
  const peak = Math.max(...density.density, ...(density.exact?.density ?? []));
  const visible = (y: number) => (y > FLOOR * peak ? y : NaN);
  const datasets: ChartConfiguration<'line', ScatterDataPoint[]>['data']['datasets'] = [
    {
      label: slqLabel(density),
      data: density.grid.map((x, i) => ({ x, y: visible(density.density[i]) })),
      borderColor: theme.series[0],
      backgroundColor: withAlpha(theme.series[0], 0.2),
      fill: true,
      borderWidth: 1.5,
      pointRadius: 0,
    },
  ];
  if (density.exact)
    datasets.push({
      label: `exact eigenvalues, broadened alike (L1 distance ${formatNumber(density.exact.distance)})`,
      data: density.grid.map((x, i) => ({ x, y: visible(density.exact!.density[i]) })),
      borderColor: theme.series[1],
      backgroundColor: theme.series[1],
      borderDash: [5, 3],
      borderWidth: 1.5,
      pointRadius: 0,
    });
  // The extreme eigenvalues (exact or Lanczos), where the density's ends should be.
  const extremes = [hessian.eigenvalues[0], hessian.eigenvalues.at(-1)].filter(
    (v): v is number => v !== undefined,
  );
  if (extremes.length > 0)
    datasets.push({
      label: 'λmin and λmax',
      data: extremes.map((x) => ({ x, y: peak })),
      // Triangles above the curve at λmin and λmax.
      showLine: false,
      pointStyle: 'triangle',
      pointRadius: 6,
      borderColor: theme.verdict.saddle,
      backgroundColor: theme.verdict.saddle,
      borderWidth: 2,
    });
  return lineChart(theme, datasets, {
    scales: {
      x: { ...axis(theme, 'eigenvalue λ'), type: 'linear' },
      y: axis(theme, 'density (log scale)', 'logarithmic'),
    },
    plugins: {
      title: {
        display: true,
        text: `Eigenvalue density of ${id}`,
        color: theme.foreground,
      },
      legend: { labels: { color: theme.foreground, boxWidth: 12 } },
    },
  });
}

/** "SLQ (3 probes × 18–19 steps, σ = 0.04, standard error 0.0012)" */
export function slqLabel(density: SpectralDensity): string {
  const steps = density.steps ?? [density.iterations];
  const fewest = Math.min(...steps);
  const most = Math.max(...steps);
  const perProbe = fewest === most ? `${most}` : `${fewest}–${most}`;
  const error =
    density.standardError === undefined || density.standardError === null
      ? ''
      : `, standard error ${formatNumber(density.standardError)}`;
  const unsettled = density.settled === false ? ', not settled' : '';
  return `SLQ (${density.probes} probe${density.probes === 1 ? '' : 's'} × ${perProbe} steps, σ = ${formatNumber(density.sigma)}${error}${unsettled})`;
}
