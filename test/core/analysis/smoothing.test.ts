// The Gaussian smoothing L_σ(θ) = E[L(θ + σε)] by Gauss–Hermite quadrature, against the
// closed forms of the seed's (1 − w²)² (issue: homotopy), and the rule against the moments of
// the normal distribution.
import assert from 'node:assert/strict';
import { formulaObjective } from '../../helpers/formula';
import { gaussHermite } from '../../../src/core/linalg/gaussHermite';
import { exactRule, monteCarloRule } from '../../../src/core/linalg/gaussianRules';
import type { Objective } from '../../../src/core/model/objective';
import {
  seededPerturbations,
  smoothedCurves,
  smoothedPlaneRows,
  smoothedRows,
} from '../../../src/core/analysis/smoothing';
import {
  directionalMoments,
  gridCriticalPoints,
  lineCriticalPoints,
  planeCriticalPoints,
} from '../../../src/core/analysis/smoothedCriticalPoints';

/** L_σ and its derivatives along each parameter at θ, by the exact rule (one or two parameters). */
const smoothedPoint = (objective: Objective, theta: Float64Array, sigma: number) => {
  const p = objective.parameterCount;
  const axes = Array.from({ length: p }, (_, a) =>
    Float64Array.from({ length: p }, (_, b) => +(a === b)),
  );
  const { loss, slopes, curvatures } = directionalMoments(
    objective,
    theta,
    sigma,
    exactRule(p),
    axes,
  );
  return { loss, gradient: slopes, hessian: curvatures };
};

/** L_σ along origin + t·direction by Monte Carlo over the given perturbations. */
const monteCarloCurve = (
  objective: Objective,
  origin: Float64Array,
  direction: Float64Array,
  ts: number[],
  sigma: number,
  perturbations: Float64Array[],
) => {
  const line = { center: origin, x: direction, y: new Float64Array(origin.length) };
  const [rows] = smoothedRows(objective, line, ts, [0], [sigma], monteCarloRule(perturbations));
  return { ...rows, loss: rows.loss[0], error: rows.error[0] };
};

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
      const points = lineCriticalPoints(
        seed,
        Float64Array.of(0),
        Float64Array.of(1),
        ts,
        sigma,
        exactRule(1),
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

// (1 − w₁w₂)² smoothed: L_σ(a, b) = (1 − ab)² + σ²(a² + b²) + σ⁴. Its gradient vanishes at 0
// and, for σ < 1, at ±(w, w) with w = √(1 − σ²) (from b(1 − ab) = σ²a and a(1 − ab) = σ²b).
// The Hessian there is [[2, 2 − 4σ²], [2 − 4σ², 2]] (eigenvalues 4σ² and 4 − 4σ²): minima;
// at 0 it is [[2σ², −2], [−2, 2σ²]] (2σ² ∓ 2): a saddle below σ = 1, a minimum above. The
// smoothing picks the balanced pair out of the hyperbola ab = 1 of minima of the loss itself.
describe('smoothed planes: (1 − w₁w₂)², the hyperbola of minima smoothed', () => {
  const objective = formulaObjective('w1*w2', ['w1', 'w2']);
  const plane = {
    center: Float64Array.of(0, 0),
    x: Float64Array.of(1, 0),
    y: Float64Array.of(0, 1),
  };
  const grid = Array.from({ length: 41 }, (_, k) => -2 + k * 0.1);
  const closedForm = (a: number, b: number, s: number) =>
    (1 - a * b) ** 2 + s * s * (a * a + b * b) + s ** 4;

  it('the smoothed grid equals the closed form to 1e-12 at all 41 × 41 points', () => {
    const surfaces = smoothedPlaneRows(objective, plane, grid, grid, [0.3, 0.6, 1.2], 0);
    for (const { sigma, loss, error, method } of surfaces) {
      assert.equal(method, 'quadrature');
      grid.forEach((b, j) =>
        grid.forEach((a, i) => {
          const exact = closedForm(a, b, sigma);
          assert.ok(Math.abs(loss[j][i]! - exact) <= 1e-12 * exact, `σ ${sigma} (${a}, ${b})`);
          assert.ok(error[j][i]! <= 1e-12 * exact);
        }),
      );
    }
  });

  it('two minima at ±(√(1 − σ²), √(1 − σ²)) and a saddle at 0 below σ = 1, one minimum above', () => {
    for (const sigma of [0.3, 0.6, 0.9, 1.2]) {
      const [surface] = smoothedPlaneRows(objective, plane, grid, grid, [sigma], 0);
      const points = planeCriticalPoints(
        objective,
        plane,
        grid,
        grid,
        surface.loss,
        sigma,
        exactRule(2),
      );
      const close = (u: number, v: number, what: string) =>
        assert.ok(Math.abs(u - v) <= 1e-10, `σ ${sigma}: ${what} ${u} against ${v}`);
      if (sigma < 1) {
        const w = Math.sqrt(1 - sigma * sigma);
        assert.deepEqual(
          points.map((p) => p.kind),
          ['minimum', 'saddle', 'minimum'],
          `σ ${sigma}`,
        );
        for (const [p, sign] of [
          [points[0], -1],
          [points[2], 1],
        ] as const) {
          close(p.x, sign * w, 'x');
          close(p.y, sign * w, 'y');
          close(p.eigenvalues[0], Math.min(4 * sigma ** 2, 4 - 4 * sigma ** 2), 'λ₁');
          close(p.eigenvalues[1], Math.max(4 * sigma ** 2, 4 - 4 * sigma ** 2), 'λ₂');
          close(p.loss, closedForm(w, w, sigma), 'L_σ');
          assert.ok(p.gradient <= 1e-12);
        }
        close(points[1].x, 0, 'saddle x');
        close(points[1].y, 0, 'saddle y');
        close(points[1].eigenvalues[0], 2 * sigma ** 2 - 2, 'saddle λ₁');
      } else {
        assert.equal(points.length, 1, `σ ${sigma}: one critical point`);
        assert.equal(points[0].kind, 'minimum');
        close(points[0].x, 0, 'x');
        close(points[0].eigenvalues[0], 2 * sigma ** 2 - 2, 'λ₁');
      }
    }
  });

  // The Monte Carlo route's stated uncertainty is a standard error: over many seeds, the
  // errors of its minima divided by it should spread like a standard normal (|z| ≤ 2 for about
  // 95%), not far more (understated) nor far less (overstated).
  const calibrated = (zs: number[], what: string) => {
    const rms = Math.sqrt(zs.reduce((s, z) => s + z * z, 0) / zs.length);
    const within = zs.filter((z) => Math.abs(z) <= 2).length / zs.length;
    assert.ok(rms > 0.7 && rms < 1.4, `${what}: rms z ${rms}`);
    assert.ok(within >= 0.85, `${what}: ${within} within 2 standard errors`);
  };
  const sigma = 0.5;
  const w = Math.sqrt(1 - sigma * sigma);

  it('Monte Carlo in the plane: the minima, with standard errors that hold over 20 seeds', () => {
    const zs: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const perturbations = seededPerturbations(seed, 2);
      const rule = monteCarloRule(perturbations);
      // The Monte Carlo mean on the grid, where the search starts (as the engine's rows give it).
      const mean = grid.map((b) =>
        grid.map(
          (a) =>
            perturbations.reduce(
              (sum, [e1, e2]) =>
                sum + objective.loss(Float64Array.of(a + sigma * e1, b + sigma * e2)),
              0,
            ) / perturbations.length,
        ),
      );
      const points = planeCriticalPoints(objective, plane, grid, grid, mean, sigma, rule);
      const minima = points.filter((p) => p.kind === 'minimum');
      assert.equal(minima.length, 2, `seed ${seed}`);
      for (const p of minima) {
        assert.ok(p.gradient <= 1e-12, 'critical for the Monte Carlo mean itself');
        zs.push((Math.abs(p.x) - w) / p.uncertainty!.x, (Math.abs(p.y) - w) / p.uncertainty!.y);
      }
    }
    calibrated(zs, 'plane');
  });

  it('Monte Carlo along the diagonal: (1 − t²)² + 2σ²t² + σ⁴, minima at ±√(1 − σ²) over 40 seeds', () => {
    const [origin, direction] = [Float64Array.of(0, 0), Float64Array.of(1, 1)];
    const zs: number[] = [];
    for (let seed = 0; seed < 40; seed++) {
      const perturbations = seededPerturbations(seed, 2);
      const curve = monteCarloCurve(objective, origin, direction, grid, sigma, perturbations);
      const rule = monteCarloRule(perturbations);
      const points = lineCriticalPoints(
        objective,
        origin,
        direction,
        grid,
        sigma,
        rule,
        curve.loss,
      );
      assert.deepEqual(
        points.map((p) => p.kind),
        ['minimum', 'maximum', 'minimum'],
        `seed ${seed}`,
      );
      for (const p of [points[0], points[2]]) zs.push((Math.abs(p.t) - w) / p.uncertainty!.t);
    }
    calibrated(zs, 'line');
  });

  it('grid starts: a pit, a peak and a saddle among eight neighbours', () => {
    const pit = [
      [3, 2, 3],
      [2, 1, 2],
      [3, 2, 3],
    ];
    const peak = pit.map((row) => row.map((v) => -v));
    assert.deepEqual(gridCriticalPoints(pit), [{ i: 1, j: 1, kind: 'minimum' }]);
    assert.deepEqual(gridCriticalPoints(peak), [{ i: 1, j: 1, kind: 'maximum' }]);
    // x² − y² sampled: higher along one axis, lower along the other, four changes around.
    const hyperbolic = [-1, 0, 1].map((y) => [-1, 0, 1].map((x) => x * x - y * y));
    assert.deepEqual(gridCriticalPoints(hyperbolic), []); // the corners tie with the center
    const tilted = [-1, 0, 1].map((y) => [-1, 0, 1].map((x) => x * x - y * y + 0.1 * x * y));
    assert.deepEqual(gridCriticalPoints(tilted), [{ i: 1, j: 1, kind: 'saddle' }]);
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
