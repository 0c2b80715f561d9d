// The bifurcation diagram of a smoothed axis or line: where L_σ has its minima and maxima
// along it (vertical: the parameter, or t) against σ (horizontal). For (1 − w²)² the two branches ±√(1 − 3σ²) meet
// the maximum at 0 when σ reaches 1/√3, and one minimum goes on.
import type { ChartConfiguration, ScatterDataPoint } from 'chart.js';
import type { AxisSlice, LineSlice } from '../../src/protocol/result';
import { axis, lineChart, type Theme } from './common';

export function bifurcationConfig(
  slice: AxisSlice | LineSlice,
  theme: Theme,
  chosen: number | null,
): ChartConfiguration<'line', ScatterDataPoint[]> {
  const curves = slice.smoothing ?? [];
  const points = (kind: 'minimum' | 'maximum') =>
    curves.flatMap((curve) =>
      (curve.criticalPoints ?? [])
        .filter((p) => p.kind === kind)
        .map((p) => ({ x: curve.sigma, y: p.t, chosen: curve.sigma === chosen })),
    );
  const dataset = (kind: 'minimum' | 'maximum') => {
    const here = points(kind);
    return {
      label: kind === 'minimum' ? 'minima of L_σ' : 'maxima of L_σ',
      data: here.map(({ x, y }) => ({ x, y })),
      showLine: false,
      borderColor: theme.foreground,
      backgroundColor: theme.verdict[kind],
      borderWidth: 1,
      pointStyle: 'triangle' as const,
      pointRadius: here.map((p) => (p.chosen ? 8 : 5)),
    };
  };
  return lineChart(theme, [dataset('minimum'), dataset('maximum')], {
    scales: {
      x: { ...axis(theme, 'σ (smoothing width)'), type: 'linear', min: 0 },
      y: {
        ...axis(
          theme,
          slice.type === 'axis' ? slice.parameter : `t (0: ${slice.from}, 1: ${slice.to})`,
        ),
        type: 'linear',
      },
    },
    plugins: {
      legend: { display: true, labels: { color: theme.foreground } },
      title: {
        display: true,
        text: 'Critical points of L_σ against σ',
        color: theme.foreground,
      },
    },
  });
}
