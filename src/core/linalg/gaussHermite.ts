// Gauss–Hermite quadrature for expectations over the standard normal: the rule behind the
// Gaussian smoothing of slices (analysis/smoothing) and continuation training (optim).
import { tridiagonalEigenvalues } from './eigenvalues';

/** Nodes and weights of E[f(ε)], ε ~ N(0, 1): Σ weights[i]·f(nodes[i]). */
export interface QuadratureRule {
  nodes: Float64Array;
  weights: Float64Array;
}

/**
 * The n-point Gauss–Hermite rule for the standard normal (probabilists' Hermite weight
 * e^(−x²/2)/√(2π)), by Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix with
 * off-diagonal √k, and each weight is 1/Σₖ pₖ(x)² over the orthonormal Hermite polynomials
 * (the Christoffel function), which needs no eigenvectors and sums to 1 to rounding.
 */
export function gaussHermite(n: number): QuadratureRule {
  const nodes = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  for (let k = 1; k < n; k++) offDiagonal[k - 1] = Math.sqrt(k);
  tridiagonalEigenvalues(nodes, offDiagonal);
  nodes.sort();
  const weights = nodes.map((x) => {
    // p₀ = 1, p₁ = x, p_{k+1} = (x·pₖ − √k·p_{k−1})/√(k + 1): orthonormal under N(0, 1).
    let previous = 0;
    let current = 1;
    let sum = 1;
    for (let k = 0; k < n - 1; k++) {
      const next = (x * current - Math.sqrt(k) * previous) / Math.sqrt(k + 1);
      previous = current;
      current = next;
      sum += current * current;
    }
    return 1 / sum;
  });
  // Symmetric by construction: average the mirrored pairs so that odd moments vanish exactly.
  for (let i = 0; i < n >> 1; i++) {
    const j = n - 1 - i;
    const node = (nodes[j] - nodes[i]) / 2;
    const weight = (weights[i] + weights[j]) / 2;
    [nodes[i], nodes[j], weights[i], weights[j]] = [-node, node, weight, weight];
  }
  if (n % 2 === 1) nodes[n >> 1] = 0;
  return { nodes, weights };
}

/** Nodes per axis: exact for polynomials of degree up to 39 in each parameter. */
export const EXACT_NODES = 20;

/** Nodes as p-vectors (offsets) with their weights. */
export interface TensorRule {
  offsets: Float64Array[];
  weights: number[];
}

/**
 * The tensor-product rule in p = 1 or 2 dimensions: E[f(ε)], ε ~ N(0, I_p), as Σ weights[k]·
 * f(offsets[k]) over n or n² nodes.
 */
export function tensorRule(rule: QuadratureRule, p: number): TensorRule {
  if (p < 1 || p > 2) throw new Error(`a tensor rule here is for one or two dimensions, not ${p}`);
  const { nodes, weights } = rule;
  const n = nodes.length;
  const offsets: Float64Array[] = [];
  const products: number[] = [];
  for (let k = 0; k < (p === 1 ? n : n * n); k++) {
    const [i, j] = [k % n, Math.floor(k / n)];
    offsets.push(p === 1 ? Float64Array.of(nodes[i]) : Float64Array.of(nodes[i], nodes[j]));
    products.push(p === 1 ? weights[i] : weights[i] * weights[j]);
  }
  return { offsets, weights: products };
}
