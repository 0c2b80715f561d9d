// A loss whose infimum lies at infinity: cross-entropy on separable data, or saturating
// units that fit their targets better the larger the weights. Training drives the loss and
// the gradient towards 0 as ‖θ‖ grows, so a small gradient there is not a critical point —
// there is none to judge. The evidence is the loss along the ray through θ: it keeps
// falling as θ is scaled up, far beyond where any finite minimum could be hiding.
import type { Objective } from '../model/objective';

/** Multiples of θ at which the loss is evaluated, from 1 to 1024 ‖θ‖. */
export const RAY_SCALES = [1, 1.1, 1.5, 2, 4, 8, 16, 64, 256, 1024];

export interface RayEvidence {
  scales: number[];
  losses: number[];
}

/**
 * The losses L(sθ) for s in RAY_SCALES when they never rise and fall for good — below half
 * of L(θ) when the loss is positive — so that the loss keeps falling as ‖θ‖ grows; null
 * otherwise. Stops at the first rise: at a minimum that costs one loss evaluation.
 */
export function divergingAlongRay(
  objective: Objective,
  theta: Float64Array,
  lossScale: number,
): RayEvidence | null {
  let squares = 0;
  for (let i = 0; i < theta.length; i++) squares += theta[i] * theta[i];
  if (!(squares > 0)) return null;
  const scaled = new Float64Array(theta.length);
  const losses: number[] = [];
  for (const s of RAY_SCALES) {
    for (let i = 0; i < theta.length; i++) scaled[i] = s * theta[i];
    const loss = objective.loss(scaled);
    if (!Number.isFinite(loss)) return null;
    const previous = losses.at(-1);
    // Falling at θ itself, then never rising.
    if (previous !== undefined && (loss > previous || (losses.length === 1 && loss >= previous)))
      return null;
    losses.push(loss);
  }
  const [first, last] = [losses[0], losses[losses.length - 1]];
  const fellForGood =
    first > 0 ? last <= 0.5 * first : first - last > 1e-9 * Math.max(lossScale, Math.abs(first));
  return fellForGood ? { scales: [...RAY_SCALES], losses } : null;
}
