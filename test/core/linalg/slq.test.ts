// Stochastic Lanczos quadrature against spectra known exactly.
import assert from 'node:assert/strict';
import {
  broadenedDensity,
  densityDistance,
  densityGrid,
  stochasticLanczosQuadrature,
  type SlqOptions,
} from '../../../src/core/linalg/slq';
import { Random } from '../../../src/core/rng';

const linspace = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** Every probe and every step: the counts as given. */
const fixed = (probes: number, iterations: number, seed: number): SlqOptions => ({
  probes,
  iterations,
  broadening: 0.01,
  tolerance: 0,
  seed,
});

/** H = Q diag(λ) Qᵀ, Q a product of three random Householder reflections. */
function rotated(lambda: number[], seed: number) {
  const n = lambda.length;
  const random = new Random(seed);
  const reflections = Array.from({ length: 3 }, () => {
    const u = Float64Array.from({ length: n }, () => random.normal());
    let length = 0;
    for (const x of u) length += x * x;
    length = Math.sqrt(length);
    return u.map((x) => x / length);
  });
  const reflect = (u: Float64Array, v: Float64Array) => {
    let c = 0;
    for (let i = 0; i < n; i++) c += u[i] * v[i];
    c *= 2;
    for (let i = 0; i < n; i++) v[i] -= c * u[i];
  };
  return (v: Float64Array, out: Float64Array) => {
    out.set(v);
    reflections.forEach((u) => reflect(u, out));
    for (let i = 0; i < n; i++) out[i] *= lambda[i];
    [...reflections].reverse().forEach((u) => reflect(u, out));
  };
}

/** The L1 distance between the estimate and the exact spectrum, both broadened alike. */
function distanceToExact(
  quadrature: { nodes: number[]; weights: number[] },
  lambda: number[],
  broadening = 0.01,
): number {
  const { sigma, grid } = densityGrid([...quadrature.nodes, ...lambda], broadening, 2001);
  return densityDistance(
    grid,
    broadenedDensity(quadrature.nodes, quadrature.weights, sigma, grid),
    broadenedDensity(
      lambda,
      lambda.map(() => 1 / lambda.length),
      sigma,
      grid,
    ),
  );
}

describe('stochastic Lanczos quadrature', () => {
  it('on diag(1, …, 40) with 40 steps: the nodes are the eigenvalues, each of weight exactly 1/40', () => {
    // A Rademacher probe has (eᵢᵀv)² = 1 for every unit vector eᵢ: one probe is exact here.
    const n = 40;
    const diagonal = (v: Float64Array, out: Float64Array) =>
      v.forEach((x, i) => (out[i] = (i + 1) * x));
    const { nodes, weights, steps } = stochasticLanczosQuadrature(diagonal, n, fixed(1, n, 1));
    assert.deepEqual(steps, [40]);
    const sorted = nodes.map((t, i) => [t, weights[i]]).sort((a, b) => a[0] - b[0]);
    sorted.forEach(([t, w], i) => {
      assert.ok(Math.abs(t - (i + 1)) < 1e-9, `node ${i}: ${t}`);
      assert.ok(Math.abs(w - 1 / n) < 1e-12, `weight ${i}: ${w}`);
    });
  });

  it('on a rotated spectrum: weights sum to 1, and 30 probes come within 0.1 (L1) of the exact density', () => {
    // Eigenvectors no longer align with the probes' axes, so each probe's weights vary around 1/n.
    const n = 60;
    const lambda = Array.from({ length: n }, (_, i) => (i < 10 ? -1 + 0.05 * i : 2 + 0.1 * i));
    const quadrature = stochasticLanczosQuadrature(rotated(lambda, 7), n, fixed(30, 30, 3));
    assert.deepEqual(quadrature.steps, Array(30).fill(30), 'tolerance 0: every probe, every step');
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

  it('on a diagonal matrix every probe sees the same measure: it stops at 3 probes, each as soon as its density settles', () => {
    // 20,000 eigenvalues, 90% spread over [0, 0.1] and 10% over [1, 2]. With Rademacher
    // probes, (eᵢᵀv)² = 1: all probes give the same quadrature, so their spread is 0.
    const n = 20000;
    const lambda = Array.from({ length: n }, (_, i) =>
      i < 18000 ? (0.1 * i) / 18000 : 1 + (i - 18000) / 2000,
    );
    const diagonal = (v: Float64Array, out: Float64Array) => {
      for (let i = 0; i < n; i++) out[i] = lambda[i] * v[i];
    };
    const quadrature = stochasticLanczosQuadrature(diagonal, n, {
      probes: 20,
      iterations: 80,
      broadening: 0.01,
      tolerance: 0.01,
      seed: 5,
    });
    assert.equal(quadrature.steps.length, 3);
    assert.ok(quadrature.standardError! < 1e-12, `standard error ${quadrature.standardError}`);
    // Stopped early, each probe at the same step (the same measure).
    const [first] = quadrature.steps;
    assert.ok(first >= 10 && first < 80, `steps ${quadrature.steps}`);
    assert.deepEqual(quadrature.steps, [first, first, first]);
    // And it is as close to the exact density as the tolerance promised.
    const distance = distanceToExact(quadrature, lambda);
    assert.ok(distance < 0.01, `L1 distance ${distance}`);
  });

  it('on a rotated spectrum of 5000: a few probes suffice, their standard error is within the tolerance, and so is the error', () => {
    // The variance of one probe's weights falls like 1/n: at n = 5000 a few are enough.
    const n = 5000;
    const lambda = Array.from({ length: n }, (_, i) =>
      i < 4500 ? -0.05 + (0.1 * i) / 4500 : 1 + (i - 4500) / 500,
    );
    const options = { probes: 20, iterations: 80, broadening: 0.01, tolerance: 0.02, seed: 9 };
    const quadrature = stochasticLanczosQuadrature(rotated(lambda, 11), n, options);
    const probes = quadrature.steps.length;
    assert.ok(probes >= 3 && probes < 20, `${probes} probes`);
    assert.ok(quadrature.standardError! <= 0.02, `standard error ${quadrature.standardError}`);
    assert.ok(
      quadrature.steps.every((s) => s < 80),
      `steps ${quadrature.steps}`,
    );
    // Measured: 3 probes × 34 steps, standard error 0.0014, distance 0.011.
    const distance = distanceToExact(quadrature, lambda);
    assert.ok(distance < 0.02, `L1 distance ${distance}`);
    // Every probe and every step (15 times the work) comes closer still: 0.0006.
    const full = stochasticLanczosQuadrature(rotated(lambda, 11), n, { ...options, tolerance: 0 });
    assert.deepEqual(full.steps, Array(20).fill(80));
    assert.ok(distanceToExact(full, lambda) < 0.002);
  });

  it('on a small rotated spectrum the probes disagree: all of them run', () => {
    const n = 60;
    const lambda = Array.from({ length: n }, (_, i) => (i < 10 ? -1 + 0.05 * i : 2 + 0.1 * i));
    const quadrature = stochasticLanczosQuadrature(rotated(lambda, 7), n, {
      probes: 12,
      iterations: 80,
      broadening: 0.01,
      tolerance: 0.01,
      seed: 3,
    });
    assert.equal(quadrature.steps.length, 12);
    assert.ok(quadrature.standardError! > 0.01, `standard error ${quadrature.standardError}`);
    // The Krylov space of a probe has at most n = 60 dimensions.
    assert.ok(quadrature.steps.every((s) => s <= 60));
  });
});
