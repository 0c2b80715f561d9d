// The examples that answer the seeds' questions say what their README rows claim: if an
// example stops showing it, one of these fails.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import type {
  AnalysisResult,
  PathCriticalPoint,
  PlaneSlice,
  RunResult,
} from '../../src/protocol/result';

const example = (name: string) => join(__dirname, '..', '..', 'examples', `${name}.loss.json`);

async function analyzeExample(name: string): Promise<AnalysisResult> {
  const outcome = await analyzeFile({ specPath: example(name), outPath: null });
  assert.equal(outcome.status, 'ok');
  return (outcome as { result: AnalysisResult }).result;
}

const byId = (result: AnalysisResult, id: string): RunResult => {
  const run = result.runs.find((r) => r.id === id);
  assert.ok(run, `${id} is in the result`);
  return run;
};

const planeOf = (result: AnalysisResult): PlaneSlice => {
  const [slice] = result.slices;
  assert.ok(slice?.type === 'plane' && slice.curvature, 'a plane with its curvature');
  return slice;
};

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The trained runs, without the named points. */
const trained = (result: AnalysisResult) => result.runs.filter((r) => r.kind === 'run');

describe('the questions the examples answer', () => {
  describe('logistic regression: why change the cost function so that it is convex?', () => {
    it('with cross-entropy the Hessian is positive semidefinite at every point of the (w, b) plane, and every run, even from a saturated start, reaches the one minimum', async () => {
      const result = await analyzeExample('logistic-bce');
      const plane = planeOf(result);
      const curvature = plane.curvature!;
      assert.equal(curvature.points, 41 * 41);
      assert.equal(curvature.negative, 0);
      assert.ok(curvature.least! >= 0, `least λmin ${curvature.least}`);
      // By hand: H = (1/N) Σ p(1 − p)·(x, 1)(x, 1)ᵀ with p = σ(wx + b), whose λmin is that of
      // a 2 × 2 matrix. Checked at the centre of the grid and at a corner.
      const xs = inputsOf();
      for (const [i, j] of [
        [20, 20],
        [0, 40],
      ]) {
        const [w, b] = [plane.x[i], plane.y[j]];
        let [a, c, d] = [0, 0, 0];
        for (const x of xs) {
          const p = sigmoid(w * x + b);
          const s = (p * (1 - p)) / xs.length;
          a += s * x * x;
          c += s * x;
          d += s;
        }
        const least = 0.5 * (a + d) - Math.sqrt(0.25 * (a - d) ** 2 + c * c);
        const engine = curvature.lambdaMin[j][i]!;
        assert.ok(
          Math.abs(engine - least) <= 1e-9 * Math.max(1e-6, least),
          `${engine} vs ${least}`,
        );
      }
      const runs = trained(result);
      assert.equal(runs.length, 8);
      for (const run of runs) assert.equal(run.verdict.kind, 'minimum', run.id);
      assert.equal(new Set(runs.map((r) => r.loss.toPrecision(9))).size, 1);
      assert.equal(byId(result, 'run-0').training?.from, 'saturated');
    });

    it('with the squared error λmin < 0 on most of the same plane, and the run from the saturated start is still far from the minimum', async () => {
      const [mse, bce] = [
        await analyzeExample('logistic-mse'),
        await analyzeExample('logistic-bce'),
      ];
      const curvature = planeOf(mse).curvature!;
      assert.ok(curvature.negative > curvature.points / 2, `${curvature.negative} negative`);
      assert.ok(curvature.least! < -0.1, `least λmin ${curvature.least}`);
      // The same 8 starts: run-0 from the point w = −6, b = 4, where σ saturates on the
      // wrong side. Under the squared error its gradient carries σ′ ≈ 0: still descending
      // after 3000 epochs, with negative curvature where it stands.
      const stuck = byId(mse, 'run-0');
      assert.equal(stuck.verdict.kind, 'not-critical');
      assert.ok(stuck.hessian!.eigenvalues[0] < 0);
      assert.equal(byId(bce, 'run-0').verdict.kind, 'minimum');
      // Some other run stalls on a plateau; the rest reach the one minimum.
      const minima = trained(mse).filter((r) => r.verdict.kind === 'minimum');
      assert.ok(minima.length >= 4 && minima.length < 8, `${minima.length} minima`);
      assert.ok(mse.runs.some((r) => r.verdict.cause === 'plateau'));
      assert.ok(byId(mse, 'point:saturated').hessian!.eigenvalues[0] < 0);
      assert.ok(byId(bce, 'point:saturated').hessian!.eigenvalues[0] > 0);
    });
  });

  it('saddles dominate: from 300 random starts on XOR 2-3-1, saddles outnumber minima tenfold, the index grows with the loss, and W = 0 is a saddle only the fourth order reveals', async () => {
    const result = await analyzeExample('saddles-dominate');
    const found = result.criticalPoints.filter((p) => p.source === 'search');
    const minima = found.filter((p) => p.verdict.kind === 'minimum');
    const saddles = found.filter((p) => p.verdict.kind === 'saddle');
    assert.ok(
      saddles.length >= 10 * minima.length,
      `${saddles.length} saddles, ${minima.length} minima`,
    );
    // Every minimum fits XOR exactly; the saddles sit on the plateaus 1/6 and 1/4.
    for (const m of minima) assert.ok(m.loss < 1e-10, `minimum at ${m.loss}`);
    const meanIndex = (level: number) => {
      const here = saddles.filter((p) => Math.abs(p.loss - level) < 1e-3);
      assert.ok(here.length > 0, `saddles at ${level}`);
      return here.reduce((sum, p) => sum + p.verdict.index!, 0) / here.length;
    };
    assert.ok(meanIndex(1 / 6) < meanIndex(1 / 4), `${meanIndex(1 / 6)} < ${meanIndex(1 / 4)}`);
    assert.ok(meanIndex(1 / 6) >= 1);
    const plateau = byId(result, 'point:plateau');
    assert.equal(plateau.loss, 0.25);
    assert.equal(plateau.gradientNorm, 0);
    assert.deepEqual(
      [plateau.verdict.kind, plateau.verdict.index, plateau.verdict.method],
      ['saddle', 0, 'probe'],
    );
    assert.match(plateau.verdict.reason, /falls like t⁴/);
  });

  it('getting unstuck: from the same small starts, plain gradient descent stalls at saddles and on the plateau; with noise every run reaches a minimum', async () => {
    const [plain, noisy] = [
      await analyzeExample('getting-unstuck-gd'),
      await analyzeExample('getting-unstuck-noise'),
    ];
    plain.runs.forEach((run, i) => {
      assert.equal(run.curve?.loss[0], noisy.runs[i].curve?.loss[0], `run-${i} starts alike`);
    });
    const stalled = plain.runs.filter((r) => r.verdict.kind !== 'minimum');
    assert.ok(stalled.length >= 4, `${stalled.length} stalled`);
    for (const run of stalled) {
      assert.ok(Math.abs(run.loss - 0.25) < 1e-3, `${run.id} on the plateau: ${run.loss}`);
      assert.ok(
        run.verdict.kind === 'saddle' || run.verdict.cause === 'plateau',
        `${run.id}: ${run.verdict.reason}`,
      );
    }
    for (const run of noisy.runs) {
      assert.equal(run.verdict.kind, 'minimum', `${run.id}: ${run.verdict.reason}`);
      assert.ok(run.loss < 1e-10);
    }
  });

  it('homotopy: from the same small starts, continuation from σ = 0.5 brings 7 of 8 runs to the global minimum, plain descent 3', async () => {
    const [plain, along] = [
      await analyzeExample('getting-unstuck-gd'),
      await analyzeExample('xor-continuation'),
    ];
    along.runs.forEach((run, i) => {
      assert.equal(run.curve?.loss[0], plain.runs[i].curve?.loss[0], `run-${i} starts alike`);
    });
    const global = (result: AnalysisResult) =>
      result.runs.filter((r) => r.verdict.kind === 'minimum' && r.loss < 1e-12).length;
    assert.deepEqual([global(plain), global(along)], [3, 7]);
    // The eighth is honest: still descending, not called a minimum.
    const other = along.runs.find((r) => r.verdict.kind !== 'minimum')!;
    assert.deepEqual(
      [other.verdict.kind, other.verdict.cause],
      ['not-critical', 'still-descending'],
    );
  });

  it('homotopy on the seed: smoothed-minima has two minima of L_σ below σ = 1/√3 and one above', async () => {
    const result = await analyzeExample('smoothed-minima');
    const [slice] = result.slices;
    assert.ok(slice.type === 'axis' && slice.smoothing);
    const minima = slice.smoothing.map(
      (curve) => curve.criticalPoints!.filter((p) => p.kind === 'minimum').length,
    );
    assert.deepEqual(
      slice.smoothing.map((curve) => curve.sigma),
      [0.2, 0.4, 0.5, 0.55, 0.6, 0.7, 1],
    );
    assert.deepEqual(minima, [2, 2, 2, 2, 1, 1, 1]);
  });

  // L_σ = (1 − w₁w₂)² + σ²(w₁² + w₂²) + σ⁴: minima at ±(√(1 − σ²), √(1 − σ²)) and a saddle at 0
  // below σ = 1, one minimum at 0 above (by hand: the gradient's two equations give w₁ = w₂).
  it('homotopy on a valley: smoothed-valley keeps the two balanced minima of the hyperbola and a saddle, one minimum from σ = 1', async () => {
    const result = await analyzeExample('smoothed-valley');
    const [plane, line] = result.slices;
    assert.ok(plane.type === 'plane' && plane.smoothing && line.type === 'line' && line.smoothing);
    for (const surface of plane.smoothing) {
      const s = surface.sigma;
      const kinds = surface.criticalPoints.map((p) => p.kind);
      if (s < 1) {
        const w = Math.sqrt(1 - s * s);
        assert.deepEqual(kinds, ['minimum', 'saddle', 'minimum'], `σ ${s}`);
        const [low, saddle, high] = surface.criticalPoints;
        for (const [p, at] of [
          [low, -w],
          [saddle, 0],
          [high, w],
        ] as const)
          assert.ok(
            Math.abs(p.x - at) < 1e-10 && Math.abs(p.y - at) < 1e-10,
            `σ ${s}: ${p.x}, ${p.y}`,
          );
      } else {
        assert.deepEqual(kinds, ['minimum'], `σ ${s}`);
        assert.ok(Math.abs(surface.criticalPoints[0].x) < 1e-10);
      }
    }
    // Along the diagonal the saddle is a maximum between the two minima, at t = ±√(1 − σ²).
    assert.deepEqual(
      line.smoothing.map((curve) => curve.criticalPoints!.map((p) => p.kind).join(' ')),
      [
        'minimum maximum minimum',
        'minimum maximum minimum',
        'minimum maximum minimum',
        'minimum',
        'minimum',
      ],
    );
  });

  it('one layer against two: logistic regression has one minimum and no negative curvature; with a hidden layer, several networks, twins and a saddle between them', async () => {
    const one = await analyzeExample('one-layer');
    assert.equal(one.classes.length, 1);
    for (const run of one.runs) assert.equal(run.verdict.kind, 'minimum');
    const flat = planeOf(one).curvature!;
    assert.equal(flat.negative, 0);

    const two = await analyzeExample('two-layers');
    const minimumClasses = two.classes.filter((c) => c.verdict === 'minimum');
    assert.ok(minimumClasses.length >= 3, `${minimumClasses.length} classes of minima`);
    assert.ok(two.runs.some((r) => r.equivalentTo && r.equivalentTo.relation !== 'identical'));
    const saddles = two.criticalPoints.filter(
      (p): p is PathCriticalPoint => p.source === 'path' && p.verdict.kind === 'saddle',
    );
    assert.ok(saddles.length >= 1);
    const [a, b] = saddles[0].between.map((id) => byId(two, id));
    assert.equal(b.equivalentTo?.id, a.id);
    assert.ok(saddles[0].barrier > 0);
    // The automatic plane goes through those twins and their saddle, and curves down there.
    const plane = planeOf(two);
    assert.deepEqual(plane.through, [...saddles[0].between, saddles[0].id]);
    assert.ok(plane.curvature!.negative > 0);
  });
});

/** The logistic examples' inputs: 20 points evenly spread over [−3, 3], to 3 decimals. */
function inputsOf(): number[] {
  return Array.from({ length: 20 }, (_, i) => Number((-3 + (6 * i) / 19).toFixed(3)));
}
