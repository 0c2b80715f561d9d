// The geometry of landscape slices: directions for 2-D planes, grids, and where other points
// fall on (or near) a plane. The losses themselves are evaluated by the engine's jobs.
import { symmetricEigen } from '../linalg/eigen';
import { symmetricEigenvalues } from '../linalg/eigenvalues';
import { lanczosExtremes, rademacherStart } from '../linalg/lanczos';
import { dot, norm } from '../linalg/vector';
import type { FilterLayout } from '../model/filters';
import { Random } from '../rng';
import { PROBE_SEED } from './density';

export interface Plane {
  center: Float64Array;
  /** Axis directions; orthonormal except for random directions. */
  x: Float64Array;
  y: Float64Array;
}

/**
 * A Gaussian direction, filter-normalized (Li et al. 2018): each filter's slice — a unit's
 * incoming weights or a convolution's output channel, plus its bias when biases are included —
 * is rescaled to the norm of the same slice of θ, so the plot's scale follows the network's
 * own. Bias entries are zero unless `includeBias`; a module's loose entries (biases and
 * normalization layers) are then θ's own, as in the paper's code. Expression models (no
 * filters) scale the whole direction to ‖θ‖.
 */
export function filterNormalizedDirection(
  layout: FilterLayout | null,
  theta: Float64Array,
  random: Random,
  includeBias: boolean,
): Float64Array {
  const d = Float64Array.from(theta, () => random.normal());
  if (!layout) {
    // No filters to normalize by: scale the whole direction to ‖θ‖ (1 at θ = 0).
    const scale = (norm(theta) || 1) / (norm(d) || 1);
    return d.map((v) => v * scale);
  }
  for (const { offset, length, bias } of layout.filters) {
    const withBias = includeBias && bias >= 0;
    if (bias >= 0 && !includeBias) d[bias] = 0;
    let directionNorm = 0;
    let weightNorm = 0;
    for (let i = offset; i < offset + length; i++) {
      directionNorm += d[i] * d[i];
      weightNorm += theta[i] * theta[i];
    }
    if (withBias) {
      directionNorm += d[bias] * d[bias];
      weightNorm += theta[bias] * theta[bias];
    }
    const scale = directionNorm > 0 ? Math.sqrt(weightNorm / directionNorm) : 0;
    for (let i = offset; i < offset + length; i++) d[i] *= scale;
    if (withBias) d[bias] *= scale;
  }
  for (const { offset, length } of layout.loose)
    for (let i = offset; i < offset + length; i++) d[i] = includeBias ? theta[i] : 0;
  return d;
}

/** The plane through a, b and c, centred on a: orthonormal axes, b on the x axis. */
export function planeThroughPoints(a: Float64Array, b: Float64Array, c: Float64Array): Plane {
  const x = Float64Array.from(b, (v, i) => v - a[i]);
  const xLength = norm(x);
  if (xLength === 0) throw new Error('the first two points of the plane coincide');
  x.forEach((v, i) => (x[i] = v / xLength));
  const y = Float64Array.from(c, (v, i) => v - a[i]);
  const along = dot(y, x);
  y.forEach((v, i) => (y[i] = v - along * x[i]));
  const yLength = norm(y);
  if (yLength <= 1e-12 * Math.max(1, norm(a)))
    throw new Error('the three points of the plane lie on one line');
  y.forEach((v, i) => (y[i] = v / yLength));
  return { center: Float64Array.from(a), x, y };
}

/** The unit eigenvectors of the most negative (x) and most positive (y) eigenvalue of H. */
export function hessianPlaneAxes(
  hessian: Float64Array,
  p: number,
): { x: Float64Array; y: Float64Array; lambdaMin: number; lambdaMax: number } {
  const { vectors } = symmetricEigen(hessian, p);
  // The values as the verdicts compute them, so a plane and its run report the same numbers.
  const values = symmetricEigenvalues(hessian, p);
  const column = (k: number) => Float64Array.from({ length: p }, (_, i) => vectors[i * p + k]);
  return { x: column(0), y: column(p - 1), lambdaMin: values[0], lambdaMax: values[p - 1] };
}

/**
 * Lanczos steps a Hessian plane takes beyond the dense limit, at most: two extremes of a
 * network's Hessian converge well within it (35 steps at P = 1975), and it is what the
 * automatic landscape budgets for its directions.
 */
export const HESSIAN_AXES_STEPS = 40;

/** The axes of a Hessian plane from products H·v: Ritz vectors of the two extremes. */
export interface RitzAxes {
  x: Float64Array;
  y: Float64Array;
  lambdaMin: number;
  lambdaMax: number;
  /** Residual bounds ‖H·v − λv‖ of the two. */
  residuals: { x: number; y: number };
  /** Whether both residuals are within the eigenvalue tolerance (times the larger |λ|). */
  converged: boolean;
}

/**
 * The unit Ritz vectors of the most negative (x) and most positive (y) eigenvalue, from at
 * most HESSIAN_AXES_STEPS products, started where the verdict's Lanczos starts (so the same
 * point gives the same plane wherever it is computed). A Ritz vector v has vᵀHv equal to its
 * Ritz value, so the curvature along each axis is exact even when the residual is not small.
 */
export function lanczosPlaneAxes(
  multiply: (v: Float64Array, out: Float64Array) => void,
  p: number,
  eigenvalueTolerance: number,
): RitzAxes {
  const within = (values: number[], residuals: number[]) => {
    const scale = Math.max(Math.abs(values[0]), Math.abs(values.at(-1)!));
    return (
      residuals[0] <= eigenvalueTolerance * scale &&
      residuals.at(-1)! <= eigenvalueTolerance * scale
    );
  };
  const result = lanczosExtremes(multiply, p, {
    count: 1,
    start: rademacherStart(p, PROBE_SEED, 0),
    maxIterations: HESSIAN_AXES_STEPS,
    // Stop on this file's tolerance only (lanczosExtremes' own would stop at a different one).
    tolerance: 0,
    enough: within,
  });
  const last = result.values.length - 1;
  return {
    x: result.vectors(0),
    y: result.vectors(last),
    lambdaMin: result.values[0],
    lambdaMax: result.values[last],
    residuals: { x: result.residuals[0], y: result.residuals[last] },
    converged: within(result.values, result.residuals),
  };
}

/**
 * The first two principal components of an optimizer path (snapshots of θ) around `center`,
 * from the eigenvectors of the snapshots' Gram matrix (m × m, m = snapshots).
 */
export function trajectoryAxes(
  snapshots: Float64Array[],
  center: Float64Array,
): { x: Float64Array; y: Float64Array; explained: [number, number] } {
  const m = snapshots.length;
  const p = center.length;
  const deviations = snapshots.map((s) => Float64Array.from(s, (v, i) => v - center[i]));
  const gram = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++)
      gram[i * m + j] = gram[j * m + i] = dot(deviations[i], deviations[j]);
  const { values, vectors } = symmetricEigen(gram, m);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0) || 1;
  const axis = (k: number) => {
    const a = new Float64Array(p);
    for (let i = 0; i < m; i++) {
      const weight = vectors[i * m + k];
      for (let j = 0; j < p; j++) a[j] += weight * deviations[i][j];
    }
    const length = norm(a);
    return length > 0 ? a.map((v) => v / length) : a;
  };
  return {
    x: axis(m - 1),
    y: axis(m - 2),
    explained: [Math.max(values[m - 1], 0) / total, Math.max(values[m - 2], 0) / total],
  };
}

/**
 * Coordinates (x, y) of θ's projection onto the plane (least squares, so non-orthogonal
 * random axes are handled) and its Euclidean distance from the plane.
 */
export function projectOntoPlane(
  plane: Plane,
  theta: Float64Array,
): { x: number; y: number; distance: number } {
  const v = Float64Array.from(theta, (t, i) => t - plane.center[i]);
  const xx = dot(plane.x, plane.x);
  const xy = dot(plane.x, plane.y);
  const yy = dot(plane.y, plane.y);
  const vx = dot(v, plane.x);
  const vy = dot(v, plane.y);
  const determinant = xx * yy - xy * xy;
  const x = (vx * yy - vy * xy) / determinant;
  const y = (vy * xx - vx * xy) / determinant;
  let residual = 0;
  for (let i = 0; i < v.length; i++) residual += (v[i] - x * plane.x[i] - y * plane.y[i]) ** 2;
  return { x, y, distance: Math.sqrt(residual) };
}

/**
 * `count` evenly spaced values of the line coordinate t with 0 and 1 on the grid (so the
 * curve passes through both networks), reaching beyond them by about `margin` on each side:
 * m intervals across [0, 1] and a further a steps at each end, m + 2a = count − 1, with a/m
 * as close to `margin` as the count allows. The margin used is a/m.
 */
export function lineGrid(count: number, margin: number): { t: number[]; margin: number } {
  let best = { intervals: count - 1, beyond: 0 };
  for (let intervals = count - 1; intervals >= 1; intervals -= 2) {
    const beyond = (count - 1 - intervals) / 2;
    const error = (b: { intervals: number; beyond: number }) =>
      Math.abs(b.beyond / b.intervals - margin);
    if (error({ intervals, beyond }) < error(best)) best = { intervals, beyond };
  }
  const { intervals, beyond } = best;
  return {
    t: Array.from({ length: count }, (_, k) => (k - beyond) / intervals),
    margin: beyond / intervals,
  };
}

/** `count` evenly spaced values from `low` to `high`. */
export function linspace(low: number, high: number, count: number): number[] {
  // The last value is `high` itself, not low + (high − low) rounded.
  return Array.from({ length: count }, (_, i) =>
    count === 1 ? low : i === count - 1 ? high : low + ((high - low) * i) / (count - 1),
  );
}

/** A fitted range's ends, to 7 significant digits (as a path's samples are kept). */
const roundedLimit = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(7)) : v);

/** Neither axis of a fitted parameter plane is narrower than this fraction of the other. */
const NARROWEST_AXIS = 0.25;

/**
 * Two fitted ranges, each widened about its middle to at least a quarter of the other's
 * width: a parameter that barely moved still shows the landscape around it.
 */
export function widenedPlaneRange(
  x: [number, number],
  y: [number, number],
): { x: [number, number]; y: [number, number] } {
  const widen = (range: [number, number], other: [number, number]): [number, number] => {
    const least = NARROWEST_AXIS * (other[1] - other[0]);
    if (range[1] - range[0] >= least) return range;
    const middle = 0.5 * (range[0] + range[1]);
    return [roundedLimit(middle - least / 2), roundedLimit(middle + least / 2)];
  };
  return { x: widen(x, y), y: widen(y, x) };
}
