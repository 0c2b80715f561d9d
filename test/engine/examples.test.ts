// The examples give the verdicts the README promises.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '../../src/core/data/generators';
import { analyzeFile } from '../../src/engine/analyze';
import type { AnalysisResult, PathCriticalPoint, RunResult } from '../../src/protocol/result';
import { temporaryFolder } from '../helpers/temp';

const example = (name: string) => join(__dirname, '..', '..', 'examples', `${name}.loss.json`);

async function analyzeExample(name: string): Promise<AnalysisResult> {
  const outcome = await analyzeFile({ specPath: example(name), outPath: null });
  assert.equal(outcome.status, 'ok');
  return (outcome as { result: AnalysisResult }).result;
}

const paths = (result: AnalysisResult): PathCriticalPoint[] =>
  result.criticalPoints.filter((p): p is PathCriticalPoint => p.source === 'path');

const byId = (result: AnalysisResult, id: string): RunResult => {
  const run = result.runs.find((r) => r.id === id);
  assert.ok(run, `${id} is in the result`);
  return run;
};

describe('examples', () => {
  it('parabola: (1 − w)² has one minimum at w = 1, curvature 2, and every run reaches it', async () => {
    const result = await analyzeExample('parabola');
    for (const run of result.runs) {
      assert.equal(run.verdict.kind, 'minimum');
      assert.ok(Math.abs(run.parameters[0] - 1) < 1e-9);
      assert.ok(Math.abs(run.hessian!.eigenvalues[0] - 2) < 1e-12);
    }
    assert.equal(result.classes.length, 1);
  });

  it('two-minima: (1 − w²)² has minima at ±1 (L″ = 8) and a maximum at 0 (L″ = −4)', async () => {
    const result = await analyzeExample('two-minima');
    const left = byId(result, 'point:left');
    const top = byId(result, 'point:top');
    const right = byId(result, 'point:right');
    assert.deepEqual(
      [left.verdict.kind, top.verdict.kind, right.verdict.kind],
      ['minimum', 'maximum', 'minimum'],
    );
    assert.deepEqual(left.hessian!.eigenvalues, [8]);
    assert.deepEqual(top.hessian!.eigenvalues, [-4]);
    assert.equal(top.verdict.index, 1);
    assert.equal(top.loss, 1);
    for (const run of result.runs.filter((r) => r.kind === 'run')) {
      assert.equal(run.verdict.kind, 'minimum');
      assert.ok(
        Math.abs(Math.abs(run.parameters[0]) - 1) < 1e-9,
        `run ends at ±1: ${run.parameters[0]}`,
      );
      const twin = run.parameters[0] < 0 ? 'point:left' : 'point:right';
      const cls = result.classes.find((c) => c.members.includes(run.id))!;
      assert.ok(cls.members.includes(twin), `${run.id} is the same point as ${twin}`);
    }
    // −1, 0, 1 and the point ½, which is not critical.
    assert.equal(result.classes.length, 4);
    // Between the two minima stands the maximum at w = 0: barrier L(0) − 0 = 1, on the path and
    // on the straight line alike (in one dimension they are the same).
    const [between] = paths(result);
    assert.deepEqual(between.between, ['point:left', 'point:right']);
    assert.equal(between.verdict.kind, 'maximum');
    assert.ok(Math.abs(between.parameters[0]) < 1e-9);
    assert.ok(Math.abs(between.barrier - 1) < 1e-12);
    assert.ok(Math.abs(between.straightLineBarrier - 1) < 1e-12);
    // The file declares no slices: the landscape is L(w) = (1 − w²)² itself, along w, over a
    // range holding every run's path and every point, with the points marked where they are.
    const [curve] = result.slices;
    assert.ok(curve.type === 'axis');
    assert.equal(curve.parameter, 'w');
    assert.ok(curve.automatic, 'chosen automatically');
    assert.deepEqual(curve.automatic.spec, {
      type: 'axis',
      parameter: 'w',
      range: [curve.x[0], curve.x.at(-1)],
      steps: 201,
      curvature: true,
    });
    curve.x.forEach((w, k) => {
      assert.ok(Math.abs(curve.loss[k]! - (1 - w * w) ** 2) < 1e-9 * (1 + w ** 4), `w = ${w}`);
    });
    const marker = (id: string) => curve.markers.find((m) => m.id === id)!;
    assert.deepEqual(
      ['point:left', 'point:top', 'point:right', 'point:half'].map((id) => [
        marker(id).x,
        marker(id).verdict,
        marker(id).distance,
      ]),
      [
        [-1, 'minimum', 0],
        [0, 'maximum', 0],
        [1, 'minimum', 0],
        [0.5, 'not-critical', 0],
      ],
    );
    // w = ½: L′ = −4w(1 − w²) = −1.5, so not critical, with L = (3/4)² = 0.5625.
    const half = byId(result, 'point:half');
    assert.equal(half.gradientNorm, 1.5);
    assert.equal(half.loss, 0.5625);
    // Every run's path is on the curve: its samples' training losses are L at their w.
    assert.equal(curve.paths!.length, 6);
    for (const path of curve.paths!) {
      assert.equal(path.epoch[0], 0);
      path.x.forEach((w, k) => assert.ok(Math.abs(path.loss[k] - (1 - w * w) ** 2) < 1e-5));
      const run = byId(result, path.id);
      assert.ok(Math.abs(path.x.at(-1)! - run.parameters[0]) < 1e-6, 'it ends where the run did');
      const [low, high] = [curve.x[0], curve.x.at(-1)!];
      assert.ok(
        path.x.every((w) => w > low && w < high),
        'the range holds the whole path',
      );
    }
  });

  it('linear-regression: every run reaches the least-squares minimum, with spectrum (2/N)·X̃ᵀX̃', async () => {
    const result = await analyzeExample('linear-regression');
    assert.equal(result.classes.length, 1);
    // The normal equations of y ≈ w·x + b, solved by hand from the generated data.
    const data = generate({ generator: 'linear', samples: 50, noise: 0.1, seed: 1 });
    let sx = 0;
    let sxx = 0;
    let sy = 0;
    let sxy = 0;
    const n = data.samples;
    for (let i = 0; i < n; i++) {
      const x = data.inputs[i];
      const y = data.targets[i];
      sx += x;
      sxx += x * x;
      sy += y;
      sxy += x * y;
    }
    const w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const b = (sy - w * sx) / n;
    const trace = (2 / n) * (sxx + n);
    const determinant = (2 / n) ** 2 * (sxx * n - sx * sx);
    const lambdaMin = trace / 2 - Math.sqrt((trace * trace) / 4 - determinant);
    for (const run of result.runs) {
      assert.equal(run.verdict.kind, 'minimum');
      assert.ok(Math.abs(run.parameters[0] - w) < 1e-9 && Math.abs(run.parameters[1] - b) < 1e-9);
      assert.ok(Math.abs(run.hessian!.eigenvalues[0] - lambdaMin) < 1e-12);
    }
  });

  it('xor: 16 runs refined to minima that fall into classes of permuted and sign-flipped twins', async () => {
    const result = await analyzeExample('xor');
    assert.equal(result.runs.length, 16);
    assert.equal(result.parameterCount, 9);
    for (const run of result.runs) {
      assert.equal(run.verdict.kind, 'minimum', `${run.id}: ${run.verdict.reason}`);
      assert.ok(run.gradientNorm <= run.verdict.tolerance.gradient);
      assert.ok(run.hessian!.eigenvalues[0] > 0);
    }
    assert.ok(result.classes.length < result.runs.length, 'some runs are twins of others');
    // Check every claim independently: map the member's hidden units (θ = W1 row-major,
    // b1, W2, b2 for 2-2-1) by its permutation and signs and compare with the representative.
    for (const run of result.runs.filter((r) => r.equivalentTo)) {
      const eq = run.equivalentTo!;
      const representative = byId(result, eq.id);
      const [permutation] = eq.permutation ?? [[0, 1]];
      const [signs] = eq.signs ?? [[1, 1]];
      const mapped = new Array<number>(9).fill(0);
      const p = run.parameters;
      for (let i = 0; i < 2; i++) {
        const j = permutation[i];
        mapped[2 * j] = signs[i] * p[2 * i];
        mapped[2 * j + 1] = signs[i] * p[2 * i + 1];
        mapped[4 + j] = signs[i] * p[4 + i];
        mapped[6 + j] = signs[i] * p[6 + i];
      }
      mapped[8] = p[8];
      mapped.forEach((x, k) =>
        assert.ok(Math.abs(x - representative.parameters[k]) < 1e-5, `${run.id} → ${eq.id} [${k}]`),
      );
      assert.ok(Math.abs(run.loss - representative.loss) < 1e-12);
      assert.ok(['identical', 'permutation', 'sign', 'permutation+sign'].includes(eq.relation));
    }
    // Between a minimum and its permuted twin stands a saddle: a critical point with at least
    // one descent direction, lower than the straight line's highest point.
    assert.ok(paths(result).length >= 1);
    for (const point of paths(result)) {
      assert.equal(point.verdict.kind, 'saddle', point.verdict.reason);
      assert.ok(point.verdict.index! >= 1);
      assert.ok(point.gradientNorm <= point.verdict.tolerance.gradient);
      assert.ok(point.barrier > 0 && point.barrier <= point.straightLineBarrier);
      const [a, b] = point.between.map((id) => byId(result, id));
      assert.ok(b.equivalentTo?.id === a.id && b.equivalentTo.relation !== 'identical');
    }
    assert.ok(paths(result).some((p) => p.verdict.index === 1));
  });

  it('xor slices: the straight line between twins has a barrier raw and none aligned; the plane holds both and the saddle', async () => {
    const result = await analyzeExample('xor');
    const [raw, aligned, plane] = result.slices;
    assert.ok(raw.type === 'line' && aligned.type === 'line' && plane.type === 'plane');
    assert.ok(raw.barrier! > 0.3, `raw barrier ${raw.barrier}`);
    assert.ok(Math.abs(aligned.barrier!) < 1e-9, `aligned barrier ${aligned.barrier}`);
    assert.deepEqual(aligned.permutation, byId(result, 'run-1').equivalentTo!.permutation);
    // The raw straight line is the one the path analysis compared against.
    assert.ok(Math.abs(raw.barrier! - paths(result)[0].straightLineBarrier) < 0.01);
    for (const id of ['run-0', 'run-1', 'saddle-0']) {
      const marker = plane.markers.find((m) => m.id === id)!;
      assert.ok(marker.distance < 1e-9, `${id} lies on the plane`);
    }
    assert.equal(plane.markers.find((m) => m.id === 'saddle-0')!.verdict, 'saddle');
    assert.equal(plane.loss.length, 41);
    assert.equal(plane.nonFinite, 0);
  });

  it("permuted-twins: the seed's network and its hidden-unit swap are both exact minima with one spectrum", async () => {
    const result = await analyzeExample('permuted-twins');
    const a = byId(result, 'point:A');
    const b = byId(result, 'point:B');
    for (const point of [a, b]) {
      assert.equal(point.loss, 0);
      assert.equal(point.gradientNorm, 0);
      assert.equal(point.verdict.kind, 'minimum');
      assert.equal(point.verdict.nullity, 0);
    }
    a.hessian!.eigenvalues.forEach((value, i) =>
      assert.ok(Math.abs(value - b.hessian!.eigenvalues[i]) < 1e-12),
    );
    assert.deepEqual(b.parameters, [1.7, 0.4, -1.5, 2.0, 0.8, 2.3]);
    assert.deepEqual(b.equivalentTo, {
      id: 'point:A',
      relation: 'permutation',
      permutation: [[1, 0]],
      distance: 0,
    });
    assert.deepEqual(result.classes, [
      { representative: 'point:A', members: ['point:A', 'point:B'], verdict: 'minimum', loss: 0 },
    ]);
  });

  it('permuted-twins: between the twins stands an index-1 saddle, far below the straight line', async () => {
    const result = await analyzeExample('permuted-twins');
    const [saddle] = paths(result);
    assert.deepEqual(saddle.between, ['point:A', 'point:B']);
    assert.deepEqual([saddle.verdict.kind, saddle.verdict.index], ['saddle', 1]);
    assert.ok(saddle.barrier > 0 && saddle.barrier < saddle.straightLineBarrier);
    // The saddle is symmetric under the swap: it maps to itself up to the tolerance.
    const p = saddle.parameters;
    const swapped = [p[2], p[3], p[0], p[1], p[5], p[4]];
    assert.ok(
      swapped.every((x, i) => Math.abs(x - p[i]) < 1e-6),
      `${p}`,
    );
  });

  it('permuted-twins with one weight of B changed by 0.05 is not a twin', async () => {
    const spec = JSON.parse(readFileSync(example('permuted-twins'), 'utf8'));
    spec.points[1].layers[0].weights[0][0] = 1.75; // B's first weight: 1.7 → 1.75
    const folder = temporaryFolder({ 'near.loss.json': JSON.stringify(spec) });
    try {
      const outcome = await analyzeFile({ specPath: folder.file('near.loss.json'), outPath: null });
      assert.ok(outcome.status === 'ok');
      assert.equal(byId(outcome.result, 'point:B').equivalentTo, null);
      assert.equal(outcome.result.classes.length, 2);
    } finally {
      folder.remove();
    }
  });
});
