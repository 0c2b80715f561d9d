// Beyond the Hessian: along directions of zero curvature, the loss's third and fourth order
// decide. We probe L(θ ± t·u) directly; a decrease that beats the first- and second-order
// terms and scales like t³ or t⁴ between t and t/2 proves a descent direction, hence a
// saddle, even though no eigenvalue is negative.
import { Random } from '../rng';
import type { Objective } from '../model/objective';

export interface ProbeResult {
  /** A verified descent along a zero-curvature direction, if any. */
  descent: { order: 3 | 4; t: number; drop: number } | null;
  /** Directions probed. */
  directions: number;
}

const STEPS = [0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625];

/**
 * `nullVectors`: unit eigenvectors of the zero eigenvalues. Each is probed, and so are up to
 * 2·k random unit combinations of them (a cubic form can vanish on the axes only).
 */
export function probeNullSpace(
  objective: Objective,
  theta: Float64Array,
  nullVectors: Float64Array[],
  evidence: { loss: number; gradientNorm: number; zeroTolerance: number },
): ProbeResult {
  const p = theta.length;
  const random = new Random(0xbeef);
  const directions = [...nullVectors];
  const extra = Math.min(2 * nullVectors.length, 32);
  for (let r = 0; r < extra && nullVectors.length > 1; r++) {
    const mix = new Float64Array(p);
    for (const v of nullVectors) {
      const c = random.normal();
      for (let i = 0; i < p; i++) mix[i] += c * v[i];
    }
    const length = Math.hypot(...mix);
    if (length > 0) directions.push(mix.map((x) => x / length));
  }
  const probe = new Float64Array(p);
  const lossAt = (u: Float64Array, t: number) => {
    for (let i = 0; i < p; i++) probe[i] = theta[i] + t * u[i];
    return objective.loss(probe) - evidence.loss;
  };
  // What the first two orders and rounding could explain at step t.
  const explained = (t: number) =>
    t * evidence.gradientNorm +
    0.5 * t * t * evidence.zeroTolerance +
    1e-13 * Math.max(1, Math.abs(evidence.loss));

  for (const u of directions) {
    for (const sign of [1, -1]) {
      const d = sign === 1 ? u : u.map((x) => -x);
      for (let k = 0; k + 1 < STEPS.length; k++) {
        const t = STEPS[k];
        const dropT = lossAt(d, t);
        const dropHalf = lossAt(d, t / 2);
        if (!(dropT < -10 * explained(t) && dropHalf < -10 * explained(t / 2))) continue;
        const ratio = dropT / dropHalf;
        const order =
          Math.abs(Math.log2(ratio) - 3) < 0.5
            ? 3
            : Math.abs(Math.log2(ratio) - 4) < 0.5
              ? 4
              : null;
        if (order) return { descent: { order, t, drop: dropT }, directions: directions.length };
      }
    }
  }
  return { descent: null, directions: directions.length };
}
