// Eigenvalues of a symmetric matrix without its eigenvectors: Householder reduction to
// tridiagonal form (WebAssembly SIMD, or the same algorithm in JavaScript), then implicit QL
// on the tridiagonal matrix. A verdict needs only the eigenvalues; skipping the vectors
// saves most of the work that the full decomposition (eigen.ts, ml-matrix) does, and the
// vectors are computed there only when an analysis needs them.
import { tridiagonalize } from '../kernels/registry';
import { allFinite, NonFiniteMatrixError } from './vector';

/** Ascending eigenvalues of a symmetric row-major n × n matrix (the matrix is not changed). */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  if (!allFinite(matrix)) throw new NonFiniteMatrixError();
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] couples d[i] and d[i+1]; e[n−1] stays 0
  tridiagonalize(matrix, n, d, e);
  tridiagonalEigenvalues(d, e);
  return d.sort();
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix (d, e) by implicit QL with Wilkinson
 * shifts (the tqli of Numerical Recipes, without vectors); overwrites d with them.
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  // A coupling below ε·‖T‖ is dropped even between two zero diagonal entries (dead relu
  // units make them): keeping it changes no eigenvalue by more than the reduction's own
  // rounding, and its square would underflow and stall the iteration.
  let norm = 0;
  for (let i = 0; i < n; i++)
    norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  if (norm === 0) return;
  // Far from 1 the iteration's products leave the exponent range: scale by a power of two
  // (exact) to a norm near 1, and back at the end.
  const scale =
    norm < 1e-100 || norm > 1e100
      ? 2 ** Math.max(-1000, Math.min(1000, -Math.round(Math.log2(norm))))
      : 1;
  if (scale !== 1)
    for (let i = 0; i < n; i++) {
      d[i] *= scale;
      e[i] *= scale;
    }
  const negligible = Number.EPSILON * norm * scale;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const size = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * size || Math.abs(e[m]) <= negligible) break;
      }
      if (m === l) break;
      if (++iterations > 60) throw new Error('tridiagonal QL did not converge');
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.sqrt(g * g + 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let underflow = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.sqrt(f * f + g * g);
        // Squares of tiny or huge values under- or overflow: hypot does not (and is slower).
        if ((r === 0 && (f !== 0 || g !== 0)) || r === Infinity) r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Split: recover from underflow and start over at this l.
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  if (scale !== 1) for (let i = 0; i < n; i++) d[i] /= scale;
}
