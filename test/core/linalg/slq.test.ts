// Stochastic Lanczos quadrature against spectra known exactly.
import assert from 'node:assert/strict';
import {
  broadenedDensity,
  densityDistance,
  stochasticLanczosQuadrature,
} from '../../../src/core/linalg/slq';
import { Random } from '../../../src/core/rng';

const linspace = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

describe('stochastic Lanczos quadrature', () => {
  it('on diag(1, …, 40) with 40 steps: the nodes are the eigenvalues, each of weight exactly 1/40', () => {
    // A Rademacher probe has (eᵢᵀv)² = 1 for every unit vector eᵢ: one probe is exact here.
    const n = 40;
    const diagonal = (v: Float64Array, out: Float64Array) =>
      v.forEach((x, i) => (out[i] = (i + 1) * x));
    const { nodes, weights } = stochasticLanczosQuadrature(diagonal, n, {
      probes: 1,
      iterations: n,
      seed: 1,
    });
    const sorted = nodes.map((t, i) => [t, weights[i]]).sort((a, b) => a[0] - b[0]);
    sorted.forEach(([t, w], i) => {
      assert.ok(Math.abs(t - (i + 1)) < 1e-9, `node ${i}: ${t}`);
      assert.ok(Math.abs(w - 1 / n) < 1e-12, `weight ${i}: ${w}`);
    });
  });

  it('on a rotated spectrum: weights sum to 1, and 30 probes come within 0.1 (L1) of the exact density', () => {
    // H = Q diag(λ) Qᵀ with a random orthogonal Q (Householder reflections): eigenvectors no
    // longer align with the probes' axes, so each probe's weights vary around 1/n.
    const n = 60;
    const random = new Random(7);
    const lambda = Array.from({ length: n }, (_, i) => (i < 10 ? -1 + 0.05 * i : 2 + 0.1 * i));
    const reflections = Array.from({ length: 3 }, () => {
      const u = Float64Array.from({ length: n }, () => random.normal());
      const length = Math.hypot(...u);
      return u.map((x) => x / length);
    });
    const reflect = (v: Float64Array) =>
      reflections.forEach((u) => {
        const c = 2 * u.reduce((s, x, i) => s + x * v[i], 0);
        u.forEach((x, i) => (v[i] -= c * x));
      });
    const multiply = (v: Float64Array, out: Float64Array) => {
      const w = Float64Array.from(v);
      reflect(w);
      w.forEach((x, i) => (w[i] = lambda[i] * x));
      [...reflections].reverse().forEach((u) => {
        const c = 2 * u.reduce((s, x, i) => s + x * w[i], 0);
        u.forEach((x, i) => (w[i] -= c * x));
      });
      out.set(w);
    };
    const quadrature = stochasticLanczosQuadrature(multiply, n, {
      probes: 30,
      iterations: 30,
      seed: 3,
    });
    const total = quadrature.weights.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-12);
    const grid = linspace(-3, 10, 1301);
    const sigma = 0.3;
    const estimate = broadenedDensity(quadrature.nodes, quadrature.weights, sigma, grid);
    const exact = broadenedDensity(
      lambda,
      lambda.map(() => 1 / n),
      sigma,
      grid,
    );
    const distance = densityDistance(grid, estimate, exact);
    assert.ok(distance < 0.1, `L1 distance ${distance}`);
    // The broadened exact density integrates to 1 on this grid.
    assert.ok(
      Math.abs(
        densityDistance(
          grid,
          exact,
          grid.map(() => 0),
        ) - 1,
      ) < 1e-6,
    );
  });
});
