import assert from 'node:assert/strict';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { CurveRecorder } from '../../../src/core/optim/curve';
import { optimizerSettings } from '../../../src/core/optim/optimizers';
import { train } from '../../../src/core/optim/train';
import type { OptimizerName, TrainingSpec } from '../../../src/core/vocabulary';

// y = 3x + 1 on four points: least squares is exact, w = 3, b = 1.
const inputs = Float64Array.of(-1, 0, 1, 2);
const targets = Float64Array.of(-2, 1, 4, 7);
const architecture = new MlpArchitecture(1, [{ units: 1, activation: 'linear', bias: true }]);
const objective = new MlpObjective(architecture, inputs, targets, 4, 'mse');

function spec(overrides: Partial<TrainingSpec>): TrainingSpec {
  const optimizer = overrides.optimizer ?? 'gd';
  return {
    runs: 1,
    seed: 0,
    init: 'normal',
    initScale: 1,
    optimizer,
    learningRate: 0.1,
    settings: optimizerSettings(optimizer, {}),
    batchSize: null,
    epochs: 20000,
    stopAt: { gradientNorm: 1e-12, loss: null },
    noise: null,
    from: [],
    ...overrides,
  };
}

describe('training', () => {
  const settings: [OptimizerName, Partial<TrainingSpec>][] = [
    ['gd', {}],
    ['momentum', { learningRate: 0.05 }],
    ['adam', { learningRate: 0.05 }],
    ['rmsprop', { learningRate: 0.01 }],
    ['sgd', { batchSize: 4 }],
  ];
  for (const [optimizer, overrides] of settings) {
    it(`${optimizer} reaches the least-squares solution w = 3, b = 1`, () => {
      const run = train({
        objective,
        architecture,
        training: spec({ optimizer, ...overrides }),
        seed: 5,
      });
      assert.ok(
        Math.abs(run.theta[0] - 3) < 1e-9 && Math.abs(run.theta[1] - 1) < 1e-9,
        `${Array.from(run.theta)}`,
      );
      assert.equal(run.stopReason, 'gradientNorm');
    });
  }

  it('minibatch SGD with an exact-fit problem converges to the same point', () => {
    const run = train({
      objective,
      architecture,
      training: spec({ optimizer: 'sgd', batchSize: 1, learningRate: 0.05 }),
      seed: 1,
    });
    assert.ok(Math.abs(run.theta[0] - 3) < 1e-8 && Math.abs(run.theta[1] - 1) < 1e-8);
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const a = train({ objective, architecture, training: spec({ epochs: 3 }), seed: 9 });
    const b = train({ objective, architecture, training: spec({ epochs: 3 }), seed: 9 });
    const c = train({ objective, architecture, training: spec({ epochs: 3 }), seed: 10 });
    assert.deepEqual(a.theta, b.theta);
    assert.notDeepEqual(a.theta, c.theta);
  });

  it('starts from a given point instead of a random one', () => {
    const run = train({
      objective,
      architecture,
      training: spec({ epochs: 0 }),
      seed: 9,
      start: Float64Array.of(3, 1),
    });
    assert.deepEqual(Array.from(run.theta), [3, 1]);
    assert.equal(run.loss, 0);
  });

  it('stops at a divergence and keeps the last finite parameters', () => {
    // Curvature of this loss is at most 2·(1 + 2²+…)/4 ≈ 7.6; a step of 10 explodes.
    const run = train({
      objective,
      architecture,
      training: spec({ learningRate: 10, epochs: 10000 }),
      seed: 2,
    });
    assert.equal(run.stopReason, 'diverged');
    assert.ok(Number.isFinite(run.loss) && run.theta.every(Number.isFinite));
    assert.ok(run.epochs < 10000);
  });

  it('stops when the loss reaches stopAt.loss', () => {
    const run = train({
      objective,
      architecture,
      training: spec({ stopAt: { gradientNorm: 0, loss: 1e-3 } }),
      seed: 2,
    });
    assert.equal(run.stopReason, 'loss');
    assert.ok(run.loss <= 1e-3);
  });
});

describe('curve recorder', () => {
  it('keeps first, last and the minimum of a long curve in bounded size', () => {
    const recorder = new CurveRecorder(50);
    for (let e = 0; e <= 100000; e++) recorder.add(e, e === 77777 ? -5 : Math.cos(e / 1000) + 2);
    const { epoch, loss } = recorder.points();
    assert.ok(epoch.length <= 2 * 50 + 2, `${epoch.length} points`);
    assert.equal(epoch[0], 0);
    assert.equal(loss[0], 3);
    assert.equal(epoch.at(-1), 100000);
    assert.equal(Math.min(...loss), -5);
    assert.equal(epoch[loss.indexOf(-5)], 77777);
    assert.deepEqual(
      epoch,
      [...epoch].sort((a, b) => a - b),
    );
  });

  it('noise: a uniform kick of at most the scale every `every` epochs, none in the last ones, and no stop before', () => {
    // GD at w = 3, b = 1 (the exact minimum): without kicks ∇L = 0 and it stops at once.
    const start = Float64Array.of(3, 1);
    const still = train({ objective, architecture, training: spec({}), seed: 1, start });
    assert.deepEqual([still.epochs, still.stopReason], [0, 'gradientNorm']);
    const kicked = spec({ epochs: 1000, noise: { scale: 0.5, every: 100 } });
    const run = train({
      objective,
      architecture,
      training: kicked,
      seed: 1,
      start,
      snapshots: 1001,
    });
    // Kicks at epochs 100, …, 900 (none at 1000: the last 100 epochs are plain GD), so the
    // run does not stop at epoch 0, and it comes back to the minimum after the last kick.
    assert.equal(run.epochs, 1000);
    assert.ok(Math.abs(run.theta[0] - 3) < 1e-6 && Math.abs(run.theta[1] - 1) < 1e-6);
    // GD with step 0.1 never raises this loss (its Hessian's largest eigenvalue is 3.6 < 2/0.1):
    // the loss rises exactly where a kick came.
    const rises = run
      .snapshots!.slice(1)
      .flatMap((s, k) => (s.loss > run.snapshots![k].loss ? [s.epoch] : []));
    assert.deepEqual(rises, [100, 200, 300, 400, 500, 600, 700, 800, 900]);
    // Each kick moved each parameter by at most 0.5 (plus that epoch's small GD step).
    for (const epoch of rises) {
      const [before, after] = [run.snapshots![epoch - 1].theta, run.snapshots![epoch].theta];
      assert.ok([0, 1].every((i) => Math.abs(after[i] - before[i]) <= 0.5 + 0.1 * 1e-6));
    }
    // The same seed gives the same kicks.
    const again = train({ objective, architecture, training: kicked, seed: 1, start });
    assert.deepEqual(again.theta, run.theta);
  });
});
