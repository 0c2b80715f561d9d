// tr(H) at a point, the sum of its curvatures, which users compare across runs as sharpness:
// exact from the dense Hessian's diagonal; beyond the exact limit, Hutchinson's estimate
// E[zᵀHz] over Rademacher probes z, with its standard error. Two ways to it:
//  - from the density's probes, free: each probe's Lanczos run begins with α₁ = qᵀHq,
//    q = z/√P, so zᵀHz = P·α₁;
//  - from probes of its own, deflated by the verdict's Lanczos basis Q: with Π = I − QQᵀ,
//    tr(H) = tr(QᵀHQ) + tr(ΠHΠ) exactly, tr(QᵀHQ) = Σ αⱼ is already known, and Hutchinson
//    estimates only the rest. Q spans the extreme eigen-directions, where most of ‖H‖_F sits,
//    so the rest varies far less than H itself (Hutchinson's variance is 2(‖A‖_F² − Σ Aᵢᵢ²)):
//    the idea of Hutch++ (Meyer et al. 2021), with the Krylov space the verdict built anyway.
import type { TraceEstimate } from '../../protocol/result';
import { dot } from '../linalg/vector';
import { deriveSeed, Random } from '../rng';

/** Probes of the deflated estimate when the point has no density. */
export const TRACE_PROBES = 30;
/** Its own probes, apart from the density's (PROBE_SEED) so that the two are independent. */
const TRACE_SEED = 20240214;

/** The exact trace of a dense row-major P × P matrix. */
export function exactTrace(matrix: Float64Array, p: number): TraceEstimate {
  let sum = 0;
  for (let i = 0; i < p; i++) sum += matrix[i * p + i];
  return { value: sum, method: 'exact' };
}

/** Hutchinson's mean of per-probe estimates zᵀHz, with its standard error. */
export function hutchinson(estimates: readonly number[]): TraceEstimate {
  const m = estimates.length;
  const mean = estimates.reduce((sum, e) => sum + e, 0) / m;
  const variance = m > 1 ? estimates.reduce((sum, e) => sum + (e - mean) ** 2, 0) / (m - 1) : NaN;
  return {
    value: mean,
    method: 'hutchinson',
    probes: m,
    standardError: m > 1 ? Math.sqrt(variance / m) : null,
  };
}

/**
 * Hutchinson on ΠHΠ, Π = I − QQᵀ for the orthonormal `basis` Q, plus `basisTrace` = tr(QᵀHQ):
 * `probes` products H·v. Unbiased for any Q independent of the probes.
 */
export function deflatedTrace(
  multiply: (v: Float64Array, out: Float64Array) => void,
  p: number,
  basis: readonly Float64Array[],
  basisTrace: number,
  probes = TRACE_PROBES,
): TraceEstimate {
  const w = new Float64Array(p);
  const hw = new Float64Array(p);
  const estimates: number[] = [];
  for (let k = 0; k < probes; k++) {
    const random = new Random(deriveSeed(TRACE_SEED, k));
    for (let i = 0; i < p; i++) w[i] = random.uniform(0, 1) < 0.5 ? -1 : 1;
    // Twice, as the Lanczos run reorthogonalizes: one pass leaves rounding in Q's directions.
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        const c = dot(w, q);
        for (let i = 0; i < p; i++) w[i] -= c * q[i];
      }
    multiply(w, hw);
    estimates.push(dot(w, hw));
  }
  const rest = hutchinson(estimates);
  return { ...rest, value: basisTrace + rest.value, deflated: basis.length };
}
