// The Hessian spectrum of one run or critical point. Eigenvalues span many orders of
// magnitude and their signs are the verdict, so the axis is a signed log relative to the
// zero band τ: y = sign(λ)·log10(1 + |λ|/τ). |λ| ≤ τ (counted as zero) is |y| ≤ log10 2,
// shaded; negatives are drawn in the saddle color.
import type { ChartConfiguration } from 'chart.js';
import type { HessianSummary, Verdict } from '../../src/protocol/result';
import { formatNumber, verdictLabel } from '../../src/protocol/wording';
import { axis, baseOptions, withAlpha, type Theme } from './common';
import type { XY } from './lossCurves';

export function signedLog(lambda: number, band: number): number {
  return Math.sign(lambda) * Math.log10(1 + Math.abs(lambda) / band);
}

export function inverseSignedLog(y: number, band: number): number {
  return Math.sign(y) * band * (10 ** Math.abs(y) - 1);
}

/** The zero band to draw: the verdict's eigenvalue tolerance, else a tiny positive floor. */
export function zeroBand(verdict: Verdict, eigenvalues: number[]): number {
  const stated = verdict.tolerance.eigenvalue;
  if (stated !== null && stated > 0) return stated;
  const largest = Math.max(0, ...eigenvalues.map(Math.abs));
  return largest > 0 ? largest * 1e-12 : 1e-12;
}

/**
 * Tick positions at powers of ten of |λ| (and 0), so the axis reads in eigenvalue units
 * whatever τ is: at most `perSide` decades each side, thinned evenly.
 */
export function spectrumTicks(eigenvalues: number[], band: number, perSide = 4): number[] {
  const largest = Math.max(band, ...eigenvalues.map(Math.abs));
  // From 10τ up: a decade closer to the band would print on top of the 0 tick.
  const low = Math.ceil(Math.log10(band) + 1);
  const high = Math.floor(Math.log10(largest));
  const decades: number[] = [];
  for (let m = low; m <= high; m++) decades.push(m);
  const step = Math.max(1, Math.ceil(decades.length / perSide));
  const kept = decades.filter((_, k) => (decades.length - 1 - k) % step === 0);
  const hasNegative = eigenvalues.some((l) => l < -band);
  const positive = kept.map((m) => signedLog(10 ** m, band));
  return [...(hasNegative ? positive.map((y) => -y).reverse() : []), 0, ...positive];
}

export function spectrumConfig(
  id: string,
  hessian: HessianSummary,
  verdict: Verdict,
  theme: Theme,
): ChartConfiguration<'scatter', XY[]> {
  const band = zeroBand(verdict, hessian.eigenvalues);
  const classes = {
    negative: [] as XY[],
    zero: [] as XY[],
    positive: [] as XY[],
    unconverged: [] as XY[],
  };
  hessian.eigenvalues.forEach((lambda, k) => {
    const point = { x: k + 1, y: signedLog(lambda, band) };
    // A Ritz value whose residual is above the tolerance is not yet an eigenvalue.
    if (hessian.converged?.[k] === false) classes.unconverged.push(point);
    else if (Math.abs(lambda) <= band) classes.zero.push(point);
    else (lambda < 0 ? classes.negative : classes.positive).push(point);
  });
  const edge = Math.log10(2);
  const n = Math.max(1, hessian.eigenvalues.length);
  const negatives = hessian.eigenvalues.filter((l) => l < -band).length;
  const unconverged = classes.unconverged.length;
  const title =
    `${id}: ${verdictLabel(verdict)} — ${hessian.eigenvalues.length} eigenvalues` +
    `${hessian.complete ? '' : ` (extremes only, Lanczos${unconverged ? `; ${unconverged} not converged` : ''})`}, ${negatives} negative, zero band ±${formatNumber(band)}`;
  const ticks = spectrumTicks(hessian.eigenvalues, band);
  const points = (label: string, data: XY[], color: string) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    pointRadius: 4,
    showLine: false,
  });
  const bandEdge = (y: number) => ({
    label: y > 0 ? 'zero band' : 'zero band (lower)',
    data: [
      { x: 0.5, y },
      { x: n + 0.5, y },
    ],
    showLine: true,
    pointRadius: 0,
    borderWidth: 0,
    borderColor: 'transparent',
    backgroundColor: withAlpha(theme.muted, 0.2),
    fill: y > 0 ? '-1' : false,
  });
  return {
    type: 'scatter',
    data: {
      datasets: [
        bandEdge(-edge),
        bandEdge(edge),
        points('negative', classes.negative, theme.verdict.saddle),
        points('zero', classes.zero, theme.verdict['not-critical']),
        points('positive', classes.positive, theme.series[0]),
        {
          ...points('Ritz value, not converged', classes.unconverged, theme.muted),
          backgroundColor: 'transparent',
        },
      ],
    },
    options: {
      ...baseOptions(theme),
      scales: {
        x: {
          ...axis(theme, 'eigenvalue number (ascending)'),
          min: 0.5,
          max: n + 0.5,
          // Whole eigenvalue numbers only, about ten of them.
          afterBuildTicks: (scale: { ticks: Array<{ value: number }> }) => {
            const step = Math.ceil(n / 10);
            scale.ticks = Array.from({ length: Math.floor(n / step) }, (_, k) => ({
              value: (k + 1) * step,
            }));
          },
        },
        y: {
          ...axis(theme, `λ (signed log scale, τ = ${formatNumber(band)})`),
          afterBuildTicks: (scale: { ticks: Array<{ value: number }> }) => {
            scale.ticks = ticks.map((value) => ({ value }));
          },
          ticks: {
            color: theme.muted,
            callback: (value) => formatNumber(inverseSignedLog(Number(value), band)),
          },
        },
      },
      plugins: {
        title: { display: true, text: title, color: theme.foreground },
        legend: {
          labels: {
            color: theme.foreground,
            filter: (item, data) =>
              !item.text.startsWith('zero band (lower)') &&
              (item.text === 'zero band' ||
                (data.datasets[item.datasetIndex ?? 0]?.data.length ?? 0) > 0),
          },
        },
        tooltip: {
          callbacks: {
            label: (item) =>
              `λ${item.parsed.x} = ${formatNumber(inverseSignedLog(item.parsed.y ?? 0, band))}`,
          },
        },
      },
    },
  };
}
