// Inertia (how many eigenvalues are negative, zero, positive) of a symmetric matrix without
// computing its eigenvalues: by Sylvester's law of inertia, P·A·Pᵀ = L·D·Lᵀ has the inertia of
// the block-diagonal D. The factorization is Bunch–Kaufman's symmetric pivoting (as LAPACK's
// dsytrf), which is stable for indefinite matrices: 1×1 pivots, and 2×2 pivots that always
// have one negative and one positive eigenvalue. No npm library offers it, so it is written
// here; it only counts, it keeps no factors. Cost: about n³/3 multiply-adds.
import { allFinite, NonFiniteMatrixError } from './vector';

export interface Inertia {
  negative: number;
  zero: number;
  positive: number;
}

const ALPHA = (1 + Math.sqrt(17)) / 8;

/** Inertia of the symmetric row-major n × n matrix (the array is overwritten). */
export function inertia(matrix: Float64Array, n: number): Inertia {
  const a = matrix;
  const counts: Inertia = { negative: 0, zero: 0, positive: 0 };
  const at = (i: number, j: number) => a[i * n + j];
  let k = 0;
  while (k < n) {
    const absDiagonal = Math.abs(at(k, k));
    let largest = k;
    let columnMax = 0;
    for (let i = k + 1; i < n; i++) {
      const value = Math.abs(at(i, k));
      if (value > columnMax) {
        columnMax = value;
        largest = i;
      }
    }
    if (Math.max(absDiagonal, columnMax) === 0) {
      counts.zero++; // the whole column is zero: an exact zero eigenvalue
      k++;
      continue;
    }
    let blockSize = 1;
    let pivot = k;
    if (absDiagonal < ALPHA * columnMax) {
      let rowMax = 0;
      for (let j = k; j < n; j++)
        if (j !== largest) rowMax = Math.max(rowMax, Math.abs(at(largest, j)));
      if (absDiagonal * rowMax >= ALPHA * columnMax * columnMax) pivot = k;
      else if (Math.abs(at(largest, largest)) >= ALPHA * rowMax) pivot = largest;
      else {
        blockSize = 2;
        pivot = largest;
      }
    }
    const target = blockSize === 1 ? k : k + 1;
    if (pivot !== target) swapSymmetric(a, n, pivot, target);

    if (blockSize === 1) {
      const d = at(k, k);
      if (d < 0) counts.negative++;
      else if (d > 0) counts.positive++;
      else counts.zero++;
      // Trailing update: A ← A − c·cᵀ/d with c the column below the pivot.
      for (let i = k + 1; i < n; i++) {
        const factor = at(i, k) / d;
        if (factor === 0) continue;
        const rowI = i * n;
        for (let j = k + 1; j < n; j++) a[rowI + j] -= factor * at(j, k);
      }
      k += 1;
    } else {
      // D = [[p, q], [q, r]] has det < 0 by the pivot rule: one negative, one positive.
      const p = at(k, k);
      const q = at(k + 1, k);
      const r = at(k + 1, k + 1);
      const det = p * r - q * q;
      counts.negative++;
      counts.positive++;
      // Trailing update: A ← A − C·D⁻¹·Cᵀ, C = columns k and k+1 below the block.
      for (let i = k + 2; i < n; i++) {
        const ci0 = at(i, k);
        const ci1 = at(i, k + 1);
        // row i of C·D⁻¹
        const w0 = (r * ci0 - q * ci1) / det;
        const w1 = (p * ci1 - q * ci0) / det;
        const rowI = i * n;
        for (let j = k + 2; j < n; j++) a[rowI + j] -= w0 * at(j, k) + w1 * at(j, k + 1);
      }
      k += 2;
    }
  }
  return counts;
}

/** Swaps rows and columns i and j of a full symmetric matrix. */
function swapSymmetric(a: Float64Array, n: number, i: number, j: number): void {
  for (let c = 0; c < n; c++) {
    const t = a[i * n + c];
    a[i * n + c] = a[j * n + c];
    a[j * n + c] = t;
  }
  for (let r = 0; r < n; r++) {
    const t = a[r * n + i];
    a[r * n + i] = a[r * n + j];
    a[r * n + j] = t;
  }
}

/**
 * How many eigenvalues lie below −τ, within [−τ, τ], and above τ: the inertia of A + τI
 * gives the count below −τ, that of A − τI the count above τ.
 */
export function inertiaAroundZero(matrix: Float64Array, n: number, tau: number): Inertia {
  if (!allFinite(matrix) || !Number.isFinite(tau)) throw new NonFiniteMatrixError();
  const shifted = (shift: number) => {
    const copy = Float64Array.from(matrix);
    for (let i = 0; i < n; i++) copy[i * n + i] += shift;
    return inertia(copy, n);
  };
  const negative = shifted(tau).negative;
  const positive = shifted(-tau).positive;
  return { negative, zero: n - negative - positive, positive };
}
