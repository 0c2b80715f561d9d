// The Gaussian smoothing of a loss, L_σ(θ) = E[L(θ + σε)] with ε ~ N(0, I) (Mobahi 2016's
// homotopy): for large σ one minimum, minima splitting off as σ shrinks. For models of one or
// two parameters the expectation is a Gauss–Hermite sum, exact for polynomials of degree up
// to 2n − 1 in each parameter (n nodes per axis); its derivatives are the sums of the
// derivatives (differentiation commutes with the expectation).
import {
  EXACT_NODES,
  gaussHermite,
  tensorRule,
  type QuadratureRule,
  type TensorRule,
} from '../linalg/gaussHermite';
import { lossesOnPlane, type Objective } from '../model/objective';
import { Random } from '../rng';
import type { SmoothedCurve, SmoothedSurface } from '../../protocol/result';
import {
  lineCriticalPoints,
  monteCarloRule,
  type SlicePlane,
  type SmoothingRule,
} from './smoothedCriticalPoints';

/** The smoothed loss, its gradient and its Hessian at θ (P ≤ 2), all by the same rule. */
export interface SmoothedPoint {
  loss: number;
  gradient: Float64Array;
  /** Row-major P × P. */
  hessian: Float64Array;
}

/**
 * L_σ, ∇L_σ and ∇²L_σ at θ for a model of one or two parameters: the tensor-product rule
 * over the parameters (n or n² evaluations of L, ∇L and ∇²L).
 */
export function smoothedPoint(
  objective: Objective,
  theta: Float64Array,
  sigma: number,
  rule: QuadratureRule = gaussHermite(EXACT_NODES),
): SmoothedPoint {
  const p = objective.parameterCount;
  if (p > 2)
    throw new Error(`exact smoothing takes models of one or two parameters; this one has ${p}`);
  return smoothedAt(objective, theta, sigma, tensorRule(rule, p));
}

/** smoothedPoint on a tensor rule built once by the caller (it is evaluated many times). */
function smoothedAt(
  objective: Objective,
  theta: Float64Array,
  sigma: number,
  { offsets, weights }: TensorRule,
): SmoothedPoint {
  const p = objective.parameterCount;
  const point = new Float64Array(p);
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const g = new Float64Array(p);
  let loss = 0;
  offsets.forEach((epsilon, k) => {
    for (let a = 0; a < p; a++) point[a] = theta[a] + sigma * epsilon[a];
    loss += weights[k] * objective.lossAndGradient(point, g);
    for (let a = 0; a < p; a++) gradient[a] += weights[k] * g[a];
    const h = objective.hessian(point);
    for (let a = 0; a < p * p; a++) hessian[a] += weights[k] * h[a];
  });
  return { loss, gradient, hessian };
}

/** Perturbations of the Monte Carlo route: the same for every grid point and every σ. */
export const MONTE_CARLO_SAMPLES = 128;
/** The larger rule whose difference from EXACT_NODES measures the quadrature's error. */
const CHECK_NODES = 24;

/**
 * L_σ along origin + t·direction at every t, for each σ. Models of one or two parameters by
 * quadrature, with their critical points; larger ones by Monte Carlo over MONTE_CARLO_SAMPLES
 * perturbations drawn once from `seed` (common random numbers: the curve is smooth in t, and
 * two σ differ only by σ).
 */
export function smoothedCurves(
  objective: Objective,
  origin: Float64Array,
  direction: Float64Array,
  ts: number[],
  sigmas: number[],
  seed: number,
): SmoothedCurve[] {
  const p = objective.parameterCount;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const pointAt = (t: number) => origin.map((o, i) => o + t * direction[i]);
  if (p <= 2) {
    const [rule, check] = [exactRule(p), exactRule(p, CHECK_NODES)];
    const points = ts.map(pointAt);
    return sigmas.map((sigma) => {
      const loss = points.map((theta) => smoothedValue(objective, theta, sigma, rule));
      const larger = points.map((theta) => smoothedValue(objective, theta, sigma, check));
      return {
        sigma,
        method: 'quadrature',
        samples: EXACT_NODES,
        loss: loss.map(finite),
        error: loss.map((v, k) => finite(Math.abs(v - larger[k]))),
        criticalPoints: lineCriticalPoints(objective, origin, direction, ts, sigma, rule),
      };
    });
  }
  const perturbations = seededPerturbations(seed, p);
  const rule = monteCarloRule(perturbations);
  return sigmas.map((sigma) => {
    const curve = monteCarloCurve(objective, origin, direction, ts, sigma, perturbations);
    const criticalPoints = lineCriticalPoints(
      objective,
      origin,
      direction,
      ts,
      sigma,
      rule,
      curve.loss,
    );
    return { ...curve, criticalPoints };
  });
}

/** The Gauss–Hermite tensor rule over a model's one or two parameters. */
export function exactRule(p: number, nodes = EXACT_NODES): SmoothingRule {
  return { method: 'quadrature', ...tensorRule(gaussHermite(nodes), p) };
}

/** The rule a model's smoothing uses: exact for one or two parameters, else Monte Carlo. */
export function smoothingRule(p: number, seed: number): SmoothingRule {
  return p <= 2 ? exactRule(p) : monteCarloRule(seededPerturbations(seed, p));
}

/** L_σ on rows of a plane's grid for one σ: a surface's fields but its critical points. */
export type SmoothedRows = Omit<SmoothedSurface, 'criticalPoints'>;

/**
 * L_σ on the grid rows bs × as of a plane, for each σ: at every node of the rule, the plane's
 * losses around the shifted center (center + σε), so each node is one batched plane. The sum
 * at a grid point runs over the nodes in order, whatever rows the job holds: the grid is the
 * same on any number of threads. Errors as for curves.
 */
export function smoothedPlaneRows(
  objective: Objective,
  plane: SlicePlane,
  as: number[],
  bs: number[],
  sigmas: number[],
  seed: number,
): SmoothedRows[] {
  const p = objective.parameterCount;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const planeSum = (sigma: number, { offsets, weights }: TensorRule, squares: boolean) => {
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
  if (p <= 2) {
    const [rule, check] = [exactRule(p), exactRule(p, CHECK_NODES)];
    return sigmas.map((sigma) => {
      const { sums } = planeSum(sigma, rule, false);
      const larger = planeSum(sigma, check, false).sums;
      return {
        sigma,
        method: 'quadrature',
        samples: EXACT_NODES,
        loss: sums.map((row) => Array.from(row, finite)),
        error: sums.map((row, j) => Array.from(row, (v, i) => finite(Math.abs(v - larger[j][i])))),
      };
    });
  }
  const rule = monteCarloRule(seededPerturbations(seed, p));
  const m = rule.offsets.length;
  return sigmas.map((sigma) => {
    const { sums, sumsOfSquares } = planeSum(sigma, rule, true);
    const error = sums.map((row, j) =>
      Array.from(row, (mean, i) => {
        const variance = Math.max(0, (sumsOfSquares![j][i] - m * mean * mean) / (m - 1));
        return finite(Math.sqrt(variance / m));
      }),
    );
    return {
      sigma,
      method: 'monte-carlo',
      samples: m,
      loss: sums.map((row) => Array.from(row, finite)),
      error,
    };
  });
}

/** MONTE_CARLO_SAMPLES draws of ε ~ N(0, I_P) from `seed`: the same for every point and σ. */
export function seededPerturbations(seed: number, p: number): Float64Array[] {
  const random = new Random(seed);
  return Array.from({ length: MONTE_CARLO_SAMPLES }, () =>
    Float64Array.from({ length: p }, () => random.normal()),
  );
}

/** L_σ along the line as the mean of L over the perturbations, with its standard error. */
export function monteCarloCurve(
  objective: Objective,
  origin: Float64Array,
  direction: Float64Array,
  ts: number[],
  sigma: number,
  perturbations: Float64Array[],
): SmoothedCurve {
  const p = objective.parameterCount;
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const theta = new Float64Array(p);
  const loss: (number | null)[] = [];
  const error: (number | null)[] = [];
  for (const t of ts) {
    let sum = 0;
    let squares = 0;
    for (const epsilon of perturbations) {
      for (let i = 0; i < p; i++) theta[i] = origin[i] + t * direction[i] + sigma * epsilon[i];
      const value = objective.loss(theta);
      sum += value;
      squares += value * value;
    }
    const m = perturbations.length;
    const mean = sum / m;
    const variance = Math.max(0, (squares - m * mean * mean) / (m - 1));
    loss.push(finite(mean));
    error.push(finite(Math.sqrt(variance / m)));
  }
  return { sigma, method: 'monte-carlo', samples: perturbations.length, loss, error };
}

/** L_σ alone by the tensor-product rule (one or two parameters). */
function smoothedValue(
  objective: Objective,
  theta: Float64Array,
  sigma: number,
  { offsets, weights }: TensorRule,
): number {
  const p = objective.parameterCount;
  const point = new Float64Array(p);
  let sum = 0;
  offsets.forEach((epsilon, k) => {
    for (let a = 0; a < p; a++) point[a] = theta[a] + sigma * epsilon[a];
    sum += weights[k] * objective.loss(point);
  });
  return sum;
}
