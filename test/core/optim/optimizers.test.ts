// Each optimizer of the table on steps worked out by hand, as PyTorch's optimizers take them
// (torch.optim.SGD, SGD(momentum), Adam, RMSprop with their default settings).
import assert from 'node:assert/strict';
import {
  createOptimizer,
  HYPERPARAMETERS,
  optimizerSettings,
  OPTIMIZERS,
} from '../../../src/core/optim/optimizers';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../../src/core/vocabulary';

/** θ after each of the steps, from θ = 1 with the gradients given, η = 0.1. */
function steps(name: OptimizerName, gradients: number[], given = {}): number[] {
  const optimizer = createOptimizer(name, 1, 0.1, optimizerSettings(name, given));
  const theta = Float64Array.of(1);
  return gradients.map((g) => {
    optimizer.step(theta, Float64Array.of(g));
    return theta[0];
  });
}

const close = (actual: number[], expected: number[]) =>
  actual.forEach((value, k) =>
    assert.ok(Math.abs(value - expected[k]) < 1e-15, `step ${k}: ${value} vs ${expected[k]}`),
  );

describe('the optimizers', () => {
  it('gd and sgd: θ ← θ − η∇L', () => {
    assert.deepEqual(steps('gd', [2, -1]), [1 - 0.2, 1 - 0.2 + 0.1]);
    assert.deepEqual(steps('sgd', [2]), [0.8]);
  });

  it('momentum (μ = 0.9): v = 2, then 0.9·2 − 1 = 0.8', () => {
    close(steps('momentum', [2, -1]), [1 - 0.2, 1 - 0.2 - 0.08]);
    // μ from the file.
    close(steps('momentum', [2, -1], { momentum: 0.5 }), [0.8, 0.8 - 0.1 * (0.5 * 2 - 1)]);
  });

  it('adam: its first step is η·g/(|g| + ε) whatever the gradient (bias correction)', () => {
    close(steps('adam', [2]), [1 - (0.1 * 2) / (2 + 1e-8)]);
    close(steps('adam', [-300]), [1 + (0.1 * 300) / (300 + 1e-8)]);
    // Two steps with β₁ = β₂ = ½: m = 1 then ½·1 + ½·4 = 2.5, v = 2 then ½·2 + ½·16 = 9;
    // corrected by 1 − ¼: m̂ = 10/3, v̂ = 12.
    const second = 1 - (0.1 * 2) / (2 + 1e-8) - (0.1 * (10 / 3)) / (Math.sqrt(12) + 1e-8);
    close(steps('adam', [2, 4], { beta1: 0.5, beta2: 0.5 }), [1 - (0.1 * 2) / (2 + 1e-8), second]);
  });

  it('rmsprop (α = 0.99): v = 0.01·g², so its first step is η·g/(0.1·|g| + ε)', () => {
    close(steps('rmsprop', [2]), [1 - (0.1 * 2) / (Math.sqrt(0.04) + 1e-8)]);
    // Then v = 0.99·0.04 + 0.01·1 = 0.0496.
    close(steps('rmsprop', [2, 1]), [
      1 - (0.1 * 2) / (Math.sqrt(0.04) + 1e-8),
      1 - (0.1 * 2) / (Math.sqrt(0.04) + 1e-8) - 0.1 / (Math.sqrt(0.0496) + 1e-8),
    ]);
  });

  it('every setting an optimizer uses is a described hyperparameter, with a default in range', () => {
    for (const name of OPTIMIZER_NAMES)
      for (const [key, value] of Object.entries(OPTIMIZERS[name].defaults)) {
        const setting = HYPERPARAMETERS[key as keyof typeof HYPERPARAMETERS];
        assert.ok(setting, `${name}: ${key} is described`);
        const { minimum, exclusiveMinimum, exclusiveMaximum } = setting as {
          minimum?: number;
          exclusiveMinimum?: number;
          exclusiveMaximum?: number;
        };
        assert.ok(minimum === undefined || value >= minimum, `${name}.${key}`);
        assert.ok(exclusiveMinimum === undefined || value > exclusiveMinimum, `${name}.${key}`);
        assert.ok(exclusiveMaximum === undefined || value < exclusiveMaximum, `${name}.${key}`);
      }
  });
});
