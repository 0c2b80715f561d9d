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
