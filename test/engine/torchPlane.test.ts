// A plane's grid in one request to the worker: chunks of the data outside, points inside,
// and for a module that starts with a convolution or a Linear layer, that layer's output
// taken as centre + a·(along x) + b·(along y), three evaluations per chunk instead of one per
// point. Every loss of the grid equals the loss asked at that point alone, on the digits CNN
// (the trick) and on the residual LayerNorm network (no nn.Sequential: point by point).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Random } from '../../src/core/rng';
import { TorchObjective } from '../../src/engine/torch/torchObjective';
import { describeWithTorch, PYTHON } from '../helpers/torch';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

function gridEqualsPointLosses(objective: TorchObjective, scale: number): void {
  const random = new Random(7);
  const center = objective.initialParameters;
  const direction = () => Float64Array.from(center, () => scale * random.normal());
  const grid = {
    center,
    x: direction(),
    y: direction(),
    as: [-1, -0.25, 0.5, 1],
    bs: [-0.5, 0, 1],
  };
  const losses = objective.planeLosses(grid);
  const theta = new Float64Array(center.length);
  grid.bs.forEach((b, i) =>
    grid.as.forEach((a, j) => {
      for (let k = 0; k < theta.length; k++) theta[k] = center[k] + a * grid.x[k] + b * grid.y[k];
      const alone = objective.loss(theta);
      assert.ok(
        Math.abs(losses[i][j] - alone) <= 1e-13 * Math.abs(alone),
        `(${a}, ${b}): ${losses[i][j]} vs ${alone}`,
      );
    }),
  );
  // The directions moved the loss: the grid is not one value.
  assert.ok(Math.max(...losses.flat()) > 1.01 * Math.min(...losses.flat()));
}

describeWithTorch("a plane's losses from the worker", function () {
  this.timeout(120_000);

  it('a CNN (conv first): each point of the grid equals its own loss, over chunks of 500 digits', () => {
    const objective = TorchObjective.open(PYTHON, {
      file: join(EXAMPLES, 'digits-cnn.py'),
      build: 'make_model',
      loss: 'cross-entropy',
      data: { npz: join(EXAMPLES, 'digits-cnn.npz'), inputs: 'images', targets: 'labels' },
      chunk: 500,
    });
    try {
      gridEqualsPointLosses(objective, 0.05);
    } finally {
      objective.close();
    }
  });

  it('a module that is no nn.Sequential: point by point, the same losses', () => {
    const objective = TorchObjective.open(PYTHON, {
      file: join(EXAMPLES, 'residual-layernorm.py'),
      build: 'make_model',
      loss: 'bce',
      data: {
        inputs: Float64Array.from({ length: 600 }, (_, k) => Math.sin(k * 0.7)),
        inputShape: [300, 2],
        targets: Float64Array.from({ length: 300 }, (_, n) => n % 2),
        targetShape: [300, 1],
      },
      chunk: 128,
    });
    try {
      gridEqualsPointLosses(objective, 0.05);
    } finally {
      objective.close();
    }
  });
});
