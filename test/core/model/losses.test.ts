// The losses of the table on values worked out by hand, beyond their derivative checks
// (mlpDerivatives.test.ts runs every loss of the table against finite differences).
import assert from 'node:assert/strict';
import type { Dataset } from '../../../src/core/data/dataset';
import { LOSSES, outputLoss } from '../../../src/core/model/losses';

const column = (targets: number[]): Dataset => ({
  samples: targets.length,
  inputDim: 1,
  targetDim: 1,
  inputs: new Float64Array(targets.length),
  targets: Float64Array.from(targets),
  inputNames: ['x'],
  targetNames: ['y'],
});

describe('the Huber loss (δ = 1, as torch.nn.HuberLoss)', () => {
  // Residuals 0.5 (quadratic part), 3 and −2 (linear part) against zero targets.
  const z = Float64Array.of(0.5, 3, -2);
  const y = new Float64Array(3);

  it('½r² inside, |r| − ½ outside, averaged over samples: (0.125 + 2.5 + 1.5)/3', () => {
    const dz = new Float64Array(3);
    const loss = outputLoss('huber', 1, 'linear');
    assert.equal(loss.valueAndGradient({ z, a: z, y, rows: 3 }, dz), 4.125 / 3);
    // dL/dz: the residual clipped to ±1, over the samples.
    assert.deepEqual([...dz], [0.5 / 3, 1 / 3, -1 / 3]);
  });

  it('curves only inside: its Hessian along z is 1/N where |r| ≤ 1 and 0 beyond', () => {
    const out = new Float64Array(3);
    const batch = { z, a: z, y, rows: 3 };
    outputLoss('huber', 1, 'linear').hessianVector(batch, Float64Array.of(1, 1, 1), out);
    assert.deepEqual([...out], [1 / 3, 0, 0]);
  });

  it("its unit is the zero predictor's loss, and it can reach 0", () => {
    assert.equal(LOSSES.huber.unit(column([0.5, 3])), (0.125 + 2.5) / 2);
    assert.equal(LOSSES.huber.lowerBound, 0);
    assert.equal(LOSSES.huber.targets, 'values');
  });
});

describe('the units of the other losses', () => {
  it('mse: mean Σ y² (1 for all-zero targets); bce: log 2; cross-entropy: log K', () => {
    assert.equal(LOSSES.mse.unit(column([1, 2, 3])), 14 / 3);
    assert.equal(LOSSES.mse.unit(column([0, 0])), 1);
    assert.equal(LOSSES.bce.unit(column([0, 1])), Math.LN2);
    assert.equal(LOSSES['cross-entropy'].unit({ ...column([0, 1, 0]), targetDim: 3 }), Math.log(3));
  });
});
