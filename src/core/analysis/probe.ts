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
 * `nullVectors`: unit eigenvectors of the zero eigenvalues. A cubic or quartic form can be
 * negative only in a narrow cone of the null space, so besides the eigenvectors we screen
 * many random unit combinations at one step (one loss evaluation each), hill-climb the most
 * promising on the null-space sphere, and verify the best candidates with the order test.
 */
export function probeNullSpace(
  objective: Objective,
  theta: Float64Array,
  nullVectors: Float64Array[],
  evidence: { loss: number; gradientNorm: number; zeroTolerance: number },
): ProbeResult {
  const p = theta.length;
  const k = nullVectors.length;
  const random = new Random(0xbeef);
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
  const combine = (coefficients: number[]) => {
    const u = new Float64Array(p);
    coefficients.forEach((c, j) => {
      for (let i = 0; i < p; i++) u[i] += c * nullVectors[j][i];
    });
    const length = Math.sqrt(u.reduce((sum, x) => sum + x * x, 0));
    return { u: u.map((x) => x / length), coefficients: coefficients.map((c) => c / length) };
  };

  // Candidates: ± each eigenvector, then random combinations (budget scaled to the model's cost).
  const candidates: { u: Float64Array; coefficients: number[] }[] = [];
  nullVectors.forEach((_, j) => {
    for (const sign of [1, -1])
      candidates.push(combine(nullVectors.map((__, i) => (i === j ? sign : 0))));
  });
  const randomCount =
    k > 1
      ? Math.min(
          512,
          64 + 16 * k,
          Math.max(16, Math.floor(2e9 / Math.max(1, objective.samples * p))),
        )
      : 0;
  for (let r = 0; r < randomCount; r++)
    candidates.push(combine(nullVectors.map(() => random.normal())));
  const screen = STEPS[1];
  const scored = candidates
    .map((c) => ({ ...c, drop: lossAt(c.u, screen) }))
    .sort((a, b) => a.drop - b.drop);

  // Hill-climb the best on the sphere: accept random rotations that lower L(θ + t·u).
  if (k > 1 && scored.length > 0) {
    let best = scored[0];
    let spread = 0.5;
    for (let step = 0; step < 200; step++) {
      const trial = combine(best.coefficients.map((c) => c + spread * random.normal()));
      const drop = lossAt(trial.u, screen);
      if (drop < best.drop) best = { ...trial, drop };
      else spread *= 0.98;
    }
    scored.unshift(best);
  }

  for (const { u } of scored.slice(0, 16)) {
    for (let s = 0; s + 1 < STEPS.length; s++) {
      const t = STEPS[s];
      const dropT = lossAt(u, t);
      const dropHalf = lossAt(u, t / 2);
      if (!(dropT < -10 * explained(t) && dropHalf < -10 * explained(t / 2))) continue;
      const ratio = Math.log2(dropT / dropHalf);
      const order = Math.abs(ratio - 3) < 0.5 ? 3 : Math.abs(ratio - 4) < 0.5 ? 4 : null;
      if (order) return { descent: { order, t, drop: dropT }, directions: candidates.length };
    }
  }
  return { descent: null, directions: candidates.length };
}
