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
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const size = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * size) break;
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
}
