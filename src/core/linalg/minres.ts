// MINRES (Paige & Saunders 1975) for symmetric, possibly indefinite or singular systems
// A·x = b, with A known only through products. It minimizes ‖A·x − b‖ over growing Krylov
// spaces, so it also returns a least-squares solution when b is not in A's range (the
// Hessian at a point with symmetries is singular).
import { dot, norm } from './vector';

export interface MinresResult {
  x: Float64Array;
  iterations: number;
  /** ‖b − A·x‖ */
  residualNorm: number;
  /** ‖A·(b − A·x)‖ / (‖A‖·‖b − A·x‖): small at a least-squares solution. */
  normalResidual: number;
  /** Estimate of ‖A‖ (Frobenius norm of the Lanczos tridiagonal). */
  matrixNorm: number;
}

export function minres(
  multiply: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  options: { tolerance?: number; maxIterations?: number } = {},
): MinresResult {
  const n = b.length;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? Math.min(n, 500);
  const x = new Float64Array(n);
  const beta1 = norm(b);
  if (beta1 === 0) return { x, iterations: 0, residualNorm: 0, normalResidual: 0, matrixNorm: 0 };

  let r1 = Float64Array.from(b);
  let r2 = Float64Array.from(b);
  const y = Float64Array.from(b);
  const v = new Float64Array(n);
  let w = new Float64Array(n);
  let w1 = new Float64Array(n);
  let w2 = new Float64Array(n);
  let oldBeta = 0;
  let beta = beta1;
  let dbar = 0;
  let epsilon = 0;
  let phibar = beta1;
  let tnorm2 = 0;
  let cs = -1;
  let sn = 0;
  let matrixNorm = 0;
  let normalResidual = Infinity;
  let iterations = 0;

  while (iterations < maxIterations) {
    iterations++;
    const s = 1 / beta;
    for (let i = 0; i < n; i++) v[i] = s * y[i];
    multiply(v, y);
    if (iterations >= 2) for (let i = 0; i < n; i++) y[i] -= (beta / oldBeta) * r1[i];
    const alpha = dot(v, y);
    for (let i = 0; i < n; i++) y[i] -= (alpha / beta) * r2[i];
    [r1, r2] = [r2, r1];
    r2.set(y);
    oldBeta = beta;
    beta = norm(r2);
    tnorm2 += alpha * alpha + oldBeta * oldBeta + beta * beta;

    // Apply the previous rotation, then compute and apply the new one.
    const oldEpsilon = epsilon;
    const delta = cs * dbar + sn * alpha;
    const gbar = sn * dbar - cs * alpha;
    epsilon = sn * beta;
    dbar = -cs * beta;
    const root = Math.hypot(gbar, dbar);
    const rawGamma = Math.hypot(gbar, beta);
    if (rawGamma <= 1e-13 * Math.sqrt(tnorm2)) {
      // The tridiagonal became singular: b has a part outside A's range and the Krylov space
      // is exhausted. The current x is the least-squares solution; updating would divide by ~0.
      normalResidual = 0;
      break;
    }
    const gamma = rawGamma;
    cs = gbar / gamma;
    sn = beta / gamma;
    const phi = cs * phibar;
    phibar = sn * phibar;

    const denominator = 1 / gamma;
    [w1, w2, w] = [w2, w, w1];
    for (let i = 0; i < n; i++) {
      w[i] = (v[i] - oldEpsilon * w1[i] - delta * w2[i]) * denominator;
      x[i] += phi * w[i];
    }

    matrixNorm = Math.sqrt(tnorm2);
    const residualNorm = phibar;
    normalResidual = matrixNorm > 0 ? root / matrixNorm : 0;
    const relativeResidual = residualNorm / (matrixNorm * norm(x) + beta1);
    if (
      relativeResidual <= tolerance ||
      normalResidual <= tolerance ||
      beta <= Number.EPSILON * beta1
    )
      break;
  }
  return { x, iterations, residualNorm: phibar, normalResidual, matrixNorm };
}
