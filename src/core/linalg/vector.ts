// Small vector helpers over Float64Arrays, shared by the iterative methods.

export function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

export function distance(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/**
 * Makes w orthogonal to the orthonormal `basis`, in place: modified Gram–Schmidt, twice
 * ("twice is enough", Kahan–Parlett). Each sweep subtracts one basis vector and takes the
 * next one's dot product in the same pass over w, with the updated entries, so the values
 * are those of dot-then-axpy per vector, with one pass over w instead of two.
 */
export function reorthogonalize(w: Float64Array, basis: readonly Float64Array[]): void {
  const m = basis.length;
  if (m === 0) return;
  const n = w.length;
  for (let pass = 0; pass < 2; pass++) {
    let c = dot(w, basis[0]);
    for (let j = 0; j + 1 < m; j++) {
      const b = basis[j];
      const next = basis[j + 1];
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = w[i] - c * b[i];
        w[i] = x;
        sum += x * next[i];
      }
      c = sum;
    }
    const last = basis[m - 1];
    for (let i = 0; i < n; i++) w[i] -= c * last[i];
  }
}

/** out = v / divisor, entry by entry. */
export function divided(v: Float64Array, divisor: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / divisor;
  return out;
}

/** True when both arrays hold exactly the same values (a cache key for "the same θ"). */
export function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when every entry is a finite number (no overflow to ±∞, no NaN). */
export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Thrown by the eigensolvers for a matrix with entries that are not finite: their iterations
 * are meaningless there (and some never end), and the caller says what it means.
 */
export class NonFiniteMatrixError extends Error {
  constructor() {
    super('the matrix has entries that are not finite (they overflow float64)');
  }
}
