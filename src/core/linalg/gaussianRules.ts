// The weighted nodes of a Gaussian expectation E[f(θ + σε)], ε ~ N(0, I_P), as the smoothed
// slices and continuation training sum it: the tensor Gauss–Hermite rule for one or two
// parameters (exact for polynomials), or seeded normal draws with equal weights.
import type { SmoothingMethod } from '../../protocol/result';
import { Random } from '../rng';
import { EXACT_NODES, gaussHermite, tensorRule, type TensorRule } from './gaussHermite';

/** The weighted nodes of a smoothing, and whether they are a quadrature or random draws. */
export interface SmoothingRule extends TensorRule {
  method: SmoothingMethod;
}

/** The Gauss–Hermite tensor rule over a model's one or two parameters. */
export function exactRule(p: number, nodes = EXACT_NODES): SmoothingRule {
  return { method: 'quadrature', ...tensorRule(gaussHermite(nodes), p) };
}

/** The Monte Carlo rule: each perturbation with weight 1/m. */
export function monteCarloRule(perturbations: Float64Array[]): SmoothingRule {
  const weight = 1 / perturbations.length;
  return {
    method: 'monte-carlo',
    offsets: perturbations,
    weights: perturbations.map(() => weight),
  };
}

/** `count` draws of ε ~ N(0, I_P) from `seed`, in the order the generator gives them. */
export function normalDraws(seed: number, p: number, count: number): Float64Array[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () =>
    Float64Array.from({ length: p }, () => random.normal()),
  );
}
