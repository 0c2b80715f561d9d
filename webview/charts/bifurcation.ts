// The bifurcation diagram of a smoothed slice: where L_σ has its critical points (vertical:
// the parameter of an axis, t along a line, the first coordinate in a plane) against σ
// (horizontal). For (1 − w²)² the two branches ±√(1 − 3σ²) meet the maximum at 0 when σ
// reaches 1/√3, and one minimum goes on; for (1 − w₁w₂)² in its plane the minima ±√(1 − σ²)
// meet the saddle at σ = 1.
import type { ChartConfiguration, ScatterDataPoint } from 'chart.js';
import type { Slice } from '../../src/protocol/result';
import { axis, lineChart, type Theme } from './common';

type Kind = 'minimum' | 'saddle' | 'maximum';
const LABELS: Record<Kind, string> = {
  minimum: 'minima of L_σ',
  saddle: 'saddles of L_σ',
  maximum: 'maxima of L_σ',
};

/** Each smoothing's critical points of one kind as (σ, coordinate). */
function branches(slice: Slice, kind: Kind): { sigma: number; at: number }[] {
  if (slice.type === 'plane')
    return (slice.smoothing ?? []).flatMap((s) =>
      s.criticalPoints.filter((p) => p.kind === kind).map((p) => ({ sigma: s.sigma, at: p.x })),
    );
  return (slice.smoothing ?? []).flatMap((curve) =>
    (curve.criticalPoints ?? [])
      .filter((p) => p.kind === kind)
      .map((p) => ({ sigma: curve.sigma, at: p.t })),
  );
}

function coordinateName(slice: Slice): string {
  if (slice.type === 'axis') return slice.parameter;
  if (slice.type === 'line') return `t (0: ${slice.from}, 1: ${slice.to})`;
  return slice.axes ? slice.axes.x : 'α (the plane’s first coordinate)';
}

export function bifurcationConfig(
  slice: Slice,
  theme: Theme,
  chosen: number | null,
): ChartConfiguration<'line', ScatterDataPoint[]> {
  const kinds: Kind[] =
    slice.type === 'plane' ? ['minimum', 'saddle', 'maximum'] : ['minimum', 'maximum'];
  const datasets = kinds.map((kind) => {
    const here = branches(slice, kind);
    return {
      label: LABELS[kind],
      data: here.map(({ sigma, at }) => ({ x: sigma, y: at })),
      showLine: false,
      borderColor: theme.foreground,
      backgroundColor: theme.verdict[kind],
      borderWidth: 1,
      pointStyle: kind === 'saddle' ? ('rectRot' as const) : ('triangle' as const),
      pointRadius: here.map((p) => (p.sigma === chosen ? 8 : 5)),
    };
  });
  return lineChart(theme, datasets, {
    scales: {
      x: { ...axis(theme, 'σ (smoothing width)'), type: 'linear', min: 0 },
      y: { ...axis(theme, coordinateName(slice)), type: 'linear' },
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
