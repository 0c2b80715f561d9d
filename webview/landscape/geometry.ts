// The arithmetic of the 2D landscape plot: where a parameter-plane coordinate lands on the
// canvas and back, the color scale (linear or log) and its contour levels, the sample under
// the mouse. Pure, so it is tested without a canvas.
import type { PlaneSlice, SliceMarker } from '../../src/protocol/result';
import { formatNumber } from '../../src/protocol/wording';

export interface PlotLayout {
  width: number;
  height: number;
  /** The plot area, in CSS pixels. */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export function planeLayout(width: number, height: number): PlotLayout {
  return { width, height, left: 64, top: 32, right: width - 96, bottom: height - 44 };
}

function extent(values: number[]): [number, number] {
  return [values[0], values[values.length - 1]];
}

export function toPixel(layout: PlotLayout, slice: PlaneSlice, x: number, y: number) {
  const [x0, x1] = extent(slice.x);
  const [y0, y1] = extent(slice.y);
  return {
    px: layout.left + ((x - x0) / (x1 - x0)) * (layout.right - layout.left),
    py: layout.bottom - ((y - y0) / (y1 - y0)) * (layout.bottom - layout.top),
  };
}

/** The plane coordinate under a canvas pixel, or null outside the plot area. */
export function fromPixel(layout: PlotLayout, slice: PlaneSlice, px: number, py: number) {
  if (px < layout.left || px > layout.right || py < layout.top || py > layout.bottom) return null;
  const [x0, x1] = extent(slice.x);
  const [y0, y1] = extent(slice.y);
  return {
    x: x0 + ((px - layout.left) / (layout.right - layout.left)) * (x1 - x0),
    y: y0 + ((layout.bottom - py) / (layout.bottom - layout.top)) * (y1 - y0),
  };
}

/** The grid sample nearest to (x, y): what the hover shows, never an interpolated value. */
export function nearestSample(slice: PlaneSlice, x: number, y: number) {
  const nearest = (axis: number[], v: number) => {
    let best = 0;
    for (let k = 1; k < axis.length; k++)
      if (Math.abs(axis[k] - v) < Math.abs(axis[best] - v)) best = k;
    return best;
  };
  const i = nearest(slice.x, x);
  const j = nearest(slice.y, y);
  return { i, j, x: slice.x[i], y: slice.y[j], loss: slice.loss[j][i] };
}

/** The readout's curvature line at grid sample (i, j), when the slice recorded it ('' else). */
export function curvatureReadout(slice: PlaneSlice, i: number, j: number): string {
  const curvature = slice.curvature;
  if (!curvature) return '';
  const lambdaMin = curvature.lambdaMin[j]?.[i];
  const ratio = curvature.ratio?.[j]?.[i];
  const parts = [
    `λmin = ${lambdaMin === null || lambdaMin === undefined ? '–' : formatNumber(lambdaMin)}`,
    ...(curvature.ratio
      ? [`|λmin/λmax| = ${ratio === null || ratio === undefined ? '–' : formatNumber(ratio)}`]
      : []),
  ];
  return `\n${parts.join(', ')}`;
}

/** Maps a loss to [0, 1] for the color map; log scale floors at the smallest positive loss. */
export interface ColorScale {
  log: boolean;
  min: number;
  max: number;
  /** The transformed value (log10 when log) that contours and colors use. */
  transform(loss: number): number;
  /** Position in [0, 1] of a loss on the color bar. */
  position(loss: number): number;
}

/** Decades a log color scale spans at most. */
export const LOG_DECADES = 8;

export function colorScale(slice: PlaneSlice, log: boolean): ColorScale | null {
  return gridScale(slice.loss, log);
}

/** What a plane's heatmap and surface are colored by: its loss, or Li et al.'s ratio. */
export type ColorBy = 'loss' | 'ratio';

/**
 * The scale the heatmap's (and the 3-D surface's) colors follow: the loss's, or, for a plane
 * with `"curvature": "ratio"`, the non-convexity ratio |λmin/λmax| on a fixed linear scale
 * from 0 (convex) to 1 (curving down as much as up), larger values at the top: fixed, so that
 * two planes' maps compare, and not stretched by the ratio's pole where λmax crosses 0.
 */
export function shadeScale(
  slice: PlaneSlice,
  colorBy: ColorBy,
  lossScale: ColorScale,
  /** What the grid holds: the loss, or a smoothing of it ("L_σ, σ = 0.6"). */
  valueName = 'loss',
): { scale: ColorScale; grid: (number | null)[][]; label: string } {
  const ratio = colorBy === 'ratio' ? slice.curvature?.ratio : undefined;
  if (!ratio)
    return {
      scale: lossScale,
      grid: slice.loss,
      label: lossScale.log ? `${valueName} (log scale)` : valueName,
    };
  const scale: ColorScale = {
    log: false,
    min: 0,
    max: 1,
    transform: (value) => Math.min(value, 1),
    position: (value) => Math.min(value, 1),
  };
  return { scale, grid: ratio, label: '|λmin/λmax| (0 convex, 1 and above)' };
}

/** A linear or log scale over a grid's finite values. */
function gridScale(grid: (number | null)[][], log: boolean): ColorScale | null {
  const finite = grid.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return null;
  let min = Math.min(...finite);
  const max = Math.max(...finite);
  if (log) {
    const positive = finite.filter((v) => v > 0);
    // Exact zeros (a perfect fit) would be −∞: floor them at the smallest positive loss, and
    // at most LOG_DECADES below the highest, so a basin reaching 1e-30 does not flatten the rest.
    min =
      positive.length > 0
        ? Math.max(Math.min(...positive), max * 10 ** -LOG_DECADES)
        : Number.MIN_VALUE;
  }
  const transform = (loss: number) => (log ? Math.log10(Math.max(loss, min)) : loss);
  const low = transform(min);
  const high = transform(max);
  return {
    log,
    min,
    max,
    transform,
    position: (loss) => (high > low ? (transform(loss) - low) / (high - low) : 0.5),
  };
}

/** Evenly spaced contour levels in the transformed space, strictly inside the range. */
export function contourLevels(scale: ColorScale, count: number): number[] {
  const low = scale.transform(scale.min);
  const high = scale.transform(scale.max);
  if (!(high > low)) return [];
  return Array.from({ length: count }, (_, k) => low + ((k + 1) * (high - low)) / (count + 1));
}

/** Round tick values ("nice numbers") covering [min, max]. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  // Multiples of the step, rounded to 12 digits: 3 × 0.2 prints as 0.6.
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++)
    ticks.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return ticks;
}

/** A marker lies on the plane when it is within 1% of the plot's extent of it. */
export function isOnPlane(slice: PlaneSlice, marker: SliceMarker): boolean {
  const span = Math.max(
    Math.abs(slice.x[slice.x.length - 1] - slice.x[0]),
    Math.abs(slice.y[slice.y.length - 1] - slice.y[0]),
  );
  return marker.distance <= 0.01 * span;
}

/** The axes' eigenvalues, and whether Lanczos pinned them down (a Ritz value otherwise). */
function hessianAxesNote(eigenvalues: PlaneSlice['eigenvalues']): string {
  if (!eigenvalues) return '';
  const values = `${eigenvalues.x.toPrecision(3)}, ${eigenvalues.y.toPrecision(3)}`;
  return eigenvalues.converged === false
    ? ` (Ritz values ${values}, not converged: the axes are the best directions Lanczos found, and the curvature along them is exact)`
    : ` (λ = ${values})`;
}

/** "a", "a and b", "a, b and c". */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A plane in a few words, for the slice picker: what it goes through or lies along. */
export function planeName(slice: PlaneSlice): string {
  switch (slice.directions) {
    case 'points':
      return `Plane through ${listed([...new Set([slice.center, ...(slice.through ?? [])])])}`;
    case 'random':
      return `Random plane at ${slice.center}`;
    case 'hessian':
      return `Hessian plane at ${slice.center}`;
    case 'trajectory':
      return `Training trajectory of ${slice.center}`;
    case 'parameters':
      return `Plane of ${slice.axes?.x} and ${slice.axes?.y}`;
  }
}

export function planeTitle(slice: PlaneSlice): string {
  switch (slice.directions) {
    case 'points':
      return planeName(slice);
    case 'random':
      return `Random filter-normalized plane around ${slice.center}`;
    case 'hessian':
      return `Hessian plane at ${slice.center}${hessianAxesNote(slice.eigenvalues)}`;
    case 'trajectory': {
      const explained = slice.explainedVariance
        ? ` (axes explain ${(100 * slice.explainedVariance[0]).toFixed(0)}% + ${(100 * slice.explainedVariance[1]).toFixed(0)}% of the path's variance)`
        : '';
      return `Training trajectory of ${slice.center}${explained}`;
    }
    case 'parameters': {
      const others = slice.markers.some((m) => m.distance > 0)
        ? `, the others held at ${slice.center}`
        : '';
      return `The plane of ${slice.axes?.x} and ${slice.axes?.y}${others}`;
    }
  }
}
