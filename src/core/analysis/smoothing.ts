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
import type { Objective } from '../model/objective';
import { Random } from '../rng';
import type { SmoothedCriticalPoint, SmoothedCurve } from '../../protocol/result';

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

/**
 * Critical points of L_σ along the line origin + t·direction for t in the grid's range:
 * each sign change of dL_σ/dt between grid points is refined by Newton steps kept inside
 * its bracket (bisection when a step leaves it), to a slope at rounding level.
 */
export function smoothedCriticalPoints(
  objective: Objective,
  origin: Float64Array,
  direction: Float64Array,
  ts: number[],
  sigma: number,
  rule: QuadratureRule = gaussHermite(EXACT_NODES),
): SmoothedCriticalPoint[] {
  const p = objective.parameterCount;
  const tensor = tensorRule(rule, p);
  const at = (t: number) => {
    const theta = origin.map((o, i) => o + t * direction[i]);
    const { loss, gradient, hessian } = smoothedAt(objective, theta, sigma, tensor);
    let slope = 0;
    let curvature = 0;
    for (let a = 0; a < p; a++) {
      slope += gradient[a] * direction[a];
      for (let b = 0; b < p; b++) curvature += direction[a] * hessian[a * p + b] * direction[b];
    }
    return { loss, slope, curvature };
  };
  const values = ts.map(at);
  const found: SmoothedCriticalPoint[] = [];
  for (let k = 0; k + 1 < ts.length; k++) {
    const [left, right] = [values[k], values[k + 1]];
    if (left.slope === 0) found.push(classify(ts[k], left));
    // No bracket where the smoothed loss overflows (a σ far beyond the model's scale).
    if (!Number.isFinite(left.slope) || !Number.isFinite(right.slope)) continue;
    if (Math.sign(left.slope) * Math.sign(right.slope) >= 0) continue;
    let [low, high] = [ts[k], ts[k + 1]];
    let lowSlope = left.slope;
    let t = (low + high) / 2;
    let value = at(t);
    for (
      let step = 0;
      step < 100 && value.slope !== 0 && high - low > 4e-16 * Math.abs(t);
      step++
    ) {
      if (Math.sign(value.slope) === Math.sign(lowSlope)) [low, lowSlope] = [t, value.slope];
      else high = t;
      const newton = t - value.slope / value.curvature;
      t = newton > low && newton < high ? newton : (low + high) / 2;
      value = at(t);
    }
    found.push(classify(t, value));
  }
  const last = values[values.length - 1];
  if (last.slope === 0) found.push(classify(ts[ts.length - 1], last));
  return found;
}

function classify(
  t: number,
  { loss, slope, curvature }: { loss: number; slope: number; curvature: number },
): SmoothedCriticalPoint {
  const kind = curvature > 0 ? 'minimum' : curvature < 0 ? 'maximum' : 'degenerate';
  return { t, loss, curvature, kind, slope: Math.abs(slope) };
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
    const rule = gaussHermite(EXACT_NODES);
    const [tensor, check] = [tensorRule(rule, p), tensorRule(gaussHermite(CHECK_NODES), p)];
    const points = ts.map(pointAt);
    return sigmas.map((sigma) => {
      const loss = points.map((theta) => smoothedValue(objective, theta, sigma, tensor));
      const larger = points.map((theta) => smoothedValue(objective, theta, sigma, check));
      return {
        sigma,
        method: 'quadrature',
        samples: EXACT_NODES,
        loss: loss.map(finite),
        error: loss.map((v, k) => finite(Math.abs(v - larger[k]))),
        criticalPoints: smoothedCriticalPoints(objective, origin, direction, ts, sigma, rule),
      };
    });
  }
  const perturbations = seededPerturbations(seed, p);
  return sigmas.map((sigma) =>
    monteCarloCurve(objective, origin, direction, ts, sigma, perturbations),
  );
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
