import assert from 'node:assert/strict';
import { groupEquivalent, type Analyzed } from '../../../src/core/analysis/classes';
import { alignNetworks, canonicalScale } from '../../../src/core/analysis/equivalence';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { MlpObjective } from '../../../src/core/model/mlp';
import { Random } from '../../../src/core/rng';

// The seed's 2-2-1 network (no biases): θ = W1 row-major, then W2.
const twins = new MlpArchitecture(2, [
  { units: 2, activation: 'tanh', bias: false },
  { units: 1, activation: 'linear', bias: false },
]);
const A = Float64Array.of(-1.5, 2.0, 1.7, 0.4, 2.3, 0.8);
const B = Float64Array.of(1.7, 0.4, -1.5, 2.0, 0.8, 2.3);

function analyzed(id: string, parameters: Float64Array): Analyzed {
  return { id, parameters, loss: 0, gradientNorm: 0, verdict: 'minimum', smallestCurvature: null };
}

function outputsOf(architecture: MlpArchitecture, samples = 40) {
  const random = new Random(11);
  const inputs = Float64Array.from({ length: samples * architecture.inputDim }, () =>
    random.normal(),
  );
  const objective = new MlpObjective(
    architecture,
    inputs,
    new Float64Array(samples * architecture.outputDim),
    samples,
    'mse',
  );
  return (theta: Float64Array) => objective.predict(theta);
}

describe('weight matching', () => {
  it("finds the seed's swap: B is A with hidden units 0 and 1 exchanged", () => {
    const alignment = alignNetworks(twins, A, B)!;
    assert.deepEqual(alignment.permutation, [[1, 0]]);
    assert.deepEqual(alignment.signs, [[1, 1]]);
    assert.deepEqual(Array.from(alignment.aligned), Array.from(A));
  });

  it('undoes a negated tanh unit (in-weights and out-weight together)', () => {
    const negated = Float64Array.of(1.5, -2.0, 1.7, 0.4, -2.3, 0.8);
    const alignment = alignNetworks(twins, A, negated)!;
    assert.deepEqual(alignment.permutation, [[0, 1]]);
    assert.deepEqual(alignment.signs, [[-1, 1]]);
    assert.deepEqual(Array.from(alignment.aligned), Array.from(A));
  });

  it('recovers random permutations and signs in a network with two hidden layers', () => {
    const architecture = new MlpArchitecture(3, [
      { units: 5, activation: 'tanh', bias: true },
      { units: 4, activation: 'tanh', bias: true },
      { units: 2, activation: 'linear', bias: true },
    ]);
    const random = new Random(3);
    const a = Float64Array.from({ length: architecture.parameterCount }, () => random.normal());
    // Build b by permuting and negating a's hidden units by hand.
    const p1 = [3, 0, 4, 1, 2];
    const s1 = [1, -1, 1, 1, -1];
    const p2 = [2, 3, 1, 0];
    const s2 = [-1, 1, 1, -1];
    const [l1, l2, l3] = architecture.layers;
    const b = new Float64Array(a.length);
    for (let i = 0; i < 5; i++) {
      for (let c = 0; c < 3; c++)
        b[l1.weightOffset + p1[i] * 3 + c] = s1[i] * a[l1.weightOffset + i * 3 + c];
      b[l1.biasOffset + p1[i]] = s1[i] * a[l1.biasOffset + i];
    }
    for (let i = 0; i < 4; i++) {
      for (let c = 0; c < 5; c++)
        b[l2.weightOffset + p2[i] * 5 + p1[c]] = s2[i] * s1[c] * a[l2.weightOffset + i * 5 + c];
      b[l2.biasOffset + p2[i]] = s2[i] * a[l2.biasOffset + i];
    }
    for (let k = 0; k < 2; k++) {
      for (let c = 0; c < 4; c++)
        b[l3.weightOffset + k * 4 + p2[c]] = s2[c] * a[l3.weightOffset + k * 4 + c];
      b[l3.biasOffset + k] = a[l3.biasOffset + k];
    }
    const outputs = outputsOf(architecture);
    const [fa, fb] = [outputs(a), outputs(b)];
    assert.ok(
      fa.every((x, i) => Math.abs(x - fb[i]) < 1e-12),
      'the hand-made twin computes the same function',
    );
    const alignment = alignNetworks(architecture, a, b)!;
    // Unit i of b ↔ unit permutation[l][i] of a: the inverse of p.
    assert.deepEqual(alignment.permutation, [
      [1, 3, 4, 0, 2],
      [3, 2, 0, 1],
    ]);
    assert.ok(alignment.aligned.every((x, i) => Math.abs(x - a[i]) < 1e-15));
  });

  it('relu units rescaled by c > 0 (in) and 1/c (out) have the same canonical form', () => {
    const architecture = new MlpArchitecture(1, [
      { units: 2, activation: 'relu', bias: true },
      { units: 1, activation: 'linear', bias: true },
    ]);
    const a = Float64Array.of(3, -1, 4, 0.5, 2, -1, 0.3);
    // unit 0: in × 2, out ÷ 2; unit 1: in × 0.25, out × 4
    const b = Float64Array.of(6, -0.25, 8, 0.125, 1, -4, 0.3);
    const ca = canonicalScale(architecture, a);
    const cb = canonicalScale(architecture, b);
    ca.forEach((x, i) => assert.ok(Math.abs(x - cb[i]) < 1e-15));
    const alignment = alignNetworks(architecture, a, b)!;
    assert.deepEqual(alignment.permutation, [[0, 1]]);
    assert.deepEqual(alignment.scales, [[2, 0.25]]);
    alignment.aligned.forEach((x, i) =>
      assert.ok(Math.abs(x - a[i]) < 1e-14, `${i}: ${x} vs ${a[i]}`),
    );
  });
});

describe('weight matching with relu rescaling in two hidden layers', () => {
  it('undoes a rescaling of every unit in both layers plus a swap in the second', () => {
    const architecture = new MlpArchitecture(2, [
      { units: 2, activation: 'relu', bias: true },
      { units: 2, activation: 'relu', bias: true },
      { units: 1, activation: 'linear', bias: true },
    ]);
    const random = new Random(8);
    const a = Float64Array.from({ length: architecture.parameterCount }, () => random.normal());
    const [l1, l2, l3] = architecture.layers;
    // b: layer-1 units scaled by 2 and 0.5, layer-2 units scaled by 3 and 0.25, then swapped.
    const c1 = [2, 0.5];
    const c2 = [3, 0.25];
    const b = Float64Array.from(a);
    for (let i = 0; i < 2; i++) {
      for (let c = 0; c < 2; c++) b[l1.weightOffset + i * 2 + c] *= c1[i];
      b[l1.biasOffset + i] *= c1[i];
      for (let k = 0; k < 2; k++) b[l2.weightOffset + k * 2 + i] /= c1[i];
    }
    for (let i = 0; i < 2; i++) {
      for (let c = 0; c < 2; c++) b[l2.weightOffset + i * 2 + c] *= c2[i];
      b[l2.biasOffset + i] *= c2[i];
      b[l3.weightOffset + i] /= c2[i];
    }
    const swapped = Float64Array.from(b);
    for (let c = 0; c < 2; c++)
      [swapped[l2.weightOffset + c], swapped[l2.weightOffset + 2 + c]] = [
        b[l2.weightOffset + 2 + c],
        b[l2.weightOffset + c],
      ];
    [swapped[l2.biasOffset], swapped[l2.biasOffset + 1]] = [b[l2.biasOffset + 1], b[l2.biasOffset]];
    [swapped[l3.weightOffset], swapped[l3.weightOffset + 1]] = [
      b[l3.weightOffset + 1],
      b[l3.weightOffset],
    ];
    const outputs = outputsOf(architecture);
    const [fa, fb] = [outputs(a), outputs(swapped)];
    assert.ok(
      fa.every((x, i) => Math.abs(x - fb[i]) < 1e-12),
      'the same function',
    );
    const alignment = alignNetworks(architecture, a, swapped)!;
    // Unit i of the swapped network: layer 1 as scaled, layer 2 swapped (0.25 first, then 3).
    alignment.scales
      .flat()
      .forEach((c, k) => assert.ok(Math.abs(c - [2, 0.5, 0.25, 3][k]) < 1e-12, `scale ${k}: ${c}`));
    assert.deepEqual(alignment.permutation, [
      [0, 1],
      [1, 0],
    ]);
    alignment.aligned.forEach((x, i) =>
      assert.ok(Math.abs(x - a[i]) < 1e-12, `${i}: ${x} vs ${a[i]}`),
    );
  });
});

describe('classes of equivalent networks', () => {
  it('the twins form one class, B ≡ A by the permutation [[1, 0]]; a near-miss does not join', () => {
    const nearMiss = Float64Array.from(B);
    nearMiss[0] += 0.05;
    const { classes, equivalences } = groupEquivalent(
      [analyzed('A', A), analyzed('B', B), analyzed('C', nearMiss)],
      {
        architecture: twins,
        symmetries: true,
        outputs: outputsOf(twins),
      },
    );
    assert.deepEqual(
      classes.map((c) => c.members),
      [['A', 'B'], ['C']],
    );
    assert.deepEqual(equivalences.get('B'), {
      id: 'A',
      relation: 'permutation',
      permutation: [[1, 0]],
      distance: 0,
    });
    assert.equal(equivalences.get('C'), undefined);
  });

  it('sigmoid units cannot be negated: a sign-flipped sigmoid network is a different network', () => {
    const architecture = new MlpArchitecture(2, [
      { units: 2, activation: 'sigmoid', bias: false },
      { units: 1, activation: 'linear', bias: false },
    ]);
    const flipped = Float64Array.of(1.5, -2.0, 1.7, 0.4, -2.3, 0.8);
    const { classes } = groupEquivalent([analyzed('A', A), analyzed('F', flipped)], {
      architecture,
      symmetries: true,
      outputs: outputsOf(architecture),
    });
    assert.equal(classes.length, 2);
  });

  it('deep linear networks with the same end-to-end map are the same function (GL(k) mixing)', () => {
    const architecture = new MlpArchitecture(2, [
      { units: 2, activation: 'linear', bias: false },
      { units: 1, activation: 'linear', bias: false },
    ]);
    // W2·W1 = [1, 2] both times: W1 = I, W2 = [1, 2]; and W1 = [[2, 0], [1, 1]], W2 = [−0.5, 2].
    const first = Float64Array.of(1, 0, 0, 1, 1, 2);
    const second = Float64Array.of(2, 0, 1, 1, -0.5, 2);
    const { equivalences } = groupEquivalent([analyzed('P', first), analyzed('Q', second)], {
      architecture,
      symmetries: true,
      outputs: outputsOf(architecture),
    });
    assert.equal(equivalences.get('Q')!.relation, 'function');
  });

  describe('the relation is named by what the mapping took', () => {
    // The seed's weights on a relu 2-2-1 network; the variants below are the same function.
    const relu = new MlpArchitecture(2, [
      { units: 2, activation: 'relu', bias: false },
      { units: 1, activation: 'linear', bias: false },
    ]);
    const relationOf = (architecture: MlpArchitecture, b: Float64Array) =>
      groupEquivalent([analyzed('A', A), analyzed('B', b)], {
        architecture,
        symmetries: true,
        outputs: outputsOf(architecture),
      }).equivalences.get('B');

    it('relu units swapped, scales untouched: "permutation", no scales', () => {
      const equivalence = relationOf(relu, B)!;
      assert.equal(equivalence.relation, 'permutation');
      assert.deepEqual(equivalence.permutation, [[1, 0]]);
      assert.equal(equivalence.scales, undefined);
    });

    it('relu unit 1 rescaled in place (in × 2, out ÷ 2): "rescaling" with its factor', () => {
      const equivalence = relationOf(relu, Float64Array.of(-1.5, 2.0, 3.4, 0.8, 2.3, 0.4))!;
      assert.equal(equivalence.relation, 'rescaling');
      assert.deepEqual(equivalence.permutation, [[0, 1]]);
      assert.deepEqual(equivalence.scales, [[1, 2]]);
    });

    it('swapped and rescaled: "permutation+rescaling"', () => {
      // B's unit 0 is A's unit 1 with in × 0.5, out × 2.
      const equivalence = relationOf(relu, Float64Array.of(0.85, 0.2, -1.5, 2.0, 1.6, 2.3))!;
      assert.equal(equivalence.relation, 'permutation+rescaling');
      assert.deepEqual(equivalence.permutation, [[1, 0]]);
      assert.deepEqual(equivalence.scales, [[0.5, 1]]);
    });

    it('a tanh unit negated in place: "sign"; negated and swapped: "permutation+sign"', () => {
      const negated = Float64Array.of(-1.5, 2.0, -1.7, -0.4, 2.3, -0.8);
      assert.equal(relationOf(twins, negated)!.relation, 'sign');
      const both = Float64Array.of(-1.7, -0.4, -1.5, 2.0, -0.8, 2.3);
      const equivalence = relationOf(twins, both)!;
      assert.equal(equivalence.relation, 'permutation+sign');
      assert.deepEqual(equivalence.signs, [[-1, 1]]);
    });
  });

  it('with symmetries off, only identical points are grouped', () => {
    const { classes } = groupEquivalent(
      [analyzed('A', A), analyzed('B', B), analyzed('A2', Float64Array.from(A))],
      {
        architecture: twins,
        symmetries: false,
        outputs: outputsOf(twins),
      },
    );
    assert.deepEqual(
      classes.map((c) => c.members),
      [['A', 'A2'], ['B']],
    );
  });
});

describe('weight matching along a residual stream', () => {
  // 2-4-4-4-1 tanh, layers 2 and 3 residual: a = tanh(W·x + b) + x, so the three hidden
  // layers' units are one stream, permuted (and negated) together.
  const residual = new MlpArchitecture(2, [
    { units: 4, activation: 'tanh', bias: true },
    { units: 4, activation: 'tanh', bias: true, residual: true },
    { units: 4, activation: 'tanh', bias: true, residual: true },
    { units: 1, activation: 'linear', bias: true },
  ]);
  const random = new Random(21);
  const a = Float64Array.from({ length: residual.parameterCount }, () => random.normal());
  const [l0, l1, l2, top] = residual.layers;

  /** B's unit i is A's unit p[i] times s[i], in every layer of the stream at once. */
  function twin(p: number[], s: number[], layers = [l1, l2]): Float64Array {
    const b = Float64Array.from(a);
    for (let i = 0; i < 4; i++) {
      for (let c = 0; c < 2; c++)
        b[l0.weightOffset + i * 2 + c] = s[i] * a[l0.weightOffset + p[i] * 2 + c];
      b[l0.biasOffset + i] = s[i] * a[l0.biasOffset + p[i]];
      for (const layer of layers) {
        for (let j = 0; j < 4; j++)
          b[layer.weightOffset + i * 4 + j] = s[i] * s[j] * a[layer.weightOffset + p[i] * 4 + p[j]];
        b[layer.biasOffset + i] = s[i] * a[layer.biasOffset + p[i]];
      }
      b[top.weightOffset + i] = s[i] * a[top.weightOffset + p[i]];
    }
    return b;
  }

  it('finds one permutation and one set of signs for the whole stream, and the twin is the same function', () => {
    const [p, s] = [
      [2, 0, 3, 1],
      [1, -1, -1, 1],
    ];
    const b = twin(p, s);
    const outputs = outputsOf(residual);
    const [oa, ob] = [outputs(a), outputs(b)];
    oa.forEach((v, k) => assert.ok(Math.abs(v - ob[k]) < 1e-14, 'B computes what A computes'));
    const alignment = alignNetworks(residual, a, b)!;
    assert.deepEqual(alignment.permutation, [p, p, p]);
    assert.deepEqual(alignment.signs, [s, s, s]);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(alignment.aligned[k] - a[k]) < 1e-15);
  });

  it('a decoy permuted layer by layer, a twin were there no skips, is not aligned onto A', () => {
    // Layer 1 by p, layers 2 and 3 by q (their weights' rows by q, columns by the layer
    // below's), the output's columns by q: without the skips the same function; with them,
    // the skip of layer 2 adds unit p[i] of layer 1 to unit q[i] of its own.
    const [p, q] = [
      [1, 0, 2, 3],
      [3, 2, 1, 0],
    ];
    const b = Float64Array.from(a);
    const by = [p, q, q];
    [l0, l1, l2].forEach((layer, l) => {
      const inputs = layer.inputs;
      for (let i = 0; i < 4; i++) {
        for (let c = 0; c < inputs; c++) {
          const column = l === 0 ? c : by[l - 1][c];
          b[layer.weightOffset + i * inputs + c] =
            a[layer.weightOffset + by[l][i] * inputs + column];
        }
        b[layer.biasOffset + i] = a[layer.biasOffset + by[l][i]];
      }
    });
    for (let i = 0; i < 4; i++) b[top.weightOffset + i] = a[top.weightOffset + q[i]];
    const outputs = outputsOf(residual);
    const [oa, ob] = [outputs(a), outputs(b)];
    assert.ok(
      oa.some((v, k) => Math.abs(v - ob[k]) > 1e-3),
      'a different function',
    );
    const alignment = alignNetworks(residual, a, b)!;
    let distance = 0;
    for (let k = 0; k < a.length; k++) distance += (alignment.aligned[k] - a[k]) ** 2;
    assert.ok(Math.sqrt(distance) > 0.1, `not aligned onto A: ${Math.sqrt(distance)}`);
  });
});

describe('weight matching through layer norms', () => {
  // 2-4-4-1 tanh, a norm on both hidden layers, the second residual: a unit's γ and β move
  // with it, and a norm mixes a layer's units, so no unit can be negated on its own.
  const normed = new MlpArchitecture(2, [
    { units: 4, activation: 'tanh', bias: true, norm: 'layer' },
    { units: 4, activation: 'tanh', bias: true, residual: true, norm: 'layer' },
    { units: 1, activation: 'linear', bias: true },
  ]);
  const random = new Random(8);
  const a = Float64Array.from({ length: normed.parameterCount }, () => random.normal());
  const [l0, l1, top] = normed.layers;

  /** B's unit i is A's unit p[i] times s[i] in both layers, with its gain and shift. */
  function twin(p: number[], s: number[]): Float64Array {
    const b = Float64Array.from(a);
    for (let i = 0; i < 4; i++) {
      for (let c = 0; c < 2; c++)
        b[l0.weightOffset + i * 2 + c] = s[i] * a[l0.weightOffset + p[i] * 2 + c];
      for (let j = 0; j < 4; j++)
        b[l1.weightOffset + i * 4 + j] = s[i] * s[j] * a[l1.weightOffset + p[i] * 4 + p[j]];
      for (const layer of [l0, l1]) {
        b[layer.biasOffset + i] = s[i] * a[layer.biasOffset + p[i]];
        b[layer.normOffset + i] = a[layer.normOffset + p[i]];
        b[layer.normOffset + 4 + i] = s[i] * a[layer.normOffset + 4 + p[i]];
      }
      b[top.weightOffset + i] = s[i] * a[top.weightOffset + p[i]];
    }
    return b;
  }

  it('finds the permutation of the stream with its gains and shifts', () => {
    const p = [3, 1, 0, 2];
    const b = twin(p, [1, 1, 1, 1]);
    const outputs = outputsOf(normed);
    const [oa, ob] = [outputs(a), outputs(b)];
    oa.forEach((v, k) => assert.ok(Math.abs(v - ob[k]) < 1e-14, 'B computes what A computes'));
    const alignment = alignNetworks(normed, a, b)!;
    assert.deepEqual(alignment.permutation, [p, p]);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(alignment.aligned[k] - a[k]) < 1e-15);
  });

  it('a unit negated as tanh would allow without the norm is another function, and not aligned', () => {
    const b = twin([3, 1, 0, 2], [1, -1, 1, 1]);
    const outputs = outputsOf(normed);
    const [oa, ob] = [outputs(a), outputs(b)];
    assert.ok(
      oa.some((v, k) => Math.abs(v - ob[k]) > 1e-3),
      'a different function',
    );
    const alignment = alignNetworks(normed, a, b)!;
    let distance = 0;
    for (let k = 0; k < a.length; k++) distance += (alignment.aligned[k] - a[k]) ** 2;
    assert.ok(Math.sqrt(distance) > 0.1, `not aligned onto A: ${Math.sqrt(distance)}`);
  });
});

describe('weight matching along a skip around two layers', () => {
  // 2-4-5-4-1 tanh, layer 3 adds layer 1's output (a skip around layers 2 and 3): layers 1
  // and 3 are one stream, layer 2 has units of its own.
  const block = new MlpArchitecture(2, [
    { units: 4, activation: 'tanh', bias: true },
    { units: 5, activation: 'tanh', bias: true },
    { units: 4, activation: 'tanh', bias: true, residual: 2 },
    { units: 1, activation: 'linear', bias: true },
  ]);
  const random = new Random(12);
  const a = Float64Array.from({ length: block.parameterCount }, () => random.normal());
  const [l0, l1, l2, top] = block.layers;

  /** B's stream unit i is A's p[i] times s[i] (layers 1 and 3), its layer-2 unit i A's q[i]. */
  function twin(p: number[], s: number[], q: number[], third = p): Float64Array {
    const b = Float64Array.from(a);
    const w = (layer: typeof l0, i: number, c: number) => layer.weightOffset + i * layer.inputs + c;
    for (let i = 0; i < 4; i++) {
      for (let c = 0; c < 2; c++) b[w(l0, i, c)] = s[i] * a[w(l0, p[i], c)];
      b[l0.biasOffset + i] = s[i] * a[l0.biasOffset + p[i]];
      for (let c = 0; c < 5; c++) b[w(l2, i, c)] = s[i] * a[w(l2, third[i], q[c])];
      b[l2.biasOffset + i] = s[i] * a[l2.biasOffset + third[i]];
      b[top.weightOffset + i] = s[i] * a[top.weightOffset + p[i]];
    }
    for (let i = 0; i < 5; i++) {
      for (let c = 0; c < 4; c++) b[w(l1, i, c)] = s[c] * a[w(l1, q[i], p[c])];
      b[l1.biasOffset + i] = a[l1.biasOffset + q[i]];
    }
    return b;
  }
  const [p, s, q] = [
    [1, 3, 0, 2],
    [1, -1, 1, -1],
    [4, 0, 3, 1, 2],
  ];

  it('finds the stream’s permutation and signs for layers 1 and 3, and layer 2’s own', () => {
    const b = twin(p, s, q);
    const outputs = outputsOf(block);
    const [oa, ob] = [outputs(a), outputs(b)];
    oa.forEach((v, k) => assert.ok(Math.abs(v - ob[k]) < 1e-14, 'B computes what A computes'));
    const alignment = alignNetworks(block, a, b)!;
    assert.deepEqual(alignment.permutation, [p, q, p]);
    assert.deepEqual(alignment.signs, [s, [1, 1, 1, 1, 1], s]);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(alignment.aligned[k] - a[k]) < 1e-15);
  });

  it('a decoy whose layer 3 has another permutation than layer 1 is another function, not aligned', () => {
    const b = twin(p, s, q, [0, 3, 1, 2]);
    const outputs = outputsOf(block);
    const [oa, ob] = [outputs(a), outputs(b)];
    assert.ok(
      oa.some((v, k) => Math.abs(v - ob[k]) > 1e-3),
      'a different function',
    );
    const alignment = alignNetworks(block, a, b)!;
    let distance = 0;
    for (let k = 0; k < a.length; k++) distance += (alignment.aligned[k] - a[k]) ** 2;
    assert.ok(Math.sqrt(distance) > 0.1, `not aligned onto A: ${Math.sqrt(distance)}`);
  });
});
