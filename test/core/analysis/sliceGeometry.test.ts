import assert from 'node:assert/strict';
import {
  filterNormalizedDirection,
  lineGrid,
  planeThroughPoints,
  projectOntoPlane,
  trajectoryAxes,
} from '../../../src/core/analysis/sliceGeometry';
import { mlpFilters, moduleFilters } from '../../../src/core/model/filters';
import { MlpArchitecture } from '../../../src/core/model/architecture';
import { Random } from '../../../src/core/rng';

describe('line slice grid', () => {
  it('puts t = 0 and t = 1 on the grid, with the margin as close as the count allows', () => {
    // 101 steps, margin 0.25: 66 intervals across [0, 1] and 17 beyond each end (17/66 ≈ 0.258;
    // 68 and 16 would give 0.235, 64 and 18 give 0.281).
    const { t, margin } = lineGrid(101, 0.25);
    assert.equal(t.length, 101);
    assert.equal(margin, 17 / 66);
    assert.equal(t[17], 0);
    assert.equal(t[83], 1);
    assert.equal(t[0], -17 / 66);
    assert.equal(t[50], 0.5);
  });

  it('without a margin it is the evenly spaced grid from 0 to 1; two steps are the endpoints', () => {
    assert.deepEqual(lineGrid(5, 0).t, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(lineGrid(2, 0.25), { t: [0, 1], margin: 0 });
    // 4 steps with margin 1: 1 interval and 1 step beyond each end.
    assert.deepEqual(lineGrid(4, 1), { t: [-1, 0, 1, 2], margin: 1 });
    // With margin 0.5 both choices miss by 0.5; the one with more steps between the ends wins.
    assert.deepEqual(lineGrid(4, 0.5), { t: [0, 1 / 3, 2 / 3, 1], margin: 0 });
  });
});

describe('slice geometry', () => {
  const architecture = new MlpArchitecture(3, [
    { units: 4, activation: 'tanh', bias: true },
    { units: 2, activation: 'linear', bias: true },
  ]);
  const random = new Random(1);
  const theta = Float64Array.from({ length: architecture.parameterCount }, () => random.normal());

  it("filter normalization gives each unit's slice of the direction exactly that unit's norm", () => {
    const d = filterNormalizedDirection(mlpFilters(architecture), theta, new Random(2), false);
    for (const layer of architecture.layers) {
      for (let unit = 0; unit < layer.units; unit++) {
        let dNorm = 0;
        let wNorm = 0;
        for (let c = 0; c < layer.inputs; c++) {
          dNorm += d[layer.weightOffset + unit * layer.inputs + c] ** 2;
          wNorm += theta[layer.weightOffset + unit * layer.inputs + c] ** 2;
        }
        assert.ok(Math.abs(Math.sqrt(dNorm) - Math.sqrt(wNorm)) < 1e-12 * Math.sqrt(wNorm));
        assert.equal(d[layer.biasOffset + unit], 0, 'bias directions are zero by default');
      }
    }
  });

  it('with includeBias the unit slice is (weights, bias) and matches its norm', () => {
    const d = filterNormalizedDirection(mlpFilters(architecture), theta, new Random(2), true);
    const layer = architecture.layers[0];
    let dNorm = d[layer.biasOffset] ** 2;
    let wNorm = theta[layer.biasOffset] ** 2;
    for (let c = 0; c < layer.inputs; c++) {
      dNorm += d[layer.weightOffset + c] ** 2;
      wNorm += theta[layer.weightOffset + c] ** 2;
    }
    assert.ok(Math.abs(dNorm - wNorm) < 1e-12 * wNorm);
  });

  it("a module's convolution is normalized per output channel, its biases and norm gains as Li et al.'s code", () => {
    // conv.weight 2×3×2×2 (two channels of 12), conv.bias 2, norm.weight 5, fc.weight 1×5.
    const module = {
      tensors: [
        { name: 'conv.weight', shape: [2, 3, 2, 2] },
        { name: 'conv.bias', shape: [2] },
        { name: 'norm.weight', shape: [5] },
        { name: 'fc.weight', shape: [1, 5] },
      ],
    };
    const layout = moduleFilters(module);
    assert.deepEqual(layout.filters, [
      { offset: 0, length: 12, bias: -1 },
      { offset: 12, length: 12, bias: -1 },
      { offset: 31, length: 5, bias: -1 },
    ]);
    assert.deepEqual(layout.loose, [
      { offset: 24, length: 2 },
      { offset: 26, length: 5 },
    ]);
    const theta = Float64Array.from({ length: 36 }, () => random.normal());
    const channelNorm = (v: Float64Array, from: number, to: number) =>
      Math.hypot(...v.subarray(from, to));
    const d = filterNormalizedDirection(layout, theta, new Random(3), false);
    for (const [from, to] of [
      [0, 12],
      [12, 24],
      [31, 36],
    ])
      assert.ok(Math.abs(channelNorm(d, from, to) - channelNorm(theta, from, to)) < 1e-12);
    assert.deepEqual([...d.subarray(24, 31)], [0, 0, 0, 0, 0, 0, 0], 'biases and gains stay put');
    // With biases, the paper's code moves them along θ's own values (d = w).
    const withBias = filterNormalizedDirection(layout, theta, new Random(3), true);
    assert.deepEqual([...withBias.subarray(24, 31)], [...theta.subarray(24, 31)]);
    assert.deepEqual([...withBias.subarray(0, 24)], [...d.subarray(0, 24)]);
  });

  it('the plane through three points holds them at exact coordinates, the first at the origin', () => {
    const [a, b, c] = [0, 1, 2].map(() => Float64Array.from({ length: 7 }, () => random.normal()));
    const plane = planeThroughPoints(a, b, c);
    const coordinates = [a, b, c].map((p) => projectOntoPlane(plane, p));
    coordinates.forEach((q) => assert.ok(q.distance < 1e-12));
    assert.deepEqual([coordinates[0].x, coordinates[0].y], [0, 0]);
    assert.ok(Math.abs(coordinates[1].y) < 1e-15, 'b lies on the x axis');
    assert.ok(Math.abs(coordinates[1].x - Math.hypot(...b.map((v, i) => v - a[i]))) < 1e-12);
    // Rebuilding c from its coordinates gives c back.
    const rebuilt = a.map(
      (v, i) => v + coordinates[2].x * plane.x[i] + coordinates[2].y * plane.y[i],
    );
    rebuilt.forEach((v, i) => assert.ok(Math.abs(v - c[i]) < 1e-12));
  });

  it('a point off the plane reports its distance', () => {
    const plane = {
      center: Float64Array.of(0, 0, 0),
      x: Float64Array.of(1, 0, 0),
      y: Float64Array.of(0, 1, 0),
    };
    assert.deepEqual(projectOntoPlane(plane, Float64Array.of(2, -3, 4)), {
      x: 2,
      y: -3,
      distance: 4,
    });
  });

  it('a path along a line and a curve: PCA finds the line first, and explains all of a planar path', () => {
    // θ(s) = (s, s², 0, 0): the spread along the first axis dominates.
    const snapshots = Array.from({ length: 21 }, (_, k) => {
      const s = (k - 10) / 10;
      return Float64Array.of(s, 0.3 * s * s, 0, 0);
    });
    const { x, y, explained } = trajectoryAxes(snapshots, Float64Array.of(0, 0, 0, 0));
    assert.ok(Math.abs(Math.abs(x[0]) - 1) < 1e-6, `first axis ${x}`);
    assert.ok(Math.abs(Math.abs(y[1]) - 1) < 1e-6, `second axis ${y}`);
    assert.ok(Math.abs(explained[0] + explained[1] - 1) < 1e-12);
  });
});
