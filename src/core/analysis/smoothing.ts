// The Gaussian smoothing of a loss, L_σ(θ) = E[L(θ + σε)] with ε ~ N(0, I) (Mobahi 2016's
// homotopy): for large σ one minimum, minima splitting off as σ shrinks. For models of one or
// two parameters the expectation is a Gauss–Hermite sum, exact for polynomials of degree up
// to 2n − 1 in each parameter (n nodes per axis); for larger ones the mean over seeded
// perturbations, with its standard error. A line is a plane of one row: both are summed by
// one routine, one batched plane per node of the rule.
import {
  exactRule,
  monteCarloRule,
  normalDraws,
  type SmoothingRule,
} from '../linalg/gaussianRules';
import { EXACT_NODES } from '../linalg/gaussHermite';
import { lossesOnPlane, type Objective } from '../model/objective';
import type { SmoothedCurve, SmoothedSurface } from '../../protocol/result';
import { lineCriticalPoints, type SlicePlane } from './smoothedCriticalPoints';

/** Perturbations of the Monte Carlo route: the same for every grid point and every σ. */
export const MONTE_CARLO_SAMPLES = 128;
/** The larger rule whose difference from EXACT_NODES measures the quadrature's error. */
const CHECK_NODES = 24;

/** MONTE_CARLO_SAMPLES draws of ε ~ N(0, I_P) from `seed`: the same for every point and σ. */
export function seededPerturbations(seed: number, p: number): Float64Array[] {
  return normalDraws(seed, p, MONTE_CARLO_SAMPLES);
}

/** The rule a model's smoothing uses: exact for one or two parameters, else Monte Carlo. */
export function smoothingRule(p: number, seed: number): SmoothingRule {
  return p <= 2 ? exactRule(p) : monteCarloRule(seededPerturbations(seed, p));
}

/** L_σ on rows of a plane's grid for one σ: a surface's fields but its critical points. */
export type SmoothedRows = Omit<SmoothedSurface, 'criticalPoints'>;

/**
 * L_σ along origin + t·direction at every t, for each σ, with its critical points along the
 * line (Monte Carlo: with their standard errors). The perturbations are drawn once from `seed`
 * (common random numbers: the curve is smooth in t, and two σ differ only by σ).
 */
export function smoothedCurves(
  objective: Objective,
  origin: Float64Array,
  direction: Float64Array,
  ts: number[],
  sigmas: number[],
  seed: number,
): SmoothedCurve[] {
  const rule = smoothingRule(objective.parameterCount, seed);
  const line = { center: origin, x: direction, y: new Float64Array(origin.length) };
  return smoothedRows(objective, line, ts, [0], sigmas, rule).map((rows) => {
    const curve = { ...rows, loss: rows.loss[0], error: rows.error[0] };
    const values = rule.method === 'monte-carlo' ? curve.loss : [];
    const criticalPoints = lineCriticalPoints(
      objective,
      origin,
      direction,
      ts,
      curve.sigma,
      rule,
      values,
    );
    return { ...curve, criticalPoints };
  });
}

/** smoothedRows by the rule a model's smoothing uses (the Monte Carlo draws from `seed`). */
export function smoothedPlaneRows(
  objective: Objective,
  plane: SlicePlane,
  as: number[],
  bs: number[],
  sigmas: number[],
  seed: number,
): SmoothedRows[] {
  return smoothedRows(
    objective,
    plane,
    as,
    bs,
    sigmas,
    smoothingRule(objective.parameterCount, seed),
  );
}

/**
 * L_σ on the grid rows bs × as of a plane, for each σ: at every node of the rule, the plane's
 * losses around the shifted center (center + σε), so each node is one batched plane. The sum
 * at a grid point runs over the nodes in order, whatever rows the job holds: the grid is the
 * same on any number of threads. The error: for quadrature |L_σ by 20 nodes − by 24|, for
 * Monte Carlo the standard error of the mean.
 */
export function smoothedRows(
  objective: Objective,
  plane: SlicePlane,
  as: number[],
  bs: number[],
  sigmas: number[],
  rule: SmoothingRule,
): SmoothedRows[] {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const planeSum = (sigma: number, { offsets, weights }: SmoothingRule, squares: boolean) => {
    const sums = bs.map(() => new Float64Array(as.length));
    const sumsOfSquares = squares ? bs.map(() => new Float64Array(as.length)) : null;
    offsets.forEach((epsilon, k) => {
      const center = plane.center.map((c, i) => c + sigma * epsilon[i]);
      const losses = lossesOnPlane(objective, { center, x: plane.x, y: plane.y, as, bs });
      losses.forEach((row, j) =>
        row.forEach((value, i) => {
          sums[j][i] += weights[k] * value;
          if (sumsOfSquares) sumsOfSquares[j][i] += value * value;
        }),
      );
    });
    return { sums, sumsOfSquares };
  };
  const m = rule.offsets.length;
  const check =
    rule.method === 'quadrature' ? exactRule(objective.parameterCount, CHECK_NODES) : null;
  return sigmas.map((sigma) => {
    const { sums, sumsOfSquares } = planeSum(sigma, rule, check === null);
    const larger = check ? planeSum(sigma, check, false).sums : null;
    const error = sums.map((row, j) =>
      Array.from(row, (mean, i) => {
        if (larger) return finite(Math.abs(mean - larger[j][i]));
        const variance = Math.max(0, (sumsOfSquares![j][i] - m * mean * mean) / (m - 1));
        return finite(Math.sqrt(variance / m));
      }),
    );
    return {
      sigma,
      method: rule.method,
      samples: rule.method === 'quadrature' ? EXACT_NODES : m,
      loss: sums.map((row) => Array.from(row, finite)),
      error,
    };
  });
}
