// Continuation training (issue: homotopy): runs descend the Gaussian-smoothed loss with σ
// stepping down to 0, then the loss itself; on a tilted double well where plain descent from
// the right stays in the right-hand (local) minimum, continuation crosses to the global one.
// Deterministic, and sharded like any other run.
import assert from 'node:assert/strict';
import { continuationSchedule } from '../../src/core/optim/continuation';
import { analyzeShard, mergeParts } from '../../src/engine/distributed';
import { analyzeFile } from '../../src/engine/analyze';
import { analyzeSpec } from '../helpers/analyze';
import { comparable } from '../helpers/comparable';
import { temporaryFolder } from '../helpers/temp';

/**
 * f = x·w² + (1 − x)·w on three rows x = 1 (target 1) and one x = 0 (target −0.5):
 * L(w) = ¼[3(w² − 1)² + (w + 0.5)²], L′ ∝ 12w³ − 10w + 1, minima near −0.958 (global,
 * L ≈ 0.058) and 0.86 (local, L ≈ 0.51), a maximum near 0.1.
 */
const tilted = (training: object) => ({
  data: { inputs: [[1], [1], [1], [0]], targets: [[1], [1], [1], [-0.5]] },
  model: { expression: 'x*w^2 + (1 - x)*w', parameters: ['w'] },
  points: [{ name: 'right', values: { w: 1.5 } }],
  training: {
    runs: 1,
    from: ['right'],
    optimizer: 'gd',
    learningRate: 0.02,
    epochs: 3000,
    ...training,
  },
  analysis: { slices: [] },
});

describe('continuation training', () => {
  it('the schedule: k equal stages σ₀(k − s)/k, then 0, and the stop rules only in the last', () => {
    const schedule = continuationSchedule({ from: 1, steps: 4 }, 100);
    assert.deepEqual(
      [0, 19, 20, 40, 60, 79, 80, 99].map((e) => schedule.sigmaAt(e)),
      [1, 1, 0.75, 0.5, 0.25, 0.25, 0, 0],
    );
    assert.equal(schedule.plainFrom, 80);
  });

  it('on a tilted double well, plain descent from w = 1.5 stays in the local minimum; continuation from σ = 1 reaches the global one', async () => {
    const plain = await analyzeSpec(tilted({}));
    const smoothed = await analyzeSpec(tilted({ continuation: { from: 1, steps: 5 } }));
    const [w, v] = [plain.runs[0].parameters[0], smoothed.runs[0].parameters[0]];
    // 12w³ − 10w + 1 = 0 at the minima.
    assert.ok(
      Math.abs(12 * w ** 3 - 10 * w + 1) < 1e-6 && w > 0.8,
      `plain: local minimum, w = ${w}`,
    );
    assert.ok(
      Math.abs(12 * v ** 3 - 10 * v + 1) < 1e-6 && v < -0.9,
      `continuation: global, w = ${v}`,
    );
    assert.equal(plain.runs[0].verdict.kind, 'minimum');
    assert.equal(smoothed.runs[0].verdict.kind, 'minimum');
    assert.ok(smoothed.runs[0].loss < plain.runs[0].loss);
  });

  it('runs of a network with continuation are the same on one machine and in 2 shards merged', async () => {
    const spec = {
      data: { generator: 'xor' },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1 }] },
      training: {
        runs: 4,
        init: 'normal',
        learningRate: 0.2,
        epochs: 600,
        continuation: { from: 0.5, steps: 3 },
      },
      analysis: { slices: [] },
    };
    const folder = temporaryFolder({ 'c.loss.json': JSON.stringify(spec) });
    try {
      const specPath = folder.file('c.loss.json');
      const single = await analyzeFile({ specPath, outPath: null, parallel: 'never' });
      assert.ok(single.status === 'ok');
      const parts: string[] = [];
      for (let k = 0; k < 2; k++) {
        const shard = await analyzeShard({ specPath, parallel: 'never' }, { index: k, count: 2 });
        assert.ok(shard.status === 'ok');
        parts.push(shard.partPath);
      }
      const merged = await mergeParts({ specPath, outPath: null, parallel: 'never' }, parts);
      assert.ok(merged.status === 'ok');
      assert.deepEqual(comparable(merged.result), comparable(single.result));
      // And continuation changed the runs: the same file without it ends elsewhere.
      const without = await analyzeSpec({
        ...spec,
        training: { ...spec.training, continuation: undefined },
      });
      assert.notDeepEqual(without.runs[0].parameters, single.result.runs[0].parameters);
    } finally {
      folder.remove();
    }
  });
});
