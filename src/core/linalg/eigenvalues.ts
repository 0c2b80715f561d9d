// Eigenvalues of a symmetric matrix without its eigenvectors: Householder reduction to
// tridiagonal form (WebAssembly SIMD, or the same algorithm in JavaScript), then implicit QL
// on the tridiagonal matrix. A verdict needs only the eigenvalues; skipping the vectors
// saves most of the work that the full decomposition (eigen.ts, ml-matrix) does, and the
// vectors are computed there only when an analysis needs them.
import { wasmTridiagonalize } from '../kernels/wasm';
import { allFinite, NonFiniteMatrixError } from './vector';

/** Ascending eigenvalues of a symmetric row-major n × n matrix (the matrix is not changed). */
export function symmetricEigenvalues(matrix: Float64Array, n: number): Float64Array {
  if (!allFinite(matrix)) throw new NonFiniteMatrixError();
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i] couples d[i] and d[i+1]; e[n−1] stays 0
  if (!wasmTridiagonalize(matrix, n, d, e)) jsTridiagonalize(Float64Array.from(matrix), n, d, e);
  tridiagonalEigenvalues(d, e);
  return d.sort();
}

/**
 * The same Householder reduction as wasm/kernels.ts tridiagonalize, written plainly (full
 * storage, two passes per step) as the fallback where WebAssembly is missing; overwrites a.
 */
export function jsTridiagonalize(
  a: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
): void {
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1;
    const row = k * n + k + 1;
    let scale = 0;
    for (let j = 0; j < m; j++) scale = Math.max(scale, Math.abs(a[row + j]));
    d[k] = a[k * n + k];
    if (scale === 0) {
      e[k] = 0;
      continue;
    }
    let norm2 = 0;
    for (let j = 0; j < m; j++) {
      v[j] = a[row + j] / scale;
      norm2 += v[j] * v[j];
    }
    const x0 = v[0];
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    e[k] = alpha * scale;
    v[0] = x0 - alpha;
    const tau = 2 / (norm2 - x0 * x0 + v[0] * v[0]);
    const block = (k + 1) * n + k + 1;
    for (let i = 0; i < m; i++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += a[block + i * n + j] * v[j];
      w[i] = tau * sum;
    }
    let vw = 0;
    for (let j = 0; j < m; j++) vw += v[j] * w[j];
    const half = 0.5 * tau * vw;
    for (let j = 0; j < m; j++) w[j] -= half * v[j];
    for (let i = 0; i < m; i++) {
      const r = block + i * n;
      for (let j = 0; j < m; j++) a[r + j] -= v[i] * w[j] + w[i] * v[j];
    }
  }
  if (n >= 2) {
    d[n - 2] = a[(n - 2) * n + n - 2];
    e[n - 2] = a[(n - 1) * n + n - 2];
  }
  if (n >= 1) d[n - 1] = a[n * n - 1];
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
