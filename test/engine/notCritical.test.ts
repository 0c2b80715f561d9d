// Why a run is not at a critical point, each cause on a file built to show it.
import assert from 'node:assert/strict';
import { decideVerdict } from '../../src/core/analysis/verdict';
import type { RunResult } from '../../src/protocol/result';
import { analyzeSpec } from '../helpers/analyze';

const byId = (runs: RunResult[], id: string) => runs.find((r) => r.id === id)!;

describe('why a run is not at a critical point', () => {
  it('diverging: logistic regression on separable data, its loss falling as ‖θ‖ grows', async () => {
    // x = −1 → 0 and x = 1 → 1 are separated by any w > 0: L = log(1 + e^(−w)) for b = 0,
    // which falls towards 0 as w grows and has no minimum.
    const result = await analyzeSpec({
      data: { inputs: [[-1], [1]], targets: [[0], [1]] },
      model: { layers: [{ units: 1, activation: 'sigmoid' }] },
      loss: 'bce',
      training: { runs: 1, optimizer: 'adam', learningRate: 0.1, epochs: 2000 },
      points: [{ name: 'far', vector: [30, 0] }],
      analysis: { slices: [] },
    });
    const run = byId(result.runs, 'run-0');
    assert.equal(run.verdict.kind, 'not-critical');
    assert.equal(run.verdict.cause, 'diverging');
    assert.match(run.verdict.reason, /^diverging: the loss keeps falling as ‖θ‖ grows/);
    // At w = 30 the loss is log(1 + e^−30) ≈ 9.36e-14 and so is the gradient: far below the
    // gradient tolerance, yet no critical point, because L(2θ) = log(1 + e^−60) is smaller.
    const far = byId(result.runs, 'point:far');
    assert.ok(Math.abs(far.loss - Math.log1p(Math.exp(-30))) < 1e-20);
    assert.ok(far.gradientNorm < far.verdict.tolerance.gradient);
    assert.equal(far.verdict.kind, 'not-critical');
    assert.equal(far.verdict.cause, 'diverging');
    assert.match(far.verdict.reason, /below the tolerance .* only because the loss flattens out/);
  });

  it('diverging: a 2-8-1 tanh network fitted by Adam to two separable Gaussian blobs', async () => {
    // The loss reaches about 1e-5 with every eigenvalue near 0; doubling θ divides it further.
    const result = await analyzeSpec({
      data: { generator: 'gaussians', samples: 400, noise: 0.25 },
      model: {
        layers: [
          { units: 8, activation: 'tanh' },
          { units: 1, activation: 'sigmoid' },
        ],
      },
      loss: 'bce',
      training: { runs: 2, optimizer: 'adam', learningRate: 0.05, epochs: 2000 },
      analysis: { slices: [] },
    });
    for (const run of result.runs) {
      assert.equal(run.verdict.cause, 'diverging', run.verdict.reason);
      assert.ok(run.loss < 1e-4);
    }
  });

  it('a minimum with a loss near 0 is not diverging: the loss rises along the ray', async () => {
    // y = 2x fitted exactly by w = 2: L(sθ) = (2s − 2)² · mean(x²) rises on both sides.
    const result = await analyzeSpec({
      data: { inputs: [[1], [2]], targets: [[2], [4]] },
      model: { layers: [{ units: 1, activation: 'linear' }], bias: false },
      training: { runs: 0 },
      points: [{ name: 'fit', vector: [2] }],
      analysis: { slices: [] },
    });
    assert.equal(result.runs[0].verdict.kind, 'minimum');
  });

  it('still descending: 50 slow steps of gradient descent on a linear regression', async () => {
    const result = await analyzeSpec({
      data: { inputs: [[0], [1], [2]], targets: [[1], [3], [5]] },
      model: { layers: [{ units: 1, activation: 'linear' }] },
      training: { runs: 1, optimizer: 'gd', learningRate: 0.001, epochs: 50 },
      analysis: { slices: [] },
    });
    const { verdict } = result.runs[0];
    assert.equal(verdict.cause, 'still-descending');
    assert.match(verdict.reason, /^still descending: .* the loss is still falling/);
  });

  it('plateau: gradient descent bouncing between w = 1 and w = −1 on L = w², the loss stuck at 1', async () => {
    // f = w with target 0: L = w², ∇L = 2w; a step of 1 maps w to w − 2w = −w.
    const result = await analyzeSpec({
      data: { inputs: [[0]], targets: [[0]] },
      model: { expression: 'w', parameters: ['w'] },
      training: { runs: 1, optimizer: 'gd', learningRate: 1, epochs: 100, from: ['one'] },
      points: [{ name: 'one', values: { w: 1 } }],
      analysis: { slices: [] },
    });
    const run = byId(result.runs, 'run-0');
    assert.equal(run.loss, 1);
    assert.equal(run.gradientNorm, 2);
    assert.equal(run.verdict.cause, 'plateau');
    assert.match(
      run.verdict.reason,
      /^plateau: the loss has settled \(from 1 to 1 over the last 10 epochs\)/,
    );
    // The minimum at 0 is 1 away, beyond the trust radius 0.1: not this run's critical point.
    assert.equal(run.refinement?.reached?.verdict, 'minimum');
    // Without refinement, the same run is a plateau for the curve alone.
    const unrefined = await analyzeSpec({
      data: { inputs: [[0]], targets: [[0]] },
      model: { expression: 'w', parameters: ['w'] },
      training: { runs: 1, optimizer: 'gd', learningRate: 1, epochs: 100, from: ['one'] },
      points: [{ name: 'one', values: { w: 1 } }],
      analysis: { slices: [], refine: false },
    });
    assert.equal(byId(unrefined.runs, 'run-0').verdict.cause, 'plateau');
    // A named point has no history: its reason is the gradient alone, with no cause.
    assert.equal(byId(result.runs, 'point:one').verdict.cause, undefined);
  });

  it('gradient-flat: refinement ending where H·∇L = 0 names the cause', () => {
    // L = w + w³/3 at w = 0: ∇L = 1, H = 0 (refine.test.ts reaches it); the verdict says so.
    const verdict = decideVerdict(
      {
        loss: 0,
        gradientNorm: 1,
        parameterCount: 1,
        eigenvalues: [0],
        complete: true,
        gradientFlatness: 0,
        lossLowerBound: null,
        lossScale: 1,
      },
      { gradient: 1e-8, eigenvalue: 1e-7 },
    );
    assert.equal(verdict.kind, 'not-critical');
    assert.equal(verdict.cause, 'gradient-flat');
    assert.match(verdict.reason, /^gradient-flat: /);
  });
});
