// The Gaussian smoothing L_σ(θ) = E[L(θ + σε)] by Gauss–Hermite quadrature, against the
// closed forms of the seed's (1 − w²)² (issue: homotopy), and the rule against the moments of
// the normal distribution.
import assert from 'node:assert/strict';
import { formulaObjective } from '../../helpers/formula';
import { gaussHermite } from '../../../src/core/linalg/gaussHermite';
import {
  monteCarloCurve,
  seededPerturbations,
  smoothedCriticalPoints,
  smoothedCurves,
  smoothedPoint,
} from '../../../src/core/analysis/smoothing';

describe('Gaussian smoothing by Gauss–Hermite quadrature', () => {
  it('the rule integrates the normal moments E[ε^2k] = (2k − 1)!! exactly up to degree 2n − 1', () => {
    const rule = gaussHermite(10);
    const moment = (k: number) =>
      rule.nodes.reduce((sum, x, i) => sum + rule.weights[i] * x ** k, 0);
    // Rounding is relative to the terms summed (odd moments cancel terms of up to 3e3).
    const size = (k: number) =>
      rule.nodes.reduce((sum, x, i) => sum + rule.weights[i] * Math.abs(x) ** k, 0);
    const doubleFactorial = (m: number): number => (m <= 1 ? 1 : m * doubleFactorial(m - 2));
    for (let k = 0; k <= 19; k++) {
      const exact = k % 2 === 1 ? 0 : doubleFactorial(k - 1);
      assert.ok(Math.abs(moment(k) - exact) <= 1e-13 * size(k), `E[ε^${k}]`);
    }
    // Degree 20 is beyond the rule: it misses E[ε²⁰] = 19!! = 654,729,075.
    assert.ok(Math.abs(moment(20) - doubleFactorial(19)) > 1);
  });

  // (1 − w²)² smoothed: L_σ(w) = w⁴ + (6σ² − 2)w² + 3σ⁴ − 2σ² + 1, dL_σ/dw = 4w(w² − 1 + 3σ²).
  const seed = formulaObjective('w^2', ['w']);
  const closedForm = (w: number, s: number) =>
    w ** 4 + (6 * s * s - 2) * w * w + 3 * s ** 4 - 2 * s * s + 1;

  it('(1 − w²)²: equal to the closed form to 1e-12 at every grid point, σ ∈ {0.3, 0.5, 0.6, 1}', () => {
    for (const sigma of [0.3, 0.5, 0.6, 1])
      for (let k = 0; k <= 40; k++) {
        const w = -2 + k * 0.1;
        const { loss, gradient, hessian } = smoothedPoint(seed, Float64Array.of(w), sigma);
        const exact = closedForm(w, sigma);
        assert.ok(Math.abs(loss - exact) <= 1e-12 * Math.max(1, exact), `σ ${sigma}, w ${w}`);
        assert.ok(Math.abs(gradient[0] - 4 * w * (w * w - 1 + 3 * sigma * sigma)) <= 1e-12 * 40);
        assert.ok(Math.abs(hessian[0] - (12 * w * w - 4 + 12 * sigma * sigma)) <= 1e-12 * 60);
      }
  });

  it('(1 − w²)²: two minima at ±√(1 − 3σ²) below σ = 1/√3, one at 0 above, to 1e-10', () => {
    const ts = Array.from({ length: 41 }, (_, k) => -2 + k * 0.1);
    for (const sigma of [0.3, 0.5, 0.55, 0.6, 1]) {
      const points = smoothedCriticalPoints(
        seed,
        Float64Array.of(0),
        Float64Array.of(1),
        ts,
        sigma,
      );
      const minima = points.filter((p) => p.kind === 'minimum').map((p) => p.t);
      if (sigma < 1 / Math.sqrt(3)) {
        const w = Math.sqrt(1 - 3 * sigma * sigma);
        assert.equal(minima.length, 2, `σ ${sigma}: two minima`);
        assert.ok(Math.abs(minima[0] + w) < 1e-10 && Math.abs(minima[1] - w) < 1e-10);
        // And the maximum between them, at 0.
        const maxima = points.filter((p) => p.kind === 'maximum');
        assert.equal(maxima.length, 1);
        assert.ok(Math.abs(maxima[0].t) < 1e-10);
      } else {
        assert.equal(minima.length, 1, `σ ${sigma}: one minimum`);
        assert.ok(Math.abs(minima[0]) < 1e-10);
      }
    }
  });

  it('two parameters: (1 − w₁w₂)² smoothed in both at once, against its closed form', () => {
    // E[(1 − (a + σε₁)(b + σε₂))²] = (1 − ab)² + σ²(a² + b²) + σ⁴.
    const objective = formulaObjective('w1*w2', ['w1', 'w2']);
    for (const [a, b] of [
      [0.5, -1.2],
      [2, 0.3],
      [0, 0],
    ])
      for (const sigma of [0.2, 0.7]) {
        const { loss } = smoothedPoint(objective, Float64Array.of(a, b), sigma);
        const exact = (1 - a * b) ** 2 + sigma ** 2 * (a * a + b * b) + sigma ** 4;
        assert.ok(Math.abs(loss - exact) <= 1e-12 * exact, `(${a}, ${b}), σ ${sigma}`);
      }
  });
});

describe('Gaussian smoothing by Monte Carlo (models of more than two parameters)', () => {
  it('(1 − w₁w₂)²: agrees with the closed form within 3 standard errors at every point', () => {
    const objective = formulaObjective('w1*w2', ['w1', 'w2']);
    const perturbations = seededPerturbations(7, 2);
    const ts = Array.from({ length: 21 }, (_, k) => -1 + k * 0.1);
    const [origin, direction] = [Float64Array.of(0.5, 1), Float64Array.of(1, -0.5)];
    for (const sigma of [0.3, 0.8]) {
      const curve = monteCarloCurve(objective, origin, direction, ts, sigma, perturbations);
      assert.equal(curve.method, 'monte-carlo');
      ts.forEach((t, k) => {
        const [a, b] = [0.5 + t, 1 - 0.5 * t];
        const exact = (1 - a * b) ** 2 + sigma ** 2 * (a * a + b * b) + sigma ** 4;
        const error = curve.error[k]!;
        assert.ok(error > 0, 'a standard error');
        assert.ok(Math.abs(curve.loss[k]! - exact) <= 3 * error, `σ ${sigma}, t ${t}`);
      });
    }
  });

  it('the same seed draws the same perturbations; another seed others', () => {
    assert.deepEqual(seededPerturbations(3, 4), seededPerturbations(3, 4));
    assert.notDeepEqual(seededPerturbations(3, 4)[0], seededPerturbations(4, 4)[0]);
  });
});

describe('smoothing far beyond the model’s scale', () => {
  it('σ = 1e200 overflows to no finite loss and no critical point, without failing', () => {
    const objective = formulaObjective('w^2', ['w']);
    const [curve] = smoothedCurves(
      objective,
      Float64Array.of(0),
      Float64Array.of(1),
      [-1, 0, 1],
      [1e200],
      0,
    );
    assert.deepEqual(curve.loss, [null, null, null]);
    assert.deepEqual(curve.criticalPoints, []);
  });
});
