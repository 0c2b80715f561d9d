// Critical points whose answers were derived by hand.
import assert from 'node:assert/strict';
import { analyzeFile } from '../../src/engine/analyze';
import type { AnalysisResult } from '../../src/protocol/result';
import { temporaryFolder } from '../helpers/temp';

async function analyze(spec: object): Promise<AnalysisResult> {
  const folder = temporaryFolder({ 'a.loss.json': JSON.stringify(spec) });
  try {
    const outcome = await analyzeFile({ specPath: folder.file('a.loss.json'), outPath: null });
    assert.ok(outcome.status === 'ok');
    return outcome.result;
  } finally {
    folder.remove();
  }
}

describe('critical points with answers derived by hand', () => {
  it('XOR 2-2-1 tanh plateau: W = 0, b₂ = ½ is critical with H = diag(0,…,0, 2), a quartic saddle', async () => {
    // At W₁ = b₁ = W₂ = 0 the network outputs b₂; with b₂ = ½ every gradient entry is exactly 0
    // (the W₂ and W₁ terms vanish, and Σₙ(½ − yₙ)xₙⱼ = 0 on XOR). Only b₂ has curvature: 2.
    // Along W₁[0] ∝ (1, 1) with a small W₂[0] = a, L − ¼ ≈ (1.5a²c² − ac³/2)·t⁴ < 0 for c > 3a.
    const result = await analyze({
      data: { generator: 'xor' },
      model: {
        layers: [
          { units: 2, activation: 'tanh' },
          { units: 1, activation: 'linear' },
        ],
      },
      training: { runs: 1, epochs: 200, learningRate: 0.1, from: ['near'] },
      points: [
        { name: 'plateau', vector: [0, 0, 0, 0, 0, 0, 0, 0, 0.5] },
        { name: 'near', vector: [0.001, -0.002, 0.0015, 0.001, 0, 0, 0.002, -0.001, 0.3] },
      ],
      analysis: { paths: 'none' },
    });
    const plateau = result.runs.find((r) => r.id === 'point:plateau')!;
    assert.equal(plateau.loss, 0.25);
    assert.equal(plateau.gradientNorm, 0);
    assert.deepEqual(
      plateau.hessian!.eigenvalues.map((v) => v + 0),
      [0, 0, 0, 0, 0, 0, 0, 0, 2],
    );
    assert.deepEqual(
      [
        plateau.verdict.kind,
        plateau.verdict.index,
        plateau.verdict.nullity,
        plateau.verdict.method,
      ],
      ['saddle', 0, 8, 'probe'],
    );
    assert.match(plateau.verdict.reason, /falls like t⁴/);

    // Gradient descent from next to it stays on the plateau; refined, it is judged, not a minimum.
    const run = result.runs.find((r) => r.id === 'run-0')!;
    assert.equal(run.refinement!.status, 'converged');
    assert.ok(Math.abs(run.loss - 0.25) < 1e-6);
    assert.ok(run.gradientNorm <= run.verdict.tolerance.gradient);
    assert.notEqual(run.verdict.kind, 'minimum');
  });

  it('logistic regression with bce on overlapping classes: every run reaches the one minimum', async () => {
    // The classes overlap (noise 1), so the convex bce loss has a unique, finite minimizer.
    const result = await analyze({
      data: { generator: 'gaussians', samples: 60, noise: 1, seed: 2 },
      model: { layers: [{ units: 1, activation: 'sigmoid' }] },
      loss: 'bce',
      training: { runs: 6, init: 'normal', initScale: 2, epochs: 300, learningRate: 1 },
    });
    assert.equal(result.classes.length, 1);
    for (const run of result.runs) {
      assert.equal(run.verdict.kind, 'minimum', run.verdict.reason);
      assert.ok(run.hessian!.eigenvalues[0] > 0);
    }
  });

  it('linear regression under the Huber loss: the exact fit, with half the Hessian of mse', async () => {
    // y = 2x + 1 on x = 0, 1, 2 is fitted exactly: every residual is 0, inside Huber's
    // quadratic part, so H = (1/N)·X̃ᵀX̃ = (1/3)[[5, 3], [3, 3]], eigenvalues (8 ± 2√10)/6.
    const result = await analyze({
      data: { inputs: [[0], [1], [2]], targets: [[1], [3], [5]] },
      model: { layers: [{ units: 1, activation: 'linear' }] },
      loss: 'huber',
      training: { runs: 2, epochs: 300, learningRate: 0.5 },
      analysis: { slices: [] },
    });
    for (const run of result.runs) {
      assert.equal(run.verdict.kind, 'minimum');
      assert.ok(Math.abs(run.parameters[0] - 2) < 1e-9 && Math.abs(run.parameters[1] - 1) < 1e-9);
      const [low, high] = run.hessian!.eigenvalues!;
      assert.ok(Math.abs(low - (8 - 2 * Math.sqrt(10)) / 6) < 1e-12, `λmin ${low}`);
      assert.ok(Math.abs(high - (8 + 2 * Math.sqrt(10)) / 6) < 1e-12, `λmax ${high}`);
    }
  });
});
