import assert from 'node:assert/strict';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { hessianBlockSize } from '../../../src/core/model/mlpHessian';
import { withWeightDecay } from '../../../src/core/model/objective';
import { Random } from '../../../src/core/rng';
import { initialParameters } from '../../../src/core/optim/init';
import {
  ACTIVATION_NAMES,
  type Activation,
  type LayerSpec,
  type LossName,
} from '../../../src/core/vocabulary';
import { assertClose, finiteDifferenceGradient, finiteDifferenceHvp } from '../../helpers/numeric';
import { tanh64 } from '../../../src/core/kernels/tanh';
import { LOSSES } from '../../../src/core/model/losses';
import { LOSS_NAMES } from '../../../src/protocol/result';

const ACTIVATIONS: readonly Activation[] = ACTIVATION_NAMES;

/**
 * A random network and dataset that fit the loss, as its table entry says: one-hot rows for
 * class targets, values in [0, 1] for probabilities, a last activation it allows.
 */
function randomProblem(
  random: Random,
  loss: LossName,
  hiddenActivation: Activation,
  depth: number,
) {
  const { targets: kind, lastActivation: allowed } = LOSSES[loss];
  const inputDim = 1 + random.below(3);
  const outputs = kind === 'classes' ? 3 : 1 + random.below(2);
  const layers: LayerSpec[] = [];
  for (let l = 0; l < depth; l++)
    layers.push({
      units: 2 + random.below(3),
      activation: hiddenActivation,
      bias: random.next() < 0.7,
    });
  const lastActivation: Activation = allowed
    ? allowed.allowed[0]
    : ACTIVATIONS[random.below(ACTIVATIONS.length - 1)];
  layers.push({ units: outputs, activation: lastActivation, bias: true });
  const samples = 7;
  const inputs = Float64Array.from({ length: samples * inputDim }, () => random.normal());
  const targets = new Float64Array(samples * outputs);
  for (let n = 0; n < samples; n++) {
    if (kind === 'classes') targets[n * outputs + random.below(outputs)] = 1;
    else
      for (let k = 0; k < outputs; k++)
        targets[n * outputs + k] = kind === 'probabilities' ? random.next() : random.normal();
  }
  const architecture = new MlpArchitecture(inputDim, layers);
  const objective = new MlpObjective(architecture, inputs, targets, samples, loss);
  const theta = Float64Array.from(
    { length: architecture.parameterCount },
    () => 0.8 * random.normal(),
  );
  return { objective, theta, architecture };
}

describe('the dense Hessian by blocks of unit directions', () => {
  // The reference: one full R-pass per parameter, column by column. The block version skips
  // the zeros of a unit direction and the upper triangle; every entry must agree.
  const cases: [LossName, Activation, number[], boolean][] = [
    ['mse', 'tanh', [3], true],
    ['mse', 'relu', [4, 3], false],
    ['bce', 'softplus', [3, 5, 2], true],
    ['cross-entropy', 'silu', [2, 3, 4], true],
    ['cross-entropy', 'sigmoid', [], false],
  ];
  for (const [loss, activation, hidden, bias] of cases) {
    it(`${loss}, ${activation}, hidden ${hidden.join('-') || 'none'}${bias ? '' : ', no bias'}`, () => {
      const random = new Random(hidden.length * 7 + 3);
      const outputs = loss === 'cross-entropy' ? 3 : 2;
      const architecture = new MlpArchitecture(3, [
        ...hidden.map((units) => ({ units, activation, bias })),
        { units: outputs, activation: loss === 'bce' ? 'sigmoid' : 'linear', bias },
      ]);
      const samples = 9;
      const inputs = Float64Array.from({ length: samples * 3 }, () => random.normal());
      const targets = Float64Array.from({ length: samples * outputs }, (_, i) =>
        loss === 'cross-entropy'
          ? Number(i % outputs === Math.floor(i / outputs) % outputs)
          : random.next(),
      );
      const objective = new MlpObjective(architecture, inputs, targets, samples, loss);
      const theta = Float64Array.from({ length: architecture.parameterCount }, () =>
        random.normal(),
      );
      const blocks = objective.hessian(theta);
      const columns = objective.hessianByColumns(theta);
      const scale = Math.max(...columns.map(Math.abs));
      blocks.forEach((value, k) =>
        assert.ok(
          Math.abs(value - columns[k]) <= 1e-13 * scale,
          `entry ${k}: ${value} vs ${columns[k]}`,
        ),
      );
    });
  }
});

describe("the block Hessian's block size", () => {
  it('is no larger than a layer: 6 directions for a 2-2-1 network on 4 samples', () => {
    // Layer 1 has 2·2 weights + 2 biases, layer 2 has 2 + 1; the memory cap alone would
    // allow 2²⁰/(4·2) = 131072 directions, 80 MB of scratch for 9 parameters.
    const xor = new MlpArchitecture(2, [
      { units: 2, activation: 'tanh', bias: true },
      { units: 1, activation: 'linear', bias: true },
    ]);
    assert.equal(hessianBlockSize(xor, 4), 6);
  });

  it('keeps each buffer under 2²⁰ values: 1 direction for 784-128-10 on 1000 samples', () => {
    const wide = new MlpArchitecture(784, [
      { units: 128, activation: 'relu', bias: true },
      { units: 10, activation: 'linear', bias: true },
    ]);
    // 2²⁰ / (1000 · 784) = 1.3
    assert.equal(hessianBlockSize(wide, 1000), 1);
    assert.equal(hessianBlockSize(wide, 10), 133);
  });
});

describe('MLP exact derivatives against central finite differences', () => {
  // Every loss of the table, with every activation below it.
  const losses: readonly LossName[] = LOSS_NAMES;
  for (const loss of losses) {
    for (const activation of ACTIVATIONS) {
      it(`${loss}, hidden ${activation}: gradient, Hessian-vector product and dense Hessian`, () => {
        const random = new Random(
          1000 + losses.indexOf(loss) * 10 + ACTIVATIONS.indexOf(activation),
        );
        for (let trial = 0; trial < 3; trial++) {
          const { objective, theta } = randomProblem(random, loss, activation, 1 + trial);
          const p = objective.parameterCount;
          const gradient = new Float64Array(p);
          const value = objective.lossAndGradient(theta, gradient);
          assert.equal(value, objective.loss(theta));
          assertClose(gradient, finiteDifferenceGradient(objective, theta), 1e-7, 'gradient');

          const v = Float64Array.from({ length: p }, () => random.normal());
          const hv = new Float64Array(p);
          objective.hessianVectorProduct(theta, v, hv);
          assertClose(hv, finiteDifferenceHvp(objective, theta, v), 1e-6, 'Hv');

          const h = objective.hessian(theta);
          const fromDense = new Float64Array(p);
          for (let i = 0; i < p; i++)
            for (let j = 0; j < p; j++) fromDense[i] += h[i * p + j] * v[j];
          assertClose(fromDense, hv, 1e-12, 'dense H·v');
          for (let i = 0; i < p; i++)
            for (let j = 0; j < i; j++)
              assert.ok(
                Math.abs(h[i * p + j] - h[j * p + i]) <= 1e-12 * (1 + Math.abs(h[i * p + j])),
                'H symmetric',
              );
        }
      });
    }
  }

  it('minibatch gradient equals the full gradient of the selected rows', () => {
    const random = new Random(7);
    const { objective, theta } = randomProblem(random, 'mse', 'tanh', 2);
    const p = objective.parameterCount;
    const all = new Uint32Array([0, 1, 2, 3, 4, 5, 6]);
    const full = new Float64Array(p);
    const batch = new Float64Array(p);
    const fullValue = objective.lossAndGradient(theta, full);
    const batchValue = objective.batchLossAndGradient(theta, all, batch);
    assert.ok(Math.abs(fullValue - batchValue) < 1e-15);
    assertClose(batch, full, 1e-15, 'batch');
  });

  it('weight decay adds (λ/2)‖θ‖², λθ and λI exactly', () => {
    const random = new Random(9);
    const { objective, theta } = randomProblem(random, 'mse', 'tanh', 1);
    const lambda = 0.3;
    const decayed = withWeightDecay(objective, lambda);
    const p = objective.parameterCount;
    const squared = theta.reduce((s, t) => s + t * t, 0);
    assert.ok(
      Math.abs(decayed.loss(theta) - objective.loss(theta) - 0.5 * lambda * squared) < 1e-14,
    );
    const g = new Float64Array(p);
    decayed.lossAndGradient(theta, g);
    assertClose(g, finiteDifferenceGradient(decayed, theta), 1e-7, 'decayed gradient');
    const h0 = objective.hessian(theta);
    const h1 = decayed.hessian(theta);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++)
        assert.equal(h1[i * p + j], h0[i * p + j] + (i === j ? lambda : 0));
  });
});

describe('the blocked forward kernel', () => {
  it('gives bit-identical outputs to the plain loops, for row and unit counts that do not divide the blocks', () => {
    const random = new Random(31);
    const layers: LayerSpec[] = [
      { units: 5, activation: 'tanh', bias: true },
      { units: 3, activation: 'relu', bias: false },
      { units: 2, activation: 'linear', bias: true },
    ];
    const architecture = new MlpArchitecture(3, layers);
    const samples = 7;
    const inputs = Float64Array.from({ length: samples * 3 }, () => random.normal());
    const objective = new MlpObjective(
      architecture,
      inputs,
      new Float64Array(samples * 2),
      samples,
      'mse',
    );
    const theta = Float64Array.from({ length: architecture.parameterCount }, () => random.normal());
    const expected: number[] = [];
    for (let n = 0; n < samples; n++) {
      let a = Array.from(inputs.subarray(n * 3, n * 3 + 3));
      for (const layer of architecture.layers) {
        a = Array.from({ length: layer.units }, (_, i) => {
          let z = layer.biasOffset >= 0 ? theta[layer.biasOffset + i] : 0;
          for (let j = 0; j < layer.inputs; j++)
            z += a[j] * theta[layer.weightOffset + i * layer.inputs + j];
          return layer.activation === 'tanh'
            ? tanh64(z)
            : layer.activation === 'relu'
              ? Math.max(0, z)
              : z;
        });
      }
      expected.push(...a);
    }
    assert.deepEqual(Array.from(objective.predict(theta)), expected);
  });
});

describe('linear regression with MSE', () => {
  it('has exactly the Hessian (2/N)·X̃ᵀX̃ with X̃ = [X, 1], in the order weights then bias', () => {
    // N = 4 and small dyadic inputs: every product and sum is exact in float64, so the
    // R-operator's Hessian must equal the formula bit for bit.
    const rows = [
      [1, 2],
      [0, -1],
      [3, 1],
      [-2, 0.5],
    ];
    const inputs = Float64Array.from(rows.flat());
    const targets = Float64Array.from([1, 0, 2, -1]);
    const architecture = new MlpArchitecture(2, [{ units: 1, activation: 'linear', bias: true }]);
    const objective = new MlpObjective(architecture, inputs, targets, 4, 'mse');
    const h = Array.from(objective.hessian(Float64Array.from([0.3, -0.7, 0.1])));
    // By hand: Σx₁² = 14, Σx₁x₂ = 2 + 0 + 3 − 1 = 4, Σx₁ = 2, Σx₂² = 6.25, Σx₂ = 2.5, N = 4; times 2/4.
    assert.deepEqual(h, [7, 2, 1, 2, 3.125, 1.25, 1, 1.25, 2]);
  });
});

/**
 * A network with the given hidden layers and an output layer that fits the loss (one unit per
 * class for cross-entropy), on 6 random samples with targets of the loss's kind, and a random θ.
 */
function problemWith(random: Random, loss: LossName, hidden: LayerSpec[]) {
  const { targets: kind, lastActivation: allowed } = LOSSES[loss];
  const [inputDim, outputs, samples] = [2, kind === 'classes' ? 3 : 1, 6];
  const layers: LayerSpec[] = [
    ...hidden,
    { units: outputs, activation: allowed ? allowed.allowed[0] : 'linear', bias: true },
  ];
  const inputs = Float64Array.from({ length: samples * inputDim }, () => random.normal());
  const targets = new Float64Array(samples * outputs);
  for (let n = 0; n < samples; n++) {
    if (kind === 'classes') targets[n * outputs + random.below(outputs)] = 1;
    else targets[n] = kind === 'probabilities' ? random.next() : random.normal();
  }
  const architecture = new MlpArchitecture(inputDim, layers);
  const objective = new MlpObjective(architecture, inputs, targets, samples, loss);
  const theta = Float64Array.from({ length: architecture.parameterCount }, () => random.normal());
  return { objective, theta, architecture, inputs, targets, samples, layers };
}

/**
 * The gradient against finite differences (1e-7), a Hessian-vector product against finite
 * differences of gradients (1e-6), and the block Hessian against the column-by-column one
 * (1e-12).
 */
function checkExactDerivatives(objective: MlpObjective, theta: Float64Array, random: Random) {
  const p = objective.parameterCount;
  const gradient = new Float64Array(p);
  assert.equal(objective.lossAndGradient(theta, gradient), objective.loss(theta));
  assertClose(gradient, finiteDifferenceGradient(objective, theta), 1e-7, 'gradient');
  const v = Float64Array.from({ length: p }, () => random.normal());
  const hv = new Float64Array(p);
  objective.hessianVectorProduct(theta, v, hv);
  assertClose(hv, finiteDifferenceHvp(objective, theta, v), 1e-6, 'Hv');
  assertClose(objective.hessian(theta), objective.hessianByColumns(theta), 1e-12, 'H');
}

describe('residual layers: a = act(W·x + b) + x', () => {
  // Hidden layers of one width; the layers between the first and the last add their input.
  function residualProblem(random: Random, loss: LossName, activation: Activation) {
    return problemWith(random, loss, [
      { units: 3, activation, bias: true },
      { units: 3, activation, bias: true, residual: true },
      { units: 3, activation, bias: false, residual: true },
    ]);
  }

  for (const loss of LOSS_NAMES)
    for (const activation of ['tanh', 'relu', 'sigmoid', 'silu'] as const)
      it(`${loss}, ${activation}: gradient and Hessian-vector product against finite differences`, () => {
        const random = new Random(77 + LOSS_NAMES.indexOf(loss) * 7 + activation.length);
        const { objective, theta } = residualProblem(random, loss, activation);
        checkExactDerivatives(objective, theta, random);
      });

  it('a residual layer with zero weights and bias under tanh passes its input on: the network without it', () => {
    const random = new Random(5);
    const { objective, theta, architecture, inputs, targets, samples, layers } = residualProblem(
      random,
      'mse',
      'tanh',
    );
    // Layer 3 (bias-free) gets W = 0: tanh(0) + x = x, so the network is layers 1, 2 and 4.
    const third = architecture.layers[2];
    theta.fill(0, third.weightOffset, third.weightOffset + third.units * third.inputs);
    const without = new MlpArchitecture(2, [layers[0], layers[1], layers[3]]);
    const shorter = new MlpObjective(without, inputs, targets, samples, 'mse');
    const kept = new Float64Array(without.parameterCount);
    kept.set(theta.subarray(0, third.weightOffset));
    kept.set(theta.subarray(third.weightOffset + third.units * third.inputs), third.weightOffset);
    assert.equal(objective.loss(theta), shorter.loss(kept));
  });

  it('refuses a residual layer that is the first, the last, or of another width than its input', () => {
    const hidden = (units: number, residual = false): LayerSpec => ({
      units,
      activation: 'tanh',
      bias: true,
      residual,
    });
    assert.throws(() => new MlpArchitecture(3, [hidden(3, true), hidden(1)]), /layer 1 cannot/);
    assert.throws(() => new MlpArchitecture(2, [hidden(3), hidden(4, true), hidden(1)]), /layer 2/);
    assert.throws(() => new MlpArchitecture(2, [hidden(3), hidden(3, true)]), /layer 2/);
  });
});

describe('layer norm: a = γ ⊙ (u − mean u)/√(var u + ε) + β, after the activation and the skip', () => {
  // Norms on a plain layer, on a residual one and on the layer under a residual one: every
  // path through the norm's mean and spread, its gain and shift, and the skips around it.
  function normProblem(random: Random, loss: LossName, activation: Activation) {
    return problemWith(random, loss, [
      { units: 3, activation, bias: true, norm: 'layer' },
      { units: 3, activation, bias: true, residual: true, norm: 'layer' },
      { units: 3, activation, bias: false, residual: true },
    ]);
  }

  for (const loss of LOSS_NAMES)
    for (const activation of ['tanh', 'relu', 'linear', 'silu'] as const)
      it(`${loss}, ${activation}: gradient, Hessian-vector product and block Hessian`, () => {
        const random = new Random(31 + LOSS_NAMES.indexOf(loss) * 11 + activation.length);
        const { objective, theta } = normProblem(random, loss, activation);
        checkExactDerivatives(objective, theta, random);
      });

  it('puts γ and β right after the layer’s W and b, named after it, starting at 1 and 0', () => {
    const architecture = new MlpArchitecture(2, [
      { units: 3, activation: 'tanh', bias: true, norm: 'layer' },
      { units: 1, activation: 'linear', bias: true },
    ]);
    // W (3 × 2) at 0, b at 6, γ at 9, β at 12, then layer 2's W at 15 and b at 18.
    assert.equal(architecture.layers[0].normOffset, 9);
    assert.equal(architecture.layers[1].weightOffset, 15);
    assert.equal(architecture.parameterCount, 19);
    const names = architecture.parameterNames();
    assert.deepEqual(names.slice(9, 15), [
      'layer1.norm.weight[0]',
      'layer1.norm.weight[1]',
      'layer1.norm.weight[2]',
      'layer1.norm.bias[0]',
      'layer1.norm.bias[1]',
      'layer1.norm.bias[2]',
    ]);
    assert.equal(architecture.parameterIndex('layer1.norm.bias[2]'), 14);
    assert.equal(architecture.parameterIndex('layer1.norm.bias[3]'), -1);
    assert.throws(
      () => new MlpArchitecture(2, [{ units: 1, activation: 'linear', bias: true, norm: 'layer' }]),
      /output layer/,
    );
    const theta = initialParameters('xavier', 1, 19, architecture, new Random(1));
    assert.deepEqual(Array.from(theta.subarray(9, 15)), [1, 1, 1, 0, 0, 0]);
  });

  it('normalizes as by hand: units (1, 2, 3) become (−1, 0, 1)/√(2/3 + ε)', () => {
    // u = (1, 2, 3): mean 2, variance 2/3, x̂ = (u − 2)/√(2/3 + ε); with γ = 1, β = 0 and an
    // identity first layer (W = I-like rows), the output is the sum of x̂ weighted by layer 2.
    const architecture = new MlpArchitecture(1, [
      { units: 3, activation: 'linear', bias: true, norm: 'layer' },
      { units: 1, activation: 'linear', bias: false },
    ]);
    const theta = new Float64Array(architecture.parameterCount);
    theta.set([1, 2, 3], 0); // W: u = x·(1, 2, 3) at x = 1
    theta.fill(1, 6, 9); // γ
    theta.set([-1, 0, 1], 12); // layer 2 reads x̂₃ − x̂₁
    const objective = new MlpObjective(
      architecture,
      Float64Array.of(1),
      Float64Array.of(0),
      1,
      'mse',
    );
    const [output] = objective.predict(theta);
    assert.ok(Math.abs(output - 2 / Math.sqrt(2 / 3 + 1e-5)) < 1e-15);
  });
});

describe('skips around k layers: a_l = act(W·a_{l−1} + b) + a_{l−k}', () => {
  // A two-layer block (3 → 5 → 3, the skip around both, normed at its end), then a one-layer
  // skip: the skips cross a layer of another width, a norm and each other's streams.
  function blockProblem(random: Random, loss: LossName, activation: Activation) {
    return problemWith(random, loss, [
      { units: 3, activation, bias: true },
      { units: 5, activation, bias: true },
      { units: 3, activation, bias: false, residual: 2, norm: 'layer' },
      { units: 3, activation, bias: true, residual: true },
    ]);
  }

  for (const loss of LOSS_NAMES)
    for (const activation of ['tanh', 'relu', 'silu'] as const)
      it(`${loss}, ${activation}: gradient, Hessian-vector product and block Hessian`, () => {
        const random = new Random(57 + LOSS_NAMES.indexOf(loss) * 5 + activation.length);
        const { objective, theta } = blockProblem(random, loss, activation);
        checkExactDerivatives(objective, theta, random);
      });

  it('a block whose last layer is zero under tanh passes the block’s input on', () => {
    // Layer 3 (bias-free, skip around 2) with W = 0 gives tanh(0) + a₁ = a₁, before its norm:
    // the network is then layer 1, the norm, and the layers above.
    const random = new Random(9);
    const { objective, theta, architecture } = blockProblem(random, 'mse', 'tanh');
    const third = architecture.layers[2];
    theta.fill(0, third.weightOffset, third.weightOffset + third.units * third.inputs);
    // Layer 2's weights then do nothing: changing them leaves the loss as it is.
    const second = architecture.layers[1];
    const moved = Float64Array.from(theta);
    for (let i = second.weightOffset; i < third.weightOffset; i++) moved[i] += 0.3;
    assert.equal(objective.loss(moved), objective.loss(theta));
  });

  it('refuses a skip around more layers than there are below, or between layers of other widths', () => {
    const layer = (units: number, residual?: number | boolean): LayerSpec => ({
      units,
      activation: 'tanh',
      bias: true,
      residual,
    });
    assert.throws(() => new MlpArchitecture(2, [layer(3), layer(3, 2), layer(1)]), /layer 2/);
    assert.throws(
      () => new MlpArchitecture(2, [layer(3), layer(4), layer(4, 2), layer(1)]),
      /layer 3/,
    );
    const fine = new MlpArchitecture(2, [layer(3), layer(4), layer(3, 2), layer(1)]);
    assert.equal(fine.layers[2].skipFrom, 0);
    assert.deepEqual(fine.layers[0].skippedBy, [2]);
  });
});
