// The loss along one of the model's own parameters: the curve, every run, point and saddle
// marked at its value with its verdict, and the dots of the training paths at the play step.
import type { Chart, ChartConfiguration, Plugin, ScatterDataPoint } from 'chart.js';
import type { AxisSlice, SmoothedCurve, VerdictKind } from '../../src/protocol/result';
import { VERDICT_KINDS } from '../../src/protocol/result';
import { negativeBands, negativeIntervals } from '../landscape/curvature';
import { sampleAt } from '../landscape/playback';
import {
  axis,
  lineChart,
  lossAxis,
  type PointLabel,
  pointLabels,
  type Theme,
  withAlpha,
} from './common';
import { exposeSmoothed, smoothedDatasets } from './smoothedOverlay';

const SHORT: Record<VerdictKind, string> = {
  minimum: 'min',
  saddle: 'saddle',
  maximum: 'max',
  degenerate: 'degenerate',
  'not-critical': 'not critical',
};

/** Markers grouped by position: one label per spot, naming how many share it. */
function spots(slice: AxisSlice) {
  const byPosition = new Map<string, AxisSlice['markers']>();
  for (const m of slice.markers) {
    const key = `${m.x.toPrecision(6)}|${m.verdict}`;
    byPosition.set(key, [...(byPosition.get(key) ?? []), m]);
  }
  return [...byPosition.values()];
}

export function axisSliceConfig(
  slice: AxisSlice,
  theme: Theme,
  options: {
    logScale: boolean;
    selected: string | null;
    epoch: number | null;
    curvature: boolean;
    /** A smoothing to draw over the loss, with its critical points (null: none). */
    smoothed?: SmoothedCurve | null;
  },
): ChartConfiguration<'line', ScatterDataPoint[]> {
  const { logScale, selected, epoch } = options;
  const smoothed = options.smoothed ?? null;
  const usable = (y: number | null) => (y === null || (logScale && y <= 0) ? NaN : y);
  const datasets: ChartConfiguration<'line', ScatterDataPoint[]>['data']['datasets'] = [
    {
      label: 'loss',
      data: slice.x.map((x, i) => ({ x, y: usable(slice.loss[i]) })),
      // Faded under a smoothing: L_σ is the curve being read.
      borderColor: smoothed ? withAlpha(theme.series[0], 0.35) : theme.series[0],
      backgroundColor: theme.series[0],
      borderWidth: 2,
      pointRadius: 0,
    },
  ];
  const labels: PointLabel[] = [];
  if (smoothed) {
    const overlay = smoothedDatasets(slice.x, smoothed, theme, usable, datasets.length);
    datasets.push(...overlay.datasets);
    labels.push(...overlay.labels);
  }
  // One dataset per verdict, so each has its colour; the selected marker drawn larger.
  const groups = spots(slice);
  for (const kind of VERDICT_KINDS) {
    const here = groups.filter((g) => g[0].verdict === kind);
    if (here.length === 0) continue;
    const index = datasets.length;
    datasets.push({
      label: kind,
      data: here.map((g) => ({ x: g[0].x, y: usable(g[0].loss) })),
      showLine: false,
      borderColor: theme.foreground,
      backgroundColor: theme.verdict[kind],
      borderWidth: 1,
      pointStyle: kind === 'saddle' ? 'rectRot' : 'circle',
      pointRadius: here.map((g) => (g.some((m) => m.id === selected) ? 8 : 5)),
    });
    here.forEach((g, k) => {
      const chosen = g.find((m) => m.id === selected) ?? g[0];
      const others = g.length > 1 ? ` +${g.length - 1}` : '';
      labels.push({ datasetIndex: index, index: k, text: `${chosen.id}${others}: ${SHORT[kind]}` });
    });
  }
  for (const path of slice.paths ?? []) {
    const mine = path.id === selected;
    datasets.push({
      label: `path ${path.id}`,
      data: path.x.map((x, k) => ({ x, y: usable(path.loss[k]) })),
      showLine: false,
      borderColor: withAlpha(theme.series[1], mine ? 0.9 : 0.3),
      backgroundColor: withAlpha(theme.series[1], mine ? 0.9 : 0.3),
      pointRadius: mine ? 2 : 1.5,
    });
  }
  if (epoch !== null)
    for (const path of slice.paths ?? []) {
      const k = sampleAt(path, epoch);
      datasets.push({
        label: `at ${path.id}`,
        data: [{ x: path.x[k], y: usable(path.loss[k]) }],
        showLine: false,
        borderColor: theme.foreground,
        backgroundColor: theme.series[1],
        pointRadius: path.id === selected ? 7 : 4,
      });
    }
  return lineChart(
    theme,
    datasets,
    {
      layout: { padding: { top: 28 } },
      scales: {
        x: { ...axis(theme, slice.parameter), type: 'linear' },
        y: lossAxis(theme, logScale),
      },
      plugins: {
        // No title: the slice chooser above names it, and the labels need the room.
        legend: { display: false },
      },
    },
    [
      pointLabels(labels, theme),
      exposeMarkers(slice),
      exposeSmoothed(smoothed),
      ...(options.curvature && slice.curvature
        ? [
            negativeBands(
              negativeIntervals(slice.x, slice.curvature.lambdaMin),
              theme.verdict.saddle,
            ),
          ]
        : []),
    ],
  );
}

/**
 * Writes where each marker was drawn (value, pixel) on the canvas as a data attribute: the
 * end-to-end test checks the minima and the maximum against the result file with it.
 */
function exposeMarkers(slice: AxisSlice): Plugin {
  return {
    id: 'exposeMarkers',
    afterDraw(chart: Chart) {
      const x = chart.scales.x;
      const y = chart.scales.y;
      chart.canvas.dataset.markers = JSON.stringify(
        slice.markers.map((m) => ({
          id: m.id,
          verdict: m.verdict,
          x: m.x,
          px: x.getPixelForValue(m.x),
          py: y.getPixelForValue(m.loss),
        })),
      );
    },
  };
}
