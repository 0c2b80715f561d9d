import assert from 'node:assert/strict';
import { analyzePoint, type PointContext } from '../../../src/core/analysis/analyzePoint';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import type { Objective } from '../../../src/core/model/objective';
import { Random } from '../../../src/core/rng';
import type { LayerSpec } from '../../../src/core/vocabulary';
import { pointAnalysis } from '../../helpers/pointAnalysis';

const analysis = pointAnalysis({ exactLimit: 1000 });

/** L(x, y) given by formulas, no data. */
function formula(
  loss: (x: number, y: number) => number,
  gradient: (x: number, y: number) => [number, number],
  hessian: (x: number, y: number) => number[][],
): Objective {
  return {
    parameterCount: 2,
    samples: 1,
    parameterNames: ['x', 'y'],
    loss: (t) => loss(t[0], t[1]),
    lossAndGradient(t, out) {
      out.set(gradient(t[0], t[1]));
      return loss(t[0], t[1]);
    },
    batchLossAndGradient(t, _rows, out) {
      out.set(gradient(t[0], t[1]));
      return loss(t[0], t[1]);
    },
    hessianVectorProduct(t, v, out) {
      const h = hessian(t[0], t[1]);
      out.set([h[0][0] * v[0] + h[0][1] * v[1], h[1][0] * v[0] + h[1][1] * v[1]]);
    },
    hessian: (t) => Float64Array.from(hessian(t[0], t[1]).flat()),
  };
}

const noData = {
  samples: 0,
  inputDim: 0,
  targetDim: 0,
  inputs: new Float64Array(0),
  targets: new Float64Array(0),
  inputNames: [],
  targetNames: [],
};
const plain: PointContext = {
  lossLowerBound: null,
  lossScale: 1,
  architecture: null,
  weightDecay: 0,
  dataset: noData,
};
const origin = Float64Array.of(0, 0);

describe('zero eigenvalues decided beyond the Hessian', () => {
  it('x³ + y² at 0: no negative eigenvalue, but a cubic descent: a saddle found by probing', () => {
    const objective = formula(
      (x, y) => x ** 3 + y * y,
      (x, y) => [3 * x * x, 2 * y],
      (x) => [
        [6 * x, 0],
        [0, 2],
      ],
    );
    const { verdict } = analyzePoint(objective, origin, analysis, plain);
    assert.deepEqual(
      [verdict.kind, verdict.index, verdict.nullity, verdict.method],
      ['saddle', 0, 1, 'probe'],
    );
    assert.match(verdict.reason, /falls like t³/);
  });

  it('y² − x⁴ at 0: a quartic descent, also a saddle', () => {
    const objective = formula(
      (x, y) => y * y - x ** 4,
      (x, y) => [-4 * x ** 3, 2 * y],
      (x) => [
        [-12 * x * x, 0],
        [0, 2],
      ],
    );
    const { verdict } = analyzePoint(objective, origin, analysis, plain);
    assert.deepEqual([verdict.kind, verdict.method], ['saddle', 'probe']);
    assert.match(verdict.reason, /falls like t⁴/);
  });

  it('x⁴ + y² at 0: no descent found, but nothing explains the zero: degenerate, not a claimed minimum', () => {
    const objective = formula(
      (x, y) => x ** 4 + y * y,
      (x, y) => [4 * x ** 3, 2 * y],
      (x) => [
        [12 * x * x, 0],
        [0, 2],
      ],
    );
    const { verdict } = analyzePoint(objective, origin, analysis, plain);
    assert.deepEqual([verdict.kind, verdict.index, verdict.nullity], ['degenerate', 0, 1]);
    assert.match(verdict.reason, /symmetries explain 0/);
  });
});

/** A network fitted exactly to data it generated (the teacher), analyzed at the teacher. */
function teacher(layers: LayerSpec[], theta: number[], samples: number) {
  const random = new Random(21);
  const architecture = new MlpArchitecture(2, layers);
  const inputs = Float64Array.from({ length: samples * 2 }, () => random.normal());
  const zeros = new Float64Array(samples);
  const targets = new MlpObjective(architecture, inputs, zeros, samples, 'mse').predict(
    Float64Array.from(theta),
  );
  const objective = new MlpObjective(architecture, inputs, targets, samples, 'mse');
  const dataset = {
    samples,
    inputDim: 2,
    targetDim: 1,
    inputs,
    targets,
    inputNames: ['x1', 'x2'],
    targetNames: ['y'],
  };
  const context: PointContext = {
    lossLowerBound: 0,
    lossScale: 1,
    architecture,
    weightDecay: 0,
    dataset,
  };
  return analyzePoint(objective, Float64Array.from(theta), analysis, context);
}

describe('symmetries explain zero eigenvalues', () => {
  it('a relu 2-3-1 teacher: exactly 3 zero eigenvalues, one rescaling per relu unit', () => {
    // Units switch on and off across the data (biases and mixed-sign weights), so the only
    // flat directions are the three rescalings (c·w_in, c·b, w_out/c).
    const result = teacher(
      [
        { units: 3, activation: 'relu', bias: true },
        { units: 1, activation: 'linear', bias: true },
      ],
      [1, -0.5, -0.7, 1.2, 0.4, 0.9, 0.2, -0.3, 0.1, 1.5, -2, 0.8, 0.25],
      30,
    );
    assert.equal(result.loss, 0);
    assert.equal(result.verdict.kind, 'minimum');
    assert.equal(result.verdict.nullity, 3);
    assert.match(result.verdict.reason, /3 relu rescalings/);
  });

  it('a linear 2-1-1 teacher with biases: 2 zero eigenvalues, GL(1) scaling and one bias shift', () => {
    // y = w₂(W₁x + b₁) + b₂ is an affine map with 3 numbers; the network has 5 parameters.
    const result = teacher(
      [
        { units: 1, activation: 'linear', bias: true },
        { units: 1, activation: 'linear', bias: true },
      ],
      [0.5, -1, 0.3, 2, -0.4],
      12,
    );
    assert.equal(result.verdict.kind, 'minimum');
    assert.equal(result.verdict.nullity, 2);
    assert.match(result.verdict.reason, /GL\(1\) mixing.*bias shift/);
  });
});

describe('a layer norm’s flat directions are counted and named', () => {
  // θ of a 2-3-1 network with a norm on its hidden layer: W₁ (3 × 2), b₁, γ, β, w₂, b₂. The
  // biases keep some relu unit on at every sample: where all are off, u = 0 and only the
  // norm's ε sets its scale, with curvatures of order 1/√ε that drown the small eigenvalues.
  const theta = [1, -0.5, -0.7, 1.2, 0.4, 0.9, 1, 0.8, 1.2, 1.3, 0.8, -1.1, 0.3, -0.2, 0.5];
  const withTheta = (outgoing: number[]) => [...theta, ...outgoing, 0.25];

  it('relu under the norm: its scale, 3 gains, 3 shifts of β and the zero mean: 8 zero eigenvalues', () => {
    // The norm divides u = relu(W₁x + b₁) by its spread, so (W₁, b₁) → c·(W₁, b₁) changes
    // nothing (1); γᵢ, βᵢ × c with w₂ᵢ ÷ c (3); β + δ with b₂ − w₂·δ (3); and x̂ sums to zero
    // over the units, so w₂ᵢ + c/γᵢ with b₂ − c·Σβᵢ/γᵢ (1). No relu unit rescales alone.
    const result = teacher(
      [
        { units: 3, activation: 'relu', bias: true, norm: 'layer' },
        { units: 1, activation: 'linear', bias: true },
      ],
      withTheta([1.5, -2, 0.8]),
      30,
    );
    assert.equal(result.loss, 0);
    assert.equal(result.verdict.kind, 'minimum');
    assert.equal(result.verdict.nullity, 8);
    assert.match(
      result.verdict.reason,
      /1 scaling of layer 1's weights, which layer 1's norm divides out/,
    );
    assert.match(result.verdict.reason, /3 rescalings of layer 1's norm's gain and shift/);
    assert.doesNotMatch(result.verdict.reason, /relu rescaling/);
  });

  it('an identity layer under the norm adds its shifts (3) and a rotation of the zero-mean plane (1): 12', () => {
    const result = teacher(
      [
        { units: 3, activation: 'linear', bias: true, norm: 'layer' },
        { units: 1, activation: 'linear', bias: true },
      ],
      withTheta([1.5, -2, 0.8]),
      30,
    );
    assert.equal(result.verdict.kind, 'minimum');
    assert.equal(result.verdict.nullity, 12);
    assert.match(
      result.verdict.reason,
      /3 shifts of every unit of layer 1 at once, which layer 1's norm subtracts/,
    );
    assert.match(result.verdict.reason, /O\(2\) rotations within layer 1's norm's zero-mean space/);
  });
});
