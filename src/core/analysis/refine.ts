// Moves a trained endpoint to the nearby critical point with Newton-MR (Roosta et al. 2018;
// used for neural losses by Frye et al. 2021): Newton directions from MINRES on the possibly
// indefinite Hessian, and a backtracking line search on ‖∇L‖². It converges to saddles and
// maxima as well as minima. It also converges to *gradient-flat* points, where H·∇L ≈ 0 but
// ∇L ≠ 0 (stationary points of ‖∇L‖² that are not critical points of L); those are reported
// as such, never as critical.
import type { RunRefinement } from '../../protocol/result';
import { minres } from '../linalg/minres';
import type { Objective } from '../model/objective';
import { dot, norm } from '../linalg/vector';

export type RefinementStatus = RunRefinement['status'];

/** The result file's refinement summary, plus where refinement ended and its flatness there. */
export interface Refinement extends Required<
  Pick<
    RunRefinement,
    | 'status'
    | 'iterations'
    | 'distance'
    | 'lossBefore'
    | 'lossAfter'
    | 'gradientNormBefore'
    | 'gradientNormAfter'
    | 'flatness'
  >
> {
  theta: Float64Array;
  /** Hessian-vector products spent. */
  products: number;
}

export interface RefineOptions {
  /** Stop when ‖∇L‖ is at or below this (absolute). */
  gradientTolerance: number;
  maxIterations?: number;
  /** Armijo constant of the line search on ‖∇L‖². */
  sufficientDecrease?: number;
  /** Below this flatness, a point where the line search stalls is called gradient-flat. */
  flatnessThreshold?: number;
  /** Hessian-vector products it may spend (MINRES and the flatness test); unbounded if unset. */
  maxProducts?: number;
}

const SHRINK = 0.5;
const SMALLEST_STEP = 1e-12;

export function refineToCriticalPoint(
  objective: Objective,
  start: Float64Array,
  options: RefineOptions,
): Refinement {
  const p = objective.parameterCount;
  const maxIterations = options.maxIterations ?? 100;
  const rho = options.sufficientDecrease ?? 1e-4;
  const flatnessThreshold = options.flatnessThreshold ?? 1e-4;
  const theta = Float64Array.from(start);
  const gradient = new Float64Array(p);
  const trialGradient = new Float64Array(p);
  const trial = new Float64Array(p);
  const hg = new Float64Array(p);
  const maxProducts = options.maxProducts ?? Infinity;
  let products = 0;
  const hvp = (v: Float64Array, out: Float64Array) => {
    products++;
    objective.hessianVectorProduct(theta, v, out);
  };

  const lossBefore = objective.lossAndGradient(theta, gradient);
  const gradientNormBefore = norm(gradient);
  let loss = lossBefore;
  let gradientNorm = gradientNormBefore;
  let status: RefinementStatus = 'iterations';
  let flatness = NaN;
  let matrixNorm = 0;
  let step = 1;
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    if (gradientNorm <= options.gradientTolerance) {
      status = 'converged';
      break;
    }
    // One product is kept for the flatness test; a Newton step needs a few for MINRES.
    const left = maxProducts - products - 1;
    if (left < 2) {
      status = 'budget';
      break;
    }
    const negativeGradient = gradient.map((g) => -g);
    const solve = minres(hvp, negativeGradient, {
      tolerance: 1e-10,
      maxIterations: Math.min(p, 500, left),
    });
    matrixNorm = Math.max(matrixNorm, solve.matrixNorm);
    hvp(gradient, hg);
    flatness = norm(hg) / (Math.max(matrixNorm, Number.MIN_VALUE) * gradientNorm);
    let direction = solve.x;
    // d/dα ½‖∇L(θ + αd)‖² at α = 0 is ⟨d, H·∇L⟩; fall back to steepest descent on ½‖∇L‖².
    let slope = dot(direction, hg);
    if (!(slope < 0)) {
      direction = hg.map((x) => -x);
      slope = -dot(hg, hg);
    }
    // Backtracking: ‖∇L(θ + αd)‖² ≤ ‖∇L(θ)‖² + 2ρα⟨d, H·∇L⟩
    let accepted = false;
    step = Math.min(1, step / SHRINK);
    const squaredNorm = gradientNorm * gradientNorm;
    while (step >= SMALLEST_STEP) {
      for (let i = 0; i < p; i++) trial[i] = theta[i] + step * direction[i];
      const trialLoss = objective.lossAndGradient(trial, trialGradient);
      const trialNorm = norm(trialGradient);
      if (
        Number.isFinite(trialLoss) &&
        trialNorm * trialNorm <= squaredNorm + 2 * rho * step * slope
      ) {
        theta.set(trial);
        gradient.set(trialGradient);
        loss = trialLoss;
        gradientNorm = trialNorm;
        accepted = true;
        break;
      }
      step *= SHRINK;
    }
    if (!accepted) {
      status = flatness <= flatnessThreshold ? 'gradient-flat' : 'stalled';
      break;
    }
  }
  if (status === 'iterations' && gradientNorm <= options.gradientTolerance) status = 'converged';
  if (status === 'iterations' || status === 'budget') {
    // Out of iterations or products: is it because the point is gradient-flat?
    objective.hessianVectorProduct(theta, gradient, hg);
    flatness = norm(hg) / (Math.max(matrixNorm, Number.MIN_VALUE) * gradientNorm);
    if (flatness <= flatnessThreshold) status = 'gradient-flat';
  }
  let distance = 0;
  for (let i = 0; i < p; i++) distance += (theta[i] - start[i]) ** 2;
  return {
    theta,
    status,
    iterations,
    distance: Math.sqrt(distance),
    lossBefore,
    lossAfter: loss,
    gradientNormBefore,
    gradientNormAfter: gradientNorm,
    flatness,
    products,
  };
}
