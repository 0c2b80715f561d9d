import assert from 'node:assert/strict';
import { formulaObjective } from '../../helpers/formula';
import { refineToCriticalPoint } from '../../../src/core/analysis/refine';
import { minres } from '../../../src/core/linalg/minres';
import type { Objective } from '../../../src/core/model/objective';

/** A hand-made objective from a formula for L, ∇L and H (no data). */
function customObjective(
  parameterCount: number,
  loss: (t: Float64Array) => number,
  gradient: (t: Float64Array) => number[],
  hessian: (t: Float64Array) => number[][],
): Objective {
  return {
    parameterCount,
    samples: 1,
    parameterNames: Array.from({ length: parameterCount }, (_, i) => `w${i}`),
    loss,
    lossAndGradient(theta, out) {
      out.set(gradient(theta));
      return loss(theta);
    },
    batchLossAndGradient(theta, _rows, out) {
      out.set(gradient(theta));
      return loss(theta);
    },
    hessianVectorProduct(theta, v, out) {
      const h = hessian(theta);
      out.set(h.map((row) => row.reduce((s, x, j) => s + x * v[j], 0)));
    },
    hessian: (theta) => Float64Array.from(hessian(theta).flat()),
  };
}

describe('MINRES', () => {
  it('solves an indefinite system exactly: [[2, 1], [1, −3]]·x = [3, −2] has x = [1, 1]', () => {
    const a = [
      [2, 1],
      [1, -3],
    ];
    const result = minres(
      (v, out) => out.set(a.map((row) => row[0] * v[0] + row[1] * v[1])),
      Float64Array.of(3, -2),
    );
    assert.ok(
      Math.abs(result.x[0] - 1) < 1e-12 && Math.abs(result.x[1] - 1) < 1e-12,
      `${result.x}`,
    );
  });

  it('returns the least-squares solution of a singular system: diag(2, 0)·x = [4, 1] gives x₁ = 2', () => {
    const result = minres((v, out) => out.set([2 * v[0], 0]), Float64Array.of(4, 1));
    assert.ok(Math.abs(result.x[0] - 2) < 1e-12);
    assert.ok(Math.abs(result.residualNorm - 1) < 1e-12, 'the part of b outside the range remains');
  });
});

describe('refinement to the nearby critical point (Newton-MR)', () => {
  const objective = formulaObjective('w^2', ['w']); // L = (1 − w²)²
  const tolerance = { gradientTolerance: 1e-12 };

  it('(1 − w²)² from w = 0.9 reaches the minimum w = 1', () => {
    const result = refineToCriticalPoint(objective, Float64Array.of(0.9), tolerance);
    assert.equal(result.status, 'converged');
    assert.ok(Math.abs(result.theta[0] - 1) < 1e-12);
    assert.ok(Math.abs(result.distance - 0.1) < 1e-12);
    assert.equal(result.lossBefore, (1 - 0.81) ** 2);
    assert.ok(result.lossAfter < 1e-24);
  });

  it('(1 − w²)² from w = 0.1 reaches the maximum w = 0: Newton-MR converges to any critical point', () => {
    const result = refineToCriticalPoint(objective, Float64Array.of(0.1), tolerance);
    assert.equal(result.status, 'converged');
    assert.ok(Math.abs(result.theta[0]) < 1e-12);
  });

  it('a saddle of L = x² − y² is reached in one Newton step', () => {
    const saddle = customObjective(
      2,
      (t) => t[0] ** 2 - t[1] ** 2,
      (t) => [2 * t[0], -2 * t[1]],
      () => [
        [2, 0],
        [0, -2],
      ],
    );
    const result = refineToCriticalPoint(saddle, Float64Array.of(0.3, -0.2), tolerance);
    assert.equal(result.status, 'converged');
    assert.equal(result.iterations, 1);
    assert.ok(Math.hypot(result.theta[0], result.theta[1]) < 1e-15);
  });

  it('reports a gradient-flat point instead of a critical one: L = w + w³/3 at w = 0 has ∇L = 1, H·∇L = 0', () => {
    const flat = customObjective(
      1,
      (t) => t[0] + t[0] ** 3 / 3,
      (t) => [1 + t[0] ** 2],
      (t) => [[2 * t[0]]],
    );
    const result = refineToCriticalPoint(flat, Float64Array.of(0.4), tolerance);
    assert.equal(result.status, 'gradient-flat');
    assert.ok(
      Math.abs(result.theta[0]) < 1e-3,
      `ends near the gradient-flat point 0: ${result.theta[0]}`,
    );
    assert.ok(result.gradientNormAfter >= 1, '‖∇L‖ ≥ 1 everywhere: never critical');
  });
});
