// Finite-difference references and comparisons for the derivative tests.
import assert from 'node:assert/strict';
import type { Objective } from '../../src/core/model/objective';

/** Central-difference gradient: (L(θ + h·eᵢ) − L(θ − h·eᵢ)) / 2h. */
export function finiteDifferenceGradient(
  objective: Objective,
  theta: Float64Array,
  h = 1e-6,
): Float64Array {
  const gradient = new Float64Array(theta.length);
  const probe = Float64Array.from(theta);
  for (let i = 0; i < theta.length; i++) {
    probe[i] = theta[i] + h;
    const plus = objective.loss(probe);
    probe[i] = theta[i] - h;
    const minus = objective.loss(probe);
    probe[i] = theta[i];
    gradient[i] = (plus - minus) / (2 * h);
  }
  return gradient;
}

/** Central difference of the exact gradient along v: (∇L(θ + h·v) − ∇L(θ − h·v)) / 2h. */
export function finiteDifferenceHvp(
  objective: Objective,
  theta: Float64Array,
  v: Float64Array,
  h = 1e-6,
): Float64Array {
  const plus = new Float64Array(theta.length);
  const minus = new Float64Array(theta.length);
  const probe = new Float64Array(theta.length);
  for (let i = 0; i < theta.length; i++) probe[i] = theta[i] + h * v[i];
  objective.lossAndGradient(probe, plus);
  for (let i = 0; i < theta.length; i++) probe[i] = theta[i] - h * v[i];
  objective.lossAndGradient(probe, minus);
  return plus.map((value, i) => (value - minus[i]) / (2 * h));
}

/** max |a − b| ≤ tolerance · max(1, max |b|) */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  label = '',
): void {
  assert.equal(actual.length, expected.length, `${label}: lengths differ`);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(
      error <= tolerance * scale,
      `${label}[${i}]: ${actual[i]} vs ${expected[i]} (error ${error.toExponential(2)}, allowed ${(tolerance * scale).toExponential(2)})`,
    );
  }
}
