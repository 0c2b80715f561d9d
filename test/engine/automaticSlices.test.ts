// The landscape the engine draws when a file declares no slices, and the training paths on it.
import assert from 'node:assert/strict';
import { analyzePoint, NOT_CRITICAL_LANCZOS_STEPS } from '../../src/core/analysis/analyzePoint';
import { PLANE_DIRECTION_DEFINITIONS } from '../../src/core/analysis/planes';
import { TRACE_PROBES } from '../../src/core/analysis/trace';
import { loadSpec } from '../../src/core/lossfile/load';
import { dot, norm } from '../../src/core/linalg/vector';
import { buildModel } from '../../src/core/model/build';
import { countingProducts, type Objective } from '../../src/core/model/objective';
import {
  automaticResolution,
  LOSSES_PER_PRODUCT,
  MAX_PLANE_RESOLUTION,
  MIN_PLANE_RESOLUTION,
} from '../../src/engine/automaticSlice';
import { fittedRange } from '../../src/engine/slicePlans';
import { pathSampleCount } from '../../src/engine/stages';
import { analyzedPoint } from './fixtures';
import type { AnalysisResult, PlaneSlice } from '../../src/protocol/result';
import { analyzeSpec } from '../helpers/analyze';

/** y = 2x + 1 at x = 0, 1, 2: the least-squares line is w = 2, b = 1, with loss 0. */
const line = {
  data: { inputs: [[0], [1], [2]], targets: [[1], [3], [5]] },
  model: { layers: [{ units: 1, activation: 'linear' }] },
  training: { runs: 2, optimizer: 'gd', learningRate: 0.1, epochs: 400 },
};
const lineLoss = (w: number, b: number) =>
  [0, 1, 2].reduce((sum, x) => sum + (w * x + b - (2 * x + 1)) ** 2, 0) / 3;

/** f = v₁ tanh(w₁x) + v₂ tanh(w₂x) on three points, no training: the points say where. */
const twoTwoOne = {
  data: { inputs: [[-1], [0.5], [1]], targets: [[-0.6], [0.7], [0.2]] },
  model: {
    layers: [
      { units: 2, activation: 'tanh' },
      { units: 1, activation: 'linear' },
    ],
    bias: false,
  },
  training: { runs: 0 },
};
const A = { name: 'A', vector: [1.5, -0.7, 0.9, 0.4] };

function onlyPlane(result: AnalysisResult): PlaneSlice {
  assert.equal(result.slices.length, 1);
  const [slice] = result.slices;
  assert.ok(slice.type === 'plane');
  return slice;
}

describe('the automatic landscape', () => {
  it('two parameters: their own plane, the loss at every grid point as computed by hand', async () => {
    const result = await analyzeSpec(line);
    const plane = onlyPlane(result);
    assert.equal(plane.directions, 'parameters');
    assert.deepEqual(plane.axes, { x: 'layer1.weight[0][0]', y: 'layer1.bias[0]' });
    assert.match(plane.automatic!.reason, /^the model has two parameters/);
    plane.y.forEach((b, j) =>
      plane.x.forEach((w, i) =>
        assert.ok(Math.abs(plane.loss[j][i]! - lineLoss(w, b)) < 1e-9 * (1 + lineLoss(w, b))),
      ),
    );
    // Both runs end at (2, 1), on the plane, where they are marked.
    for (const marker of plane.markers) {
      assert.ok(Math.abs(marker.x - 2) < 1e-6 && Math.abs(marker.y - 1) < 1e-6);
      assert.equal(marker.distance, 0);
      assert.equal(marker.verdict, 'minimum');
    }
    // The paths lie in the plane exactly, from epoch 0 to where training stopped, with the
    // training loss at each sample equal to the loss there.
    assert.equal(plane.paths!.length, 2);
    for (const path of plane.paths!) {
      const run = result.runs.find((r) => r.id === path.id)!;
      assert.equal(path.epoch[0], 0);
      assert.equal(path.epoch.at(-1), run.training!.epochs);
      assert.ok(path.epoch.length <= 65);
      assert.ok(path.distance.every((d) => d === 0));
      path.x.forEach((w, k) => {
        const expected = lineLoss(w, path.y![k]);
        assert.ok(Math.abs(path.loss[k] - expected) <= 1e-5 * (1 + expected), `sample ${k}`);
        assert.ok(w >= plane.x[0] && w <= plane.x.at(-1)!, 'the range holds the path');
      });
    }
  });

  it('pinning the snippet it shows gives the same slice, no longer automatic', async () => {
    const automatic = onlyPlane(await analyzeSpec(line));
    const pinned = onlyPlane(
      await analyzeSpec({ ...line, analysis: { slices: [automatic.automatic!.spec] } }),
    );
    assert.equal(pinned.automatic, undefined);
    assert.deepEqual([pinned.x, pinned.y, pinned.loss], [automatic.x, automatic.y, automatic.loss]);
  });

  it('"slices": [] draws none, and keeps no paths', async () => {
    const result = await analyzeSpec({ ...line, analysis: { slices: [] } });
    assert.deepEqual(result.slices, []);
  });

  it('twins with a saddle between them: the plane through both and the saddle', async () => {
    // f = v₁ tanh(w₁x) + v₂ tanh(w₂x): B is A with its hidden units swapped.
    const result = await analyzeSpec({
      ...twoTwoOne,
      points: [A, { name: 'B', vector: [-0.7, 1.5, 0.4, 0.9] }],
      analysis: { paths: [{ from: 'point:A', to: 'point:B' }] },
    });
    const plane = onlyPlane(result);
    assert.equal(plane.directions, 'points');
    assert.deepEqual(plane.through, ['point:A', 'point:B', 'saddle-0']);
    // Refined from the path's top: a degenerate critical point (no saddle proven, no minimum).
    assert.equal(result.criticalPoints[0].verdict.kind, 'degenerate');
    assert.match(plane.automatic!.reason, /saddle-0 is the degenerate critical point between them/);
    // All three lie on the plane: A at its centre, B on the x axis.
    const at = (id: string) => plane.markers.find((m) => m.id === id)!;
    assert.deepEqual([at('point:A').x, at('point:A').y], [0, 0]);
    assert.ok(Math.abs(at('point:B').y) < 1e-12);
    for (const id of ['point:A', 'point:B', 'saddle-0']) assert.ok(at(id).distance < 1e-9, id);
  });

  it('two different networks and no saddle: the plane through both, a random second axis', async () => {
    const result = await analyzeSpec({
      ...twoTwoOne,
      points: [A, { name: 'C', vector: [0.2, 0.3, -1, 2] }],
      analysis: { paths: 'none' },
    });
    assert.equal(result.classes.length, 2);
    const plane = onlyPlane(result);
    // The lower loss first: it is the plane's centre.
    const [low, high] = [...result.classes].sort((a, b) => a.loss - b.loss);
    assert.deepEqual(plane.through, [low.representative, high.representative]);
    assert.match(plane.automatic!.reason, /the second axis is a seeded random direction/);
    for (const marker of plane.markers) assert.ok(marker.distance < 1e-9);
  });

  it('one network: the Hessian plane at the lowest loss, its axes the extreme eigenvalues', async () => {
    const result = await analyzeSpec({
      ...twoTwoOne,
      points: [A],
    });
    const plane = onlyPlane(result);
    assert.equal(plane.directions, 'hessian');
    assert.equal(plane.center, 'point:A');
    const eigenvalues = result.runs[0].hessian!.eigenvalues;
    assert.ok(Math.abs(plane.eigenvalues!.x - eigenvalues[0]) < 1e-12);
    assert.ok(Math.abs(plane.eigenvalues!.y - eigenvalues.at(-1)!) < 1e-12);
  });

  describe('with no training to compare with, a big model costs about what its verdicts did', () => {
    // 2-21-21-1 tanh: 42 + 21 + 441 + 21 + 21 + 1 = 547 parameters (beyond 500 a point that
    // is not critical gets Lanczos, beyond 200 a Hessian plane does), on 1024 points: a loss
    // is 560k multiply-adds, so the negligible grid is 178 losses.
    const parameters = 547;
    const file = {
      data: { generator: 'moons', samples: 1024, seed: 3 },
      model: { layers: [{ units: 21 }, { units: 21 }, { units: 1 }] },
      training: { runs: 0 },
      points: [{ name: 'p', vector: Array.from({ length: parameters }, (_, i) => Math.sin(i)) }],
    };
    const { spec, dataset } = loadSpec(JSON.stringify(file), { fileName: 'wide.loss.json' });
    const model = buildModel(spec!, dataset!);
    const theta = Float64Array.from(file.points[0].vector);
    /** The objective, with every Hessian-vector product through it counted, and no dense Hessian. */
    const counted = (objective: Objective) => {
      const { objective: wrapped, products } = countingProducts(objective);
      const hessian = () => assert.fail('no dense Hessian beyond 500 parameters');
      return { objective: { ...wrapped, hessian }, products };
    };

    let verdictProducts = 0;
    it('the verdict counts its products: up to 30 Lanczos steps, and 30 trace probes', () => {
      const { objective, products } = counted(model.objective);
      const analysis = analyzePoint(objective, theta, spec!.analysis, model);
      assert.equal(analysis.verdict.kind, 'not-critical');
      assert.ok(products() > TRACE_PROBES);
      assert.ok(products() <= NOT_CRITICAL_LANCZOS_STEPS + TRACE_PROBES);
      assert.equal(analysis.hessianProducts, products());
      verdictProducts = products();
    });

    it('the Hessian plane keeps to its estimate, and its axes are eigenvectors', async () => {
      const result = await analyzeSpec(file);
      const plane = onlyPlane(result);
      assert.equal(plane.directions, 'hessian');
      const { estimate } = plane.automatic!;
      // The budget is the verdict's products, at 6 losses each (more than the 178).
      assert.equal(estimate.budget, LOSSES_PER_PRODUCT * verdictProducts);
      assert.equal(estimate.gridLosses, plane.x.length * plane.y.length);
      // Its directions: Lanczos from products, no more of them than planned.
      const { objective, products } = counted(model.objective);
      const axes = PLANE_DIRECTION_DEFINITIONS.hessian.axes({
        slice: null as never, // a Hessian plane reads no key of its entry
        id: 'point:p',
        center: theta,
        through: null,
        parameterNames: result.parameterNames,
        fittedRange: () => [0, 0],
        filters: null,
        objective: () => objective,
        exactLimit: spec!.analysis.exactLimit,
        eigenvalueTolerance: spec!.analysis.tolerance.eigenvalue,
      });
      assert.ok(products() > 0 && products() <= estimate.directionProducts);
      // The grid and the directions fit the budget, or the grid is the smallest one drawn.
      const cost = estimate.gridLosses + LOSSES_PER_PRODUCT * estimate.directionProducts;
      assert.ok(
        cost <= estimate.budget ||
          (plane.x.length === MIN_PLANE_RESOLUTION && cost <= 1.1 * estimate.budget),
        `${cost} against ${estimate.budget}`,
      );
      // Each axis is a unit vector with H·v = λv within its residual, which is within the
      // eigenvalue tolerance; the two are the same the result records.
      const { eigenvalues } = plane;
      assert.equal(eigenvalues!.converged, true);
      assert.deepEqual(axes.extra.eigenvalues, eigenvalues);
      const scale = Math.max(Math.abs(eigenvalues!.x), Math.abs(eigenvalues!.y));
      for (const [axis, lambda, residual] of [
        [axes.plane.x, eigenvalues!.x, eigenvalues!.residuals!.x],
        [axes.plane.y, eigenvalues!.y, eigenvalues!.residuals!.y],
      ] as const) {
        const product = new Float64Array(parameters);
        model.objective.hessianVectorProduct(theta, axis, product);
        assert.ok(Math.abs(norm(axis) - 1) < 1e-12);
        assert.ok(Math.abs(dot(axis, product) - lambda) < 1e-9 * scale);
        const off = norm(product.map((v, i) => v - lambda * axis[i]));
        assert.ok(off <= 1.01 * residual + 1e-9 * scale, `${off} against ${residual}`);
        assert.ok(residual <= spec!.analysis.tolerance.eigenvalue * scale);
      }
      // Started where the verdict's 30 steps started, 40 steps reach further out at both ends.
      const verdict = result.runs[0].hessian!.eigenvalues;
      assert.ok(eigenvalues!.x <= verdict[0] + 1e-12 && eigenvalues!.y >= verdict.at(-1)! - 1e-12);
    });

    it('with Hessians off, a random plane instead (no products at all)', async () => {
      const plane = onlyPlane(await analyzeSpec({ ...file, analysis: { hessian: 'off' } }));
      assert.equal(plane.directions, 'random');
      assert.equal(plane.automatic!.estimate.directionProducts, 0);
      assert.match(plane.automatic!.reason, /turns Hessians off/);
    });
  });

  it('costs no more than training: 41 points a side when cheap, fewer when training was short', () => {
    const input = (p: number, samples: number, trainingGradients: number) => ({
      parameterNames: Array.from({ length: p }, (_, i) => `p${i}`),
      samples,
      points: [],
      saddles: [],
      classes: [],
      trainingGradients,
      verdictProducts: 0,
      hessians: true,
      exactLimit: 1000,
    });
    assert.equal(automaticResolution(input(9, 4, 0)), MAX_PLANE_RESOLUTION);
    // 4417 parameters × 5000 samples: 41² grid points would be 7e10 multiply-adds.
    assert.equal(automaticResolution(input(4417, 5000, 300)), 30); // ⌊√900⌋
    assert.equal(automaticResolution(input(4417, 5000, 10)), MIN_PLANE_RESOLUTION);
    assert.equal(automaticResolution(input(4417, 5000, 1e6)), MAX_PLANE_RESOLUTION);
  });

  it("fits ranges with a 25% margin, leaving out a diverged run's path but not its end", () => {
    const run = (id: string, end: number, path: number[], stopReason: 'epochs' | 'diverged') =>
      analyzedPoint(id, [end], {
        kind: 'run',
        index: 0,
        seed: 0,
        curve: { epoch: [], loss: [] },
        epochs: path.length,
        stopReason,
        snapshots: path.map((w, epoch) => ({ epoch, theta: Float64Array.of(w), loss: 0 })),
      });
    const located = new Map(
      [run('run-0', 1, [-3, 0, 1], 'epochs'), run('run-1', 2, [0, 1e150, 2], 'diverged')].map(
        (p) => [p.id, p],
      ),
    );
    // From −3 to 2, widened by 1.25 on each side.
    assert.deepEqual(fittedRange(located, 0), [-4.25, 3.25]);
  });

  it('keeps up to 64 samples of each path, fewer for big models, and always both ends', () => {
    assert.equal(pathSampleCount(1, 6), 64);
    assert.equal(pathSampleCount(101_770, 8), 9); // ⌊8e6 / 814160⌋
    assert.equal(pathSampleCount(10_000_000, 4), 2);
  });
});
