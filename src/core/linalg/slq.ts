// The spectral density of a Hessian too large to decompose, by stochastic Lanczos quadrature
// (Ubaru, Chen & Saad 2017; as PyHessian draws it, Yao et al. 2020): for each Rademacher
// probe v, k Lanczos steps from v/‖v‖ give a tridiagonal T whose eigenvalues θᵢ are the nodes
// and the squared first components of its eigenvectors the weights of a Gauss quadrature of
// the spectral measure vᵀδ(H − t)v. Averaged over probes, and broadened by Gaussians, that
// estimates the eigenvalue density (1/P) Σ δ(t − λⱼ).
import { Random } from '../rng';
import { symmetricEigen } from './eigen';
import { dot, NonFiniteMatrixError, norm } from './vector';

export interface SlqOptions {
  probes: number;
  /** Lanczos steps per probe (at most P). */
  iterations: number;
  seed: number;
}

/** Quadrature nodes and weights of all probes, the weights summing to 1. */
export interface SpectralQuadrature {
  nodes: number[];
  weights: number[];
  iterations: number;
}

/** Throws NonFiniteMatrixError when a product H·v is not finite. */
export function stochasticLanczosQuadrature(
  multiply: (v: Float64Array, out: Float64Array) => void,
  n: number,
  options: SlqOptions,
): SpectralQuadrature {
  const random = new Random(options.seed);
  const steps = Math.max(1, Math.min(n, options.iterations));
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let probe = 0; probe < options.probes; probe++) {
    const start = Float64Array.from({ length: n }, () => (random.uniform(0, 1) < 0.5 ? -1 : 1));
    const { alpha, beta } = lanczosTridiagonal(multiply, start, steps);
    const k = alpha.length;
    const t = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      t[i * k + i] = alpha[i];
      if (i + 1 < k) t[i * k + i + 1] = t[(i + 1) * k + i] = beta[i];
    }
    const { values, vectors } = symmetricEigen(t, k);
    for (let i = 0; i < k; i++) {
      nodes.push(values[i]);
      // vectors holds eigenvector i in column i: its first component is vectors[i].
      weights.push(vectors[i] ** 2 / options.probes);
    }
  }
  return { nodes, weights, iterations: steps };
}

/**
 * The tridiagonal of `steps` Lanczos steps from `start` (normalized here), with full
 * reorthogonalization, stopping early when the Krylov space is exhausted.
 */
function lanczosTridiagonal(
  multiply: (v: Float64Array, out: Float64Array) => void,
  start: Float64Array,
  steps: number,
): { alpha: number[]; beta: number[] } {
  const n = start.length;
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  const length = norm(start);
  let q = start.map((v) => v / length);
  const w = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    basis.push(q);
    multiply(q, w);
    const a = dot(w, q);
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) {
        const c = dot(w, b);
        for (let i = 0; i < n; i++) w[i] -= c * b[i];
      }
    const b = norm(w);
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new NonFiniteMatrixError();
    alpha.push(a);
    if (k + 1 === steps || b <= 1e-12 * Math.max(1, Math.abs(a))) break;
    beta.push(b);
    q = w.map((v) => v / b);
  }
  return { alpha, beta: beta.slice(0, alpha.length - 1) };
}

/**
 * Σᵢ wᵢ · N(t; nodeᵢ, σ²) at each t of the grid: the quadrature broadened into a density
 * (it integrates to Σ wᵢ, 1, over a grid wide enough).
 */
export function broadenedDensity(
  nodes: number[],
  weights: number[],
  sigma: number,
  grid: number[],
): number[] {
  const norming = 1 / (sigma * Math.sqrt(2 * Math.PI));
  return grid.map((t) => {
    let sum = 0;
    for (let i = 0; i < nodes.length; i++) {
      const z = (t - nodes[i]) / sigma;
      if (Math.abs(z) < 8) sum += weights[i] * Math.exp(-0.5 * z * z);
    }
    return sum * norming;
  });
}

/** ∫ |f − g| dt on an evenly spaced grid (trapezoids): 0 for equal densities, at most 2. */
export function densityDistance(grid: number[], f: number[], g: number[]): number {
  let sum = 0;
  for (let i = 1; i < grid.length; i++)
    sum += 0.5 * (grid[i] - grid[i - 1]) * (Math.abs(f[i] - g[i]) + Math.abs(f[i - 1] - g[i - 1]));
  return sum;
}
