// Householder reduction of a symmetric matrix to tridiagonal form, in JavaScript: the twin of
// tridiagonalize in wasm/tridiagonalize.ts.
/**
 * The same Householder reduction as wasm/tridiagonalize.ts, written plainly (full
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
