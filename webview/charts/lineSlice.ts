// A 1D slice: loss along the straight line from one run to another (or to its aligned
// twin), the endpoints marked and the barrier — highest loss above the endpoints' mean —
// written where it is reached.
import type { ChartConfiguration } from 'chart.js';
import type { LineSlice, SmoothedCurve } from '../../src/protocol/result';
import { formatNumber } from '../../src/protocol/wording';
import { negativeBands, negativeIntervals } from '../landscape/curvature';
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
import type { XY } from './lossCurves';

/** The two runs' own losses, at t = 0 and t = 1. */
export interface Endpoints {
  from: number;
  to: number;
}

/**
 * Where the barrier is reached: the highest loss on [0, 1] (the sampled t beyond it are
 * context, not part of the path), counting the endpoints themselves.
 */
export function barrierPeak(slice: LineSlice, ends: Endpoints): { t: number; loss: number } {
  // The engine's refined maximum, when it found one between the ends.
  if (slice.peak) return slice.peak;
  let best = ends.from >= ends.to ? { t: 0, loss: ends.from } : { t: 1, loss: ends.to };
  slice.loss.forEach((loss, i) => {
    const t = slice.t[i];
    if (loss !== null && t >= 0 && t <= 1 && loss > best.loss) best = { t, loss };
  });
  return best;
}

export function lineSliceConfig(
  slice: LineSlice,
  ends: Endpoints,
  theme: Theme,
  logScale: boolean,
  curvature = false,
  /** A smoothing to draw over the loss, with its critical points (null: none). */
  smoothed: SmoothedCurve | null = null,
): ChartConfiguration<'line', XY[]> {
  const usable = (y: number | null) => (y === null || (logScale && y <= 0) ? NaN : y);
  const curve = slice.t.map((t, i) => ({ x: t, y: usable(slice.loss[i]) }));
  const endpoints = [
    { x: 0, y: usable(ends.from) },
    { x: 1, y: usable(ends.to) },
  ];
  const peak = barrierPeak(slice, ends);
  const labels: PointLabel[] = [
    { datasetIndex: 1, index: 0, text: slice.from },
    { datasetIndex: 1, index: 1, text: slice.aligned ? `${slice.to} (aligned)` : slice.to },
  ];
  const datasets = [
    {
      label: 'loss',
      data: curve,
      // Faded under a smoothing: L_σ is the curve being read.
      borderColor: smoothed ? withAlpha(theme.series[0], 0.35) : theme.series[0],
      backgroundColor: theme.series[0],
      borderWidth: 2,
      pointRadius: 0,
    },
    {
      label: 'endpoints',
      data: endpoints,
      showLine: false,
      borderColor: theme.verdict.minimum,
      backgroundColor: theme.verdict.minimum,
      pointRadius: 5,
    },
  ];
  if (slice.barrier !== null) {
    datasets.push({
      label: 'barrier',
      data: [{ x: peak.t, y: usable(peak.loss) }],
      showLine: false,
      borderColor: theme.verdict.saddle,
      backgroundColor: theme.verdict.saddle,
      pointRadius: 6,
    });
    labels.push({
      datasetIndex: 2,
      index: 0,
      text: `barrier ΔL = ${formatNumber(slice.barrier)} at t = ${formatNumber(peak.t)}`,
    });
  }
  if (smoothed) {
    const overlay = smoothedDatasets(slice.t, smoothed, theme, usable, datasets.length);
    datasets.push(...(overlay.datasets as typeof datasets));
    labels.push(...overlay.labels);
  }
  const title = `${slice.from} → ${slice.to}${slice.aligned ? ' (aligned by the symmetries found)' : ''}`;
  return lineChart(
    theme,
    datasets,
    {
      layout: { padding: { top: 24 } },
      scales: {
        x: { ...axis(theme, `t (0: ${slice.from}, 1: ${slice.to})`), type: 'linear' },
        y: lossAxis(theme, logScale),
      },
      plugins: {
        title: { display: true, text: title, color: theme.foreground },
        legend: { display: false },
      },
    },
    [
      pointLabels(labels, theme),
      exposeSmoothed(smoothed),
      ...(curvature && slice.curvature
        ? [
            negativeBands(
              negativeIntervals(slice.t, slice.curvature.lambdaMin),
              theme.verdict.saddle,
            ),
          ]
        : []),
    ],
  );
}
