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
    assert.equal(small.criticalPoints, undefined);
    assert.ok(small.error.every((e) => e! > 0));
    // A small σ barely moves the loss; a large one lifts it well above the trained line's.
    slice.loss.forEach((loss, k) => {
      assert.ok(Math.abs(small.loss[k]! - loss!) < Math.max(0.05, 6 * small.error[k]!));
    });
    assert.deepEqual(two.slices, one.slices);
    assert.ok(large.loss[5]! > slice.loss[5]!);
  });
});
