// A slice's losses by the first layer's linearity in its weights: the same numbers as one
// loss per grid point, with and without weight decay.
import assert from 'node:assert/strict';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { lossesOnPlane, withWeightDecay } from '../../../src/core/model/objective';
import { Random } from '../../../src/core/rng';

describe('losses on a plane', () => {
  const random = new Random(4);
  // Eight inputs: wide enough for the first layer to be computed once for the grid.
  const architecture = new MlpArchitecture(8, [
    { units: 5, activation: 'relu', bias: true },
    { units: 3, activation: 'linear', bias: true },
  ]);
  const samples = 30;
  const inputs = Float64Array.from({ length: samples * 8 }, () => random.normal());
  const targets = new Float64Array(samples * 3);
  for (let n = 0; n < samples; n++) targets[n * 3 + (n % 3)] = 1;
  const p = architecture.parameterCount;
  const [center, x, y] = [0, 1, 2].map(() =>
    Float64Array.from({ length: p }, () => random.normal()),
  );
  const as = [-1, -0.25, 0, 0.5, 2];
  const bs = [-0.5, 0, 1];

  for (const decay of [0, 0.01]) {
    it(`equal one loss per point${decay ? ' with weight decay' : ''}`, () => {
      const objective = withWeightDecay(
        new MlpObjective(architecture, inputs, targets, samples, 'cross-entropy'),
        decay,
      );
      assert.ok(objective.planeLosses, 'the MLP has its own way');
      const fast = lossesOnPlane(objective, { center, x, y, as, bs });
      const theta = new Float64Array(p);
      bs.forEach((b, j) =>
        as.forEach((a, i) => {
          for (let k = 0; k < p; k++) theta[k] = center[k] + a * x[k] + b * y[k];
          const direct = objective.loss(theta);
          assert.ok(
            Math.abs(fast[j][i] - direct) <= 1e-13 * Math.abs(direct),
            `(${a}, ${b}): ${fast[j][i]} vs ${direct}`,
          );
        }),
      );
    });
  }
});
