// Extreme eigenvalues of a symmetric operator known only through products H·v (Lanczos
// with full reorthogonalization, which keeps the Ritz values free of spurious copies).
import { Random } from '../rng';
import { symmetricEigen } from './eigen';
import { dot, NonFiniteMatrixError, norm } from './vector';

export interface LanczosResult {
  /** Converged Ritz values at both ends, ascending. */
  values: number[];
  /** Residual bound |β·s| of each value, same order. */
  residuals: number[];
  iterations: number;
  /** The unit Ritz vector of values[k] (computed on request). */
  vectors(k: number): Float64Array;
}

/** Lanczos steps between two looks at the Ritz values. */
const RITZ_INTERVAL = 5;

/** Throws NonFiniteMatrixError when a product H·v is not finite. */
export function lanczosExtremes(
  multiply: (v: Float64Array, out: Float64Array) => void,
  n: number,
  options: {
    count?: number;
    maxIterations?: number;
    seed?: number;
    tolerance?: number;
    /**
     * Called with the ascending Ritz values and their residual bounds whenever they are
     * computed; true stops the iteration (the caller knows enough).
     */
    enough?: (values: number[], residuals: number[]) => boolean;
  } = {},
): LanczosResult {
  const count = options.count ?? 5;
  const maxIterations = Math.min(n, options.maxIterations ?? Math.max(60, 4 * count));
  const tolerance = options.tolerance ?? 1e-8;
  const random = new Random(options.seed ?? 12345);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = Float64Array.from({ length: n }, () => random.normal());
  scale(q, 1 / norm(q));
  const w = new Float64Array(n);
  let ritz: { values: number[]; residuals: number[]; vectors: Float64Array } = {
    values: [],
    residuals: [],
    vectors: new Float64Array(0),
  };
  for (let k = 0; k < maxIterations; k++) {
    basis.push(q);
    multiply(q, w);
    const a = dot(w, q);
    alpha.push(a);
    // Full reorthogonalization (twice is enough, Kahan–Parlett).
    for (let pass = 0; pass < 2; pass++) for (const b of basis) axpy(-dot(w, b), b, w);
    const b = norm(w);
    // An operator that overflows gives no eigenvalues: say so rather than iterate on NaN.
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new NonFiniteMatrixError();
    // The Ritz values cost O(k³): look at them every few steps, and at the end.
    const last = b < 1e-14 || k + 1 === maxIterations;
    if (last || (k + 1 >= 2 * count && (k + 1) % RITZ_INTERVAL === 0)) {
      ritz = tridiagonalRitz(alpha, beta, b);
      const converged = extremes(ritz, count).every(
        (i) => ritz.residuals[i] <= tolerance * Math.max(1, Math.abs(ritz.values[i])),
      );
      if (last || converged || options.enough?.(ritz.values, ritz.residuals)) break;
    }
    beta.push(b);
    q = Float64Array.from(w, (x) => x / b);
  }
  const keep = extremes(ritz, count);
  return {
    values: keep.map((i) => ritz.values[i]),
    residuals: keep.map((i) => ritz.residuals[i]),
    iterations: alpha.length,
    vectors: (k: number) => ritzVector(basis, ritz.vectors, keep[k]),
  };
}

/** Ritz vector: the Lanczos basis combined by column `column` of T's eigenvectors. */
function ritzVector(basis: Float64Array[], tVectors: Float64Array, column: number): Float64Array {
  const m = basis.length;
  const out = new Float64Array(basis[0].length);
  for (let j = 0; j < m; j++) {
    const weight = tVectors[j * m + column];
    for (let i = 0; i < out.length; i++) out[i] += weight * basis[j][i];
  }
  return out;
}

/** Indices of the `count` smallest and `count` largest values, ascending, without repeats. */
function extremes(ritz: { values: number[] }, count: number): number[] {
  const n = ritz.values.length;
  const indices = new Set<number>();
  for (let i = 0; i < Math.min(count, n); i++) {
    indices.add(i);
    indices.add(n - 1 - i);
  }
  return [...indices].sort((a, b) => a - b);
}

function tridiagonalRitz(
  alpha: number[],
  beta: number[],
  nextBeta: number,
): { values: number[]; residuals: number[]; vectors: Float64Array } {
  const m = alpha.length;
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    t[i * m + i] = alpha[i];
    if (i + 1 < m) {
      t[i * m + i + 1] = beta[i];
      t[(i + 1) * m + i] = beta[i];
    }
  }
  const { values, vectors } = symmetricEigen(t, m);
  // Residual of Ritz pair k: |β_m · (last component of eigenvector k)|
  const residuals = Array.from(values, (_, k) => Math.abs(nextBeta * vectors[(m - 1) * m + k]));
  return { values: Array.from(values), residuals, vectors };
}

function scale(a: Float64Array, factor: number): void {
  for (let i = 0; i < a.length; i++) a[i] *= factor;
}
function axpy(factor: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += factor * x[i];
}
