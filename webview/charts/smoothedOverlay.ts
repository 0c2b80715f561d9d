// The smoothed loss L_σ drawn over a line's or an axis's loss: its curve and its critical
// points as triangles, each labelled, and what was drawn written on the canvas for the tests.
import type { Chart, ChartDataset, Plugin, ScatterDataPoint } from 'chart.js';
import type { SmoothedCurve } from '../../src/protocol/result';
import type { PointLabel, Theme } from './common';

const SHORT = { minimum: 'min', maximum: 'max', degenerate: 'flat', unresolved: 'kind unresolved' };

/**
 * The L_σ curve over `xs` and its critical points, as datasets to append after `before`
 * others (their labels name those indices). Monte Carlo points carry their standard error.
 */
export function smoothedDatasets(
  xs: number[],
  smoothed: SmoothedCurve,
  theme: Theme,
  usable: (y: number | null) => number,
  before: number,
): { datasets: ChartDataset<'line', ScatterDataPoint[]>[]; labels: PointLabel[] } {
  const points = smoothed.criticalPoints ?? [];
  const datasets: ChartDataset<'line', ScatterDataPoint[]>[] = [
    {
      label: `L_σ, σ = ${smoothed.sigma}`,
      data: xs.map((x, i) => ({ x, y: usable(smoothed.loss[i]) })),
      borderColor: theme.series[2],
      backgroundColor: theme.series[2],
      borderWidth: 2.5,
      pointRadius: 0,
    },
    {
      label: `critical points of L_σ`,
      data: points.map((p) => ({ x: p.t, y: usable(p.loss) })),
      showLine: false,
      borderColor: theme.foreground,
      backgroundColor: points.map((p) =>
        p.kind === 'minimum' || p.kind === 'maximum'
          ? theme.verdict[p.kind]
          : theme.verdict.degenerate,
      ),
      borderWidth: 1.5,
      pointStyle: 'triangle',
      pointRadius: 7,
    },
  ];
  const labels = points.map((p, k) => ({
    datasetIndex: before + 1,
    index: k,
    text: `L_σ ${SHORT[p.kind]}${p.uncertainty ? ` ± ${Number(p.uncertainty.t.toPrecision(2))}` : ''}`,
  }));
  return { datasets, labels };
}

/**
 * Writes the smoothing shown and where its critical points were drawn (value, pixel) on the
 * canvas: the end-to-end test moves the σ slider and watches the minima merge with it.
 */
export function exposeSmoothed(smoothed: SmoothedCurve | null): Plugin {
  return {
    id: 'exposeSmoothed',
    afterDraw(chart: Chart) {
      const x = chart.scales.x;
      const y = chart.scales.y;
      chart.canvas.dataset.smoothed = JSON.stringify(
        smoothed
          ? {
              sigma: smoothed.sigma,
              points: (smoothed.criticalPoints ?? []).map((p) => ({
                t: p.t,
                kind: p.kind,
                px: x.getPixelForValue(p.t),
                py: y.getPixelForValue(p.loss),
              })),
            }
          : null,
      );
    },
  };
}
