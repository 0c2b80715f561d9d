// A slice's curvature: λmin of the Hessian at every grid point, against Hessians known by hand.
import assert from 'node:assert/strict';
import { loadSpec } from '../../src/core/lossfile/load';
import { analyzeSpec } from '../helpers/analyze';

/** f = w² with target 1: L = (1 − w²)², L″ = 12w² − 4, negative for |w| < 1/√3. */
const twoMinima = (analysis: object) => ({
  data: { inputs: [[1]], targets: [[1]] },
  model: { expression: 'w^2', parameters: ['w'] },
  points: [{ name: 'half', values: { w: 0.5 } }],
  training: { runs: 0 },
  analysis,
});

describe('curvature along a slice', () => {
  it('on the loss along w of (1 − w²)²: λmin = 12w² − 4 at every one of the 201 grid points', async () => {
    const result = await analyzeSpec(
      twoMinima({
        slices: [{ type: 'axis', parameter: 'w', range: [-1, 1], steps: 201, curvature: true }],
      }),
    );
    const [slice] = result.slices;
    assert.ok(slice.type === 'axis' && slice.curvature);
    const { lambdaMin, negative, points, least, greatest } = slice.curvature;
    slice.x.forEach((w, i) => {
      const exact = 12 * w * w - 4;
      assert.ok(Math.abs(lambdaMin[i]! - exact) < 1e-12, `w = ${w}: ${lambdaMin[i]} vs ${exact}`);
    });
    // |w| < 1/√3 ≈ 0.577: the grid points −0.57, …, 0.57 (step 0.01), 115 of them.
    assert.deepEqual([negative, points, least, greatest], [115, 201, -4, 8]);
  });

  it('a plane of linear regression has the constant Hessian (2/N)·X̃ᵀX̃: its λmin at every grid point', async () => {
    // x = 0, 1, 2 (N = 3): (2/3)·[[5, 3], [3, 3]], whose λmin is (2/3)(4 − √10).
    const result = await analyzeSpec({
      data: { inputs: [[0], [1], [2]], targets: [[1], [3], [5]] },
      model: { layers: [{ units: 1, activation: 'linear' }] },
      training: { runs: 1, epochs: 10 },
      analysis: {
        slices: [{ type: 'plane', directions: 'parameters', resolution: 11, curvature: true }],
      },
    });
    const [slice] = result.slices;
    assert.ok(slice.type === 'plane' && slice.curvature);
    const exact = (2 / 3) * (4 - Math.sqrt(10));
    for (const row of slice.curvature.lambdaMin)
      for (const value of row) assert.ok(Math.abs(value! - exact) < 1e-13, `${value}`);
    assert.equal(slice.curvature.negative, 0);
  });

  it('"ratio" maps |λmin/λmax| of the sombrero (w₁² + w₂² − 1)²: |(r² − 1)/(3r² − 1)| at every grid point', async () => {
    // f = w₁² + w₂², target 1: L = (r² − 1)², H = 8wwᵀ + 4(r² − 1)I, so λmin = 4(r² − 1) (across
    // w) and λmax = 12r² − 4 (along w): the hat is not convex inside the unit circle.
    const result = await analyzeSpec({
      data: { inputs: [[1]], targets: [[1]] },
      model: { expression: 'w1^2 + w2^2', parameters: ['w1', 'w2'] },
      points: [{ name: 'top', values: { w1: 0, w2: 0 } }],
      training: { runs: 0 },
      analysis: {
        slices: [
          {
            type: 'plane',
            directions: 'parameters',
            range: { x: [-1.5, 1.5], y: [-1.5, 1.5] },
            resolution: 7,
            curvature: 'ratio',
          },
        ],
      },
    });
    const [slice] = result.slices;
    assert.ok(slice.type === 'plane' && slice.curvature?.ratio);
    const { ratio, lambdaMin, ratioRange } = slice.curvature;
    slice.y.forEach((w2, j) =>
      slice.x.forEach((w1, i) => {
        const r2 = w1 * w1 + w2 * w2;
        const exact = Math.abs((r2 - 1) / (3 * r2 - 1));
        assert.ok(Math.abs(ratio![j][i]! - exact) < 1e-12, `(${w1}, ${w2}): ${ratio![j][i]}`);
        assert.ok(Math.abs(lambdaMin[j][i]! - Math.min(4 * (r2 - 1), 12 * r2 - 4)) < 1e-12);
      }),
    );
    // At the top both curvatures are −4 (ratio 1); on the unit circle λmin = 0 (ratio 0).
    assert.equal(ratio![3][3], 1);
    assert.equal(ratio![3][5], 0);
    const sorted = ratio!
      .flat()
      .map((v) => v!)
      .sort((a, b) => a - b);
    assert.deepEqual(ratioRange, { least: 0, greatest: sorted[48], median: sorted[24] });
  });

  it('automatic slices of small models have it, with the entry that keeps it; "hessian": "off" and large models do not', async () => {
    const small = await analyzeSpec(twoMinima({}));
    assert.ok(small.slices[0].curvature);
    assert.equal(small.slices[0].automatic!.spec.curvature, true);
    const off = await analyzeSpec(twoMinima({ hessian: 'off' }));
    assert.equal(off.slices[0].curvature, undefined);
    assert.equal(off.slices[0].automatic!.spec.curvature, undefined);
  });

  it('asking for it on a model above the exact limit is a located error', () => {
    const text = JSON.stringify(
      {
        data: { generator: 'moons', samples: 20 },
        model: { layers: [{ units: 8 }, { units: 1 }] },
        analysis: {
          exactLimit: 10,
          slices: [{ type: 'plane', directions: 'random', curvature: true }],
        },
      },
      null,
      2,
    );
    const { problems } = loadSpec(text, { fileName: 'big.loss.json', validateOnly: true });
    const problem = problems.find((p) => p.message.includes('curvature'));
    assert.ok(problem, JSON.stringify(problems));
    assert.match(
      problem.message,
      /the model has 33 parameters, more than analysis.exactLimit \(10\)/,
    );
    assert.equal(text.split('\n')[problem.line - 1].trim(), '"curvature": true');
  });
});
