// Smoothed slices through the engine: a file asks for "smoothing" on a line or an axis, and
// the result holds L_σ on the slice's grid with its critical points (issue: homotopy).
import assert from 'node:assert/strict';
import { smoothingSlicesSummary } from '../../src/cli/report';
import { analyzeSpec } from '../helpers/analyze';

/** f = w² with target 1: L = (1 − w²)², the seed's two minima. */
const twoMinima = (slices: object[]) => ({
  data: { inputs: [[1]], targets: [[1]] },
  model: { expression: 'w^2', parameters: ['w'] },
  points: [{ name: 'center', values: { w: 0 } }],
  training: { runs: 0 },
  analysis: { slices },
});

describe('smoothed slices', () => {
  it('(1 − w²)² along w: the closed form at every grid point, and the minima merging at σ = 1/√3', async () => {
    const sigmas = [0.3, 0.5, 0.6, 1];
    const result = await analyzeSpec(
      twoMinima([{ type: 'axis', range: [-1.5, 1.5], steps: 61, smoothing: sigmas }]),
    );
    const [slice] = result.slices;
    assert.ok(slice.type === 'axis' && slice.smoothing);
    assert.deepEqual(
      slice.smoothing.map((curve) => curve.sigma),
      sigmas,
    );
    for (const curve of slice.smoothing) {
      const s = curve.sigma;
      assert.equal(curve.method, 'quadrature');
      slice.x.forEach((w, i) => {
        const exact = w ** 4 + (6 * s * s - 2) * w * w + 3 * s ** 4 - 2 * s * s + 1;
        assert.ok(Math.abs(curve.loss[i]! - exact) <= 1e-12 * Math.max(1, exact), `σ ${s}, w ${w}`);
        assert.ok(curve.error[i]! <= 1e-12 * Math.max(1, exact), 'the larger rule agrees');
      });
      const minima = curve.criticalPoints!.filter((p) => p.kind === 'minimum').map((p) => p.t);
      if (s < 1 / Math.sqrt(3)) {
        const at = Math.sqrt(1 - 3 * s * s);
        assert.equal(minima.length, 2);
        assert.ok(Math.abs(minima[0] + at) < 1e-10 && Math.abs(minima[1] - at) < 1e-10);
      } else {
        assert.equal(minima.length, 1);
        assert.ok(Math.abs(minima[0]) < 1e-10);
      }
    }
    assert.match(
      smoothingSlicesSummary(result),
      /σ = 0\.5: 2 minima \(at -0\.5, 0\.5\) and 1 maximum \(at 0\)[\s\S]*σ = 0\.6: 1 minimum \(at 0\)/,
    );
  });

  it('a network of 9 parameters is smoothed by Monte Carlo with its standard error, the same on 1 and 2 threads', async () => {
    const spec = {
      data: { generator: 'xor' },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1 }] },
      training: { runs: 2, epochs: 300, init: 'normal', learningRate: 0.3 },
      analysis: {
        slices: [{ type: 'line', from: 'run-0', to: 'run-1', steps: 11, smoothing: [0.1, 1] }],
      },
    };
    const [one, two] = [
      await analyzeSpec(spec, { threads: 1 }),
      await analyzeSpec(spec, { threads: 2 }),
    ];
    const [slice] = one.slices;
    assert.ok(slice.type === 'line' && slice.smoothing);
    const [small, large] = slice.smoothing;
    assert.equal(small.method, 'monte-carlo');
    assert.ok(small.error.every((e) => e! > 0));
    // Its critical points are the Monte Carlo mean's, each with the standard error of where
    // L_σ's own lies.
    for (const point of [...small.criticalPoints!, ...large.criticalPoints!])
      assert.ok(point.uncertainty!.t > 0 && point.uncertainty!.curvature > 0);
    // A small σ barely moves the loss; a large one lifts it well above the trained line's.
    slice.loss.forEach((loss, k) => {
      assert.ok(Math.abs(small.loss[k]! - loss!) < Math.max(0.05, 6 * small.error[k]!));
    });
    assert.deepEqual(two.slices, one.slices);
    assert.ok(large.loss[5]! > slice.loss[5]!);
  });

  // (1 − w₁w₂)² smoothed: L_σ(a, b) = (1 − ab)² + σ²(a² + b²) + σ⁴, critical at 0 and, for σ < 1,
  // at ±(√(1 − σ²), √(1 − σ²)) (minima); 0 is a saddle below σ = 1 and the one minimum above.
  it('(1 − w₁w₂)² on the plane of its two weights: the closed form, two minima and a saddle that become one minimum', async () => {
    const sigmas = [0.5, 1.5];
    const result = await analyzeSpec(
      {
        data: { inputs: [[1]], targets: [[1]] },
        model: { expression: 'w1*w2', parameters: ['w1', 'w2'] },
        points: [{ name: 'center', values: { w1: 0, w2: 0 } }],
        training: { runs: 0 },
        analysis: {
          slices: [
            {
              type: 'plane',
              directions: 'parameters',
              axes: ['w1', 'w2'],
              range: { x: [-2, 2], y: [-2, 2] },
              resolution: 21,
              smoothing: sigmas,
            },
          ],
        },
      },
      { threads: 2 },
    );
    const [slice] = result.slices;
    assert.ok(slice.type === 'plane' && slice.smoothing);
    const [low, high] = slice.smoothing;
    for (const { sigma: s, loss } of slice.smoothing)
      slice.y.forEach((b, j) =>
        slice.x.forEach((a, i) => {
          const exact = (1 - a * b) ** 2 + s * s * (a * a + b * b) + s ** 4;
          assert.ok(Math.abs(loss[j][i]! - exact) <= 1e-12 * exact, `σ ${s} (${a}, ${b})`);
        }),
      );
    const w = Math.sqrt(1 - 0.25);
    assert.deepEqual(
      low.criticalPoints.map((p) => [p.kind, Number(p.x.toFixed(10)), Number(p.y.toFixed(10))]),
      [
        ['minimum', -Number(w.toFixed(10)), -Number(w.toFixed(10))],
        ['saddle', 0, 0],
        ['minimum', Number(w.toFixed(10)), Number(w.toFixed(10))],
      ],
    );
    assert.deepEqual(
      high.criticalPoints.map((p) => p.kind),
      ['minimum'],
    );
    assert.match(
      smoothingSlicesSummary(result),
      /σ = 0\.5: 2 minima \(at \(-0\.866, -0\.866\), \(0\.866, 0\.866\)\) and 1 saddle \(at \(0, 0\)\)[\s\S]*σ = 1\.5: 1 minimum \(at \(0, 0\)\)/,
    );
  });

  it('a network’s plane is smoothed by Monte Carlo, its points with standard errors, the same on 1 and 2 threads', async () => {
    const spec = {
      data: { generator: 'xor' },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1 }] },
      training: { runs: 2, epochs: 300, init: 'normal', learningRate: 0.3 },
      analysis: {
        slices: [
          {
            type: 'plane',
            directions: 'points',
            through: ['run-0', 'run-1'],
            resolution: 9,
            smoothing: [0.05],
          },
        ],
      },
    };
    const [one, two] = [
      await analyzeSpec(spec, { threads: 1 }),
      await analyzeSpec(spec, { threads: 2 }),
    ];
    const [slice] = one.slices;
    assert.ok(slice.type === 'plane' && slice.smoothing);
    const [surface] = slice.smoothing;
    assert.equal(surface.method, 'monte-carlo');
    assert.equal(surface.samples, 128);
    assert.ok(surface.error.flat().every((e) => e! > 0));
    for (const point of surface.criticalPoints) {
      assert.ok(point.gradient < 1e-8, 'critical for the Monte Carlo mean');
      assert.ok(point.uncertainty!.x > 0 && point.uncertainty!.eigenvalues[0] > 0);
    }
    assert.deepEqual(two.slices, one.slices);
  });
});
