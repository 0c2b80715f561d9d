// Extreme eigenvalues of a symmetric operator known only through products H·v (Lanczos
// with full reorthogonalization, which keeps the Ritz values free of spurious copies).
import { deriveSeed, Random } from '../rng';
import { symmetricEigen } from './eigen';
import { divided, dot, NonFiniteMatrixError, norm, reorthogonalize } from './vector';

export interface LanczosResult {
  /** Converged Ritz values at both ends, ascending. */
  values: number[];
  /** Residual bound |β·s| of each value, same order. */
  residuals: number[];
  iterations: number;
  /** The unit Ritz vector of values[k] (computed on request). */
  vectors(k: number): Float64Array;
  /** The Krylov basis and tridiagonal it stopped with, for a caller that goes on from there. */
  run: LanczosRun;
}

/**
 * Lanczos with full reorthogonalization (which keeps the Ritz values free of spurious
 * copies), one step at a time: H·q, its coefficient, q's successor. The callers decide when
 * to stop: the extremes when their Ritz values converge, the density when it settles.
 */
export class LanczosRun {
  readonly basis: Float64Array[] = [];
  /** The tridiagonal's diagonal, one entry per step. */
  readonly alpha: number[] = [];
  /**
   * ‖w‖ after each step: beta[k] couples basis vectors k and k + 1, and the last one is the
   * residual norm of the tridiagonal taken so far.
   */
  readonly beta: number[] = [];
  private next: Float64Array | null;
  private readonly w: Float64Array;

  /** `start` must have unit length. */
  constructor(
    private readonly multiply: (v: Float64Array, out: Float64Array) => void,
    start: Float64Array,
  ) {
    this.next = start;
    this.w = new Float64Array(start.length);
  }

  get steps(): number {
    return this.alpha.length;
  }

  /** False once the Krylov space is exhausted (‖w‖ = 0): no further step is possible. */
  get canStep(): boolean {
    return this.next !== null;
  }

  /** One step. Throws NonFiniteMatrixError when a product H·v is not finite. */
  step(): void {
    const q = this.next;
    if (!q) throw new Error('the Krylov space is exhausted');
    const w = this.w;
    this.basis.push(q);
    this.multiply(q, w);
    const a = dot(w, q);
    reorthogonalize(w, this.basis);
    const b = norm(w);
    // An operator that overflows gives no eigenvalues: say so rather than iterate on NaN.
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new NonFiniteMatrixError();
    this.alpha.push(a);
    this.beta.push(b);
    this.next = b > 0 ? divided(w, b) : null;
  }
}

/** Lanczos steps between two looks at the Ritz values. */
const RITZ_INTERVAL = 5;

/** A unit vector, (±1, …, ±1)/√n with random signs: Rademacher probe `index` of `seed`. */
export function rademacherStart(n: number, seed: number, index: number): Float64Array {
  const random = new Random(deriveSeed(seed, index));
  const start = new Float64Array(n);
  const entry = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++) start[i] = random.uniform(0, 1) < 0.5 ? -entry : entry;
  return start;
}

/** Throws NonFiniteMatrixError when a product H·v is not finite. */
export function lanczosExtremes(
  multiply: (v: Float64Array, out: Float64Array) => void,
  n: number,
  options: {
    count?: number;
    maxIterations?: number;
    seed?: number;
    /** The unit start vector (default: a normalized Gaussian vector of `seed`). */
    start?: Float64Array;
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
  const run = new LanczosRun(multiply, options.start ?? gaussianStart(n, options.seed ?? 12345));
  let ritz: { values: number[]; residuals: number[]; vectors: Float64Array } = {
    values: [],
    residuals: [],
    vectors: new Float64Array(0),
  };
  for (let k = 0; k < maxIterations; k++) {
    run.step();
    const b = run.beta[k];
    // The Ritz values cost O(k³): look at them every few steps, and at the end.
    const last = b < 1e-14 || k + 1 === maxIterations;
    if (last || (k + 1 >= 2 * count && (k + 1) % RITZ_INTERVAL === 0)) {
      ritz = tridiagonalRitz(run.alpha, run.beta.slice(0, k), b);
      const converged = extremes(ritz, count).every(
        (i) => ritz.residuals[i] <= tolerance * Math.max(1, Math.abs(ritz.values[i])),
      );
      if (last || converged || options.enough?.(ritz.values, ritz.residuals)) break;
    }
  }
  const keep = extremes(ritz, count);
  return {
    values: keep.map((i) => ritz.values[i]),
    residuals: keep.map((i) => ritz.residuals[i]),
    iterations: run.steps,
    vectors: (k: number) => ritzVector(run.basis, ritz.vectors, keep[k]),
    run,
  };
}

/** A normalized vector of standard normals. */
function gaussianStart(n: number, seed: number): Float64Array {
  const random = new Random(seed);
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = random.normal();
  const inverseLength = 1 / norm(q);
  for (let i = 0; i < n; i++) q[i] *= inverseLength;
  return q;
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
