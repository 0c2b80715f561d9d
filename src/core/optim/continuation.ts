// Continuation training (Mobahi 2016's homotopy): a run first descends the loss smoothed by
// a Gaussian, L_σ(θ) = E[L(θ + σε)], with σ stepping down from σ₀ to 0, then the loss itself.
// Its gradient, E[∇L(θ + σε)], is a weighted sum over a fixed set of perturbations drawn from
// the run's seed, so a run is as deterministic as any other.
import {
  exactRule,
  monteCarloRule,
  normalDraws,
  type SmoothingRule,
} from '../linalg/gaussianRules';
import type { Objective } from '../model/objective';

/** Random perturbations per smoothed step of a model of more than two parameters. */
export const CONTINUATION_SAMPLES = 16;

/** σ at each epoch: k equal smoothed stages σ₀(k − s)/k, s = 0 … k − 1, then 0. */
export interface ContinuationSchedule {
  sigmaAt(epoch: number): number;
  /** The first epoch of the plain stage (the stop rules apply from there). */
  plainFrom: number;
}

export function continuationSchedule(
  continuation: { from: number; steps: number },
  epochs: number,
): ContinuationSchedule {
  const { from, steps } = continuation;
  const stageLength = Math.max(1, Math.floor(epochs / (steps + 1)));
  return {
    sigmaAt(epoch) {
      const stage = Math.floor(epoch / stageLength);
      return stage >= steps ? 0 : (from * (steps - stage)) / steps;
    },
    plainFrom: steps * stageLength,
  };
}

/**
 * E[∇L(θ + σε)] by a fixed rule: the tensor Gauss–Hermite nodes for one or two parameters
 * (exact for polynomial losses), CONTINUATION_SAMPLES normal draws from `seed` otherwise.
 */
export class SmoothedGradient {
  private readonly rule: SmoothingRule;
  private readonly point: Float64Array;
  private readonly gradient: Float64Array;

  constructor(
    private readonly objective: Objective,
    seed: number,
  ) {
    const p = objective.parameterCount;
    this.rule = p <= 2 ? exactRule(p) : monteCarloRule(normalDraws(seed, p, CONTINUATION_SAMPLES));
    this.point = new Float64Array(p);
    this.gradient = new Float64Array(p);
  }

  /** Writes ∇L_σ(θ) (on the rows given, or all) into `out`; returns the L_σ of the same rule. */
  at(theta: Float64Array, sigma: number, out: Float64Array, rows: Uint32Array | null): number {
    const { point, gradient, objective } = this;
    out.fill(0);
    let loss = 0;
    const { offsets, weights } = this.rule;
    offsets.forEach((epsilon, m) => {
      for (let i = 0; i < point.length; i++) point[i] = theta[i] + sigma * epsilon[i];
      const value = rows
        ? objective.batchLossAndGradient(point, rows, gradient)
        : objective.lossAndGradient(point, gradient);
      const weight = weights[m];
      loss += weight * value;
      for (let i = 0; i < out.length; i++) out[i] += weight * gradient[i];
    });
    return loss;
  }
}
