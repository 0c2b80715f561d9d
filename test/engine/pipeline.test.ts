import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import type { EngineEvent } from '../../src/protocol/events';
import type { AnalysisResult, LineSlice } from '../../src/protocol/result';
import { BAD_SPECS } from '../fixtures/badSpecs';
import { temporaryFolder } from '../helpers/temp';

const spec = (runs: number) =>
  JSON.stringify({
    data: { generator: 'moons', samples: 40, seed: 2 },
    model: {
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
    },
    loss: 'bce',
    training: { runs, epochs: 300, optimizer: 'adam', learningRate: 0.05 },
  });

async function analyzeText(
  text: string,
  options: { parallel?: 'always' | 'never'; threads?: number } = {},
): Promise<AnalysisResult> {
  const folder = temporaryFolder({ 'a.loss.json': text });
  try {
    const outcome = await analyzeFile({
      specPath: folder.file('a.loss.json'),
      outPath: null,
      ...options,
    });
    assert.equal(outcome.status, 'ok');
    return (outcome as { result: AnalysisResult }).result;
  } finally {
    folder.remove();
  }
}

describe('engine pipeline', () => {
  it('gives identical results on worker threads and in-process', async () => {
    const threaded = await analyzeText(spec(4), { parallel: 'always', threads: 2 });
    const sequential = await analyzeText(spec(4), { parallel: 'never' });
    assert.deepEqual(
      threaded.runs.map((r) => [r.parameters, r.loss, r.verdict, r.hessian, r.curve]),
      sequential.runs.map((r) => [r.parameters, r.loss, r.verdict, r.hessian, r.curve]),
    );
  });

  it('gives the same plane on 1 and 3 threads, whose jobs group its rows differently', async () => {
    // Four inputs, so the plane takes the first-layer shortcut; 1 thread groups the 9 rows
    // as 5 + 4, 3 threads as 2 + 2 + 2 + 2 + 1.
    const text = JSON.stringify({
      data: {
        inputs: [
          [0, 1, 2, 3],
          [1, 0, -1, 2],
          [2, 2, 0, -1],
          [-1, 3, 1, 0],
        ],
        targets: [[0], [1], [1], [0]],
      },
      model: { layers: [{ units: 3, activation: 'tanh' }, { units: 1 }] },
      training: { runs: 1, epochs: 20 },
      analysis: {
        hessian: 'off',
        slices: [{ type: 'plane', directions: 'random', resolution: 9 }],
      },
    });
    const one = await analyzeText(text, { parallel: 'never', threads: 1 });
    const three = await analyzeText(text, { parallel: 'always', threads: 3 });
    const grid = (result: AnalysisResult) => {
      const [plane] = result.slices;
      assert.ok(plane.type === 'plane');
      return plane.loss;
    };
    assert.equal(grid(one).length, 9);
    assert.deepEqual(grid(three), grid(one));
  });

  it('adding runs never changes the earlier runs', async () => {
    const four = await analyzeText(spec(4));
    const six = await analyzeText(spec(6));
    assert.deepEqual(
      six.runs.slice(0, 4).map((r) => [r.seed, r.parameters]),
      four.runs.map((r) => [r.seed, r.parameters]),
    );
  });

  it('emits start before the verdicts, one verdict and one run-finished per run, and done last', async () => {
    const folder = temporaryFolder({ 'a.loss.json': spec(2) });
    const events: EngineEvent[] = [];
    try {
      const outcome = await analyzeFile({
        specPath: folder.file('a.loss.json'),
        outPath: null,
        onEvent: (e) => events.push(e),
      });
      assert.equal(outcome.status, 'ok');
    } finally {
      folder.remove();
    }
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf('start') < types.indexOf('verdict'));
    assert.equal(types.at(-1), 'done');
    assert.equal(events.filter((e) => e.type === 'verdict').length, 2);
    assert.equal(events.filter((e) => e.type === 'run-finished').length, 2);
  });

  it('writes the result atomically next to the spec, and the file matches the contract', async () => {
    const folder = temporaryFolder({ 'a.loss.json': spec(2) });
    try {
      const outcome = await analyzeFile({ specPath: folder.file('a.loss.json') });
      assert.equal(outcome.status, 'ok');
      assert.deepEqual(readdirSync(folder.path).sort(), ['a.loss.json', 'a.result.json']);
      const result = JSON.parse(readFileSync(folder.file('a.result.json'), 'utf8'));
      assert.equal(result.format, 'loss-landscape-result');
      assert.equal(result.version, 1);
      assert.equal(result.source, 'a.loss.json');
      assert.match(result.specHash, /^[0-9a-f]{64}$/);
      assert.equal(result.parameterCount, 2 * 3 + 3 + 3 + 1);
      for (const run of result.runs) {
        assert.ok(
          ['minimum', 'saddle', 'maximum', 'degenerate', 'not-critical'].includes(run.verdict.kind),
        );
        assert.equal(run.parameters.length, result.parameterCount);
        assert.ok(run.curve.epoch[0] === 0 && run.curve.loss.length === run.curve.epoch.length);
        assert.deepEqual(
          run.hessian.eigenvalues,
          [...run.hessian.eigenvalues].sort((x: number, y: number) => x - y),
        );
      }
      assert.equal(
        result.classes.flatMap((c: { members: string[] }) => c.members).length,
        result.runs.length,
      );
    } finally {
      folder.remove();
    }
  });

  it('a cancelled run writes nothing and leaves the previous result intact', async () => {
    const folder = temporaryFolder({ 'a.loss.json': spec(2), 'a.result.json': 'previous\n' });
    try {
      const controller = new AbortController();
      controller.abort();
      const outcome = await analyzeFile({
        specPath: folder.file('a.loss.json'),
        signal: controller.signal,
      });
      assert.equal(outcome.status, 'cancelled');
      assert.equal(readFileSync(folder.file('a.result.json'), 'utf8'), 'previous\n');
      assert.deepEqual(readdirSync(folder.path).sort(), ['a.loss.json', 'a.result.json']);
    } finally {
      folder.remove();
    }
  });

  it('the spec hash changes when a CSV the spec reads changes', async () => {
    const text = JSON.stringify({
      data: { csv: 'd.csv', inputs: ['x'], targets: ['y'] },
      model: { layers: [{ units: 1 }] },
      training: { runs: 0 },
    });
    const folder = temporaryFolder({ 'a.loss.json': text, 'd.csv': 'x,y\n1,2\n2,3\n' });
    try {
      const first = await analyzeFile({ specPath: folder.file('a.loss.json'), outPath: null });
      writeFileSync(folder.file('d.csv'), 'x,y\n1,2\n2,4\n');
      const second = await analyzeFile({ specPath: folder.file('a.loss.json'), outPath: null });
      assert.ok(first.status === 'ok' && second.status === 'ok');
      assert.notEqual(first.result.specHash, second.result.specHash);
    } finally {
      folder.remove();
    }
  });

  it('"auto" uses Lanczos above exactLimit and finds the same extreme eigenvalues', async () => {
    const base = {
      data: { generator: 'linear', samples: 30, seed: 4 },
      model: { layers: [{ units: 1, activation: 'linear' }] },
      training: { runs: 1, learningRate: 0.5, epochs: 5000 },
    };
    const exact = await analyzeText(JSON.stringify(base));
    const lanczos = await analyzeText(JSON.stringify({ ...base, analysis: { exactLimit: 1 } }));
    const off = await analyzeText(JSON.stringify({ ...base, analysis: { hessian: 'off' } }));
    const [e, l, o] = [exact.runs[0], lanczos.runs[0], off.runs[0]];
    assert.deepEqual(
      [e.verdict.method, l.verdict.method, o.verdict.method],
      ['exact', 'lanczos', 'none'],
    );
    assert.deepEqual(
      [e.verdict.kind, l.verdict.kind, o.verdict.kind],
      ['minimum', 'minimum', 'degenerate'],
    );
    assert.equal(o.hessian, null);
    assert.match(o.verdict.reason, /not computed/);
    assert.equal(l.hessian!.complete, false);
    // Above the exact limit the index and nullity come from the inertia of the dense Hessian.
    assert.deepEqual([l.verdict.index, l.verdict.nullity], [0, 0]);
    assert.match(l.verdict.reason, /LDLᵀ inertia/);
    assert.ok(Math.abs(l.hessian!.eigenvalues[0] - e.hessian!.eigenvalues[0]) < 1e-12);
    assert.ok(Math.abs(l.hessian!.eigenvalues.at(-1)! - e.hessian!.eigenvalues.at(-1)!) < 1e-12);
  });

  it('runs listed in training.from start at those points; the others start at random', async () => {
    const result = await analyzeText(
      JSON.stringify({
        data: { generator: 'xor' },
        model: { layers: [{ units: 1, activation: 'linear' }] },
        training: { runs: 2, epochs: 0, from: ['A'] },
        points: [{ name: 'A', vector: [0.25, -0.5, 1] }],
        analysis: { refine: false },
      }),
    );
    const [first, second, point] = result.runs;
    assert.deepEqual(first.parameters, [0.25, -0.5, 1]);
    assert.equal(first.training!.from, 'A');
    assert.notDeepEqual(second.parameters, [0.25, -0.5, 1]);
    assert.equal(point.id, 'point:A');
    assert.deepEqual(point.equivalentTo, { id: 'run-0', relation: 'identical', distance: 0 });
  });

  it('above the exact limit a saddle still gets its index: (a² − b² − 1)² at 0 has H = diag(−4, 4)', async () => {
    const result = await analyzeText(
      JSON.stringify({
        data: { inputs: [[1]], targets: [[1]] },
        model: { expression: 'a^2 - b^2', parameters: ['a', 'b'] },
        training: { runs: 0 },
        points: [{ name: 'origin', values: { a: 0, b: 0 } }],
        analysis: { exactLimit: 1 },
      }),
    );
    const [origin] = result.runs;
    assert.deepEqual(
      [origin.verdict.kind, origin.verdict.index, origin.verdict.method],
      ['saddle', 1, 'lanczos'],
    );
    const [lambdaMin, lambdaMax] = origin.hessian!.eigenvalues;
    assert.ok(Math.abs(lambdaMin + 4) < 1e-12 && Math.abs(lambdaMax - 4) < 1e-12);
  });

  it('judges a run still descending where training left it, and says to train longer', async () => {
    // y = 3x + 1 exactly: the minimum is w = 3, b = 1 with loss 0. Three epochs leave the
    // loss falling fast: refinement would jump to the minimum, but that is not where the run is.
    const base = {
      data: { inputs: [[-1], [0], [1], [2]], targets: [[-2], [1], [4], [7]] },
      model: { layers: [{ units: 1, activation: 'linear' }] },
      training: { runs: 1, epochs: 3, init: 'normal' },
      points: [{ name: 'P', vector: [2, 0] }],
    };
    const [run, point] = (await analyzeText(JSON.stringify(base))).runs;
    assert.equal(run.refinement!.status, 'skipped');
    assert.equal(run.refinement!.accepted, false);
    assert.equal(run.loss, run.refinement!.lossBefore, 'the run keeps its own loss');
    assert.equal(run.verdict.kind, 'not-critical');
    assert.match(
      run.verdict.reason,
      /^still descending: ‖∇L‖ = .* after 3 epochs, and the loss is still falling .*train longer/,
    );
    assert.equal(point.refinement, undefined);
    assert.deepEqual(point.parameters, [2, 0], 'named points are never moved');
    assert.equal(point.verdict.kind, 'not-critical');

    const unrefined = await analyzeText(JSON.stringify({ ...base, analysis: { refine: false } }));
    assert.equal(unrefined.runs[0].refinement, undefined);
    assert.deepEqual(unrefined.runs[0].parameters, run.parameters);
  });

  it('refines a run that training brought near the minimum to the minimum itself', async () => {
    // 80 epochs of GD leave ‖∇L‖ near 1e-5, above the tolerance 1e-8 · 17.5 (the loss unit is
    // mean y² = 17.5): one Newton step lands on w = 3, b = 1, well inside the trust radius.
    const [run] = (
      await analyzeText(
        JSON.stringify({
          data: { inputs: [[-1], [0], [1], [2]], targets: [[-2], [1], [4], [7]] },
          model: { layers: [{ units: 1, activation: 'linear' }] },
          training: { runs: 1, epochs: 80, init: 'normal', stopAt: { gradientNorm: 0 } },
        }),
      )
    ).runs;
    const refinement = run.refinement!;
    assert.equal(refinement.status, 'converged');
    assert.equal(refinement.accepted, true);
    assert.ok(refinement.gradientNormBefore > run.verdict.tolerance.gradient);
    assert.ok(refinement.distance > 0 && refinement.distance <= refinement.trustRadius!);
    assert.ok(Math.abs(run.parameters[0] - 3) < 1e-9 && Math.abs(run.parameters[1] - 1) < 1e-9);
    assert.equal(run.verdict.kind, 'minimum');
  });

  it('the search from random starts finds every critical point of (1 − w²)²: minima ±1, maximum 0', async () => {
    const result = await analyzeText(
      JSON.stringify({
        data: { inputs: [[1]], targets: [[1]] },
        model: { expression: 'w^2', parameters: ['w'] },
        training: { runs: 0 },
        analysis: { search: { starts: 20, seed: 3, scale: 1 } },
      }),
    );
    const found = result.criticalPoints
      .filter((p) => p.source === 'search')
      .map((p) => [Math.round(p.parameters[0] * 1e9) / 1e9 + 0, p.verdict.kind]) // + 0: −0 is 0
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    assert.deepEqual(found, [
      [-1, 'minimum'],
      [0, 'maximum'],
      [1, 'minimum'],
    ]);
    const search = result.search!;
    assert.equal(search.starts, 20);
    assert.equal(search.distinct, 3);
    assert.equal(search.converged + search.gradientFlat + search.failed, 20);
    const counted = result.criticalPoints.reduce(
      (sum, p) => sum + (p.source === 'search' ? p.count : 0),
      0,
    );
    assert.equal(counted, search.converged);
  });

  /**
   * Linear regression: L is exactly quadratic in θ, so a hessian plane at the minimum must be
   * L* + ½(λ₁x² + λ₂y²). The centre is a refined run (‖∇L‖ at most the tolerance, not 0), so
   * the linear term ∇L·(a·u + b·v) is allowed on top of `relative` rounding.
   */
  async function hessianPlaneAtQuadraticMinimum(
    analysis: object,
    resolution: number,
    relative: number,
  ) {
    const result = await analyzeText(
      JSON.stringify({
        data: { generator: 'linear', samples: 20, seed: 6 },
        model: { layers: [{ units: 1, activation: 'linear' }] },
        training: { runs: 1, epochs: 2000, learningRate: 0.5 },
        analysis: {
          ...analysis,
          slices: [{ type: 'plane', directions: 'hessian', center: 'run-0', resolution, span: 2 }],
        },
      }),
    );
    const [plane] = result.slices;
    assert.ok(plane.type === 'plane');
    const { x: lambda1, y: lambda2 } = plane.eigenvalues!;
    plane.y.forEach((b, j) =>
      plane.x.forEach((a, i) => {
        const expected = result.runs[0].loss + 0.5 * (lambda1 * a * a + lambda2 * b * b);
        const linear = result.runs[0].gradientNorm * (Math.abs(a) + Math.abs(b));
        const error = Math.abs(plane.loss[j][i]! - expected);
        assert.ok(error <= linear + relative * Math.max(1, expected), `(${a}, ${b}): ${error}`);
      }),
    );
    return { result, plane };
  }

  it('a hessian plane at a quadratic minimum equals L* + ½(λ₁x² + λ₂y²) everywhere', async () => {
    const { result, plane } = await hessianPlaneAtQuadraticMinimum({}, 11, 1e-12);
    const [lambdaMin, lambdaMax] = result.runs[0].hessian!.eigenvalues;
    assert.deepEqual([plane.eigenvalues!.x, plane.eigenvalues!.y], [lambdaMin, lambdaMax]);
  });

  it('above the exact limit the hessian plane uses Lanczos Ritz vectors, with the same surface', async () => {
    await hessianPlaneAtQuadraticMinimum({ exactLimit: 1 }, 5, 1e-10);
  });

  it('the aligned line between exact permuted twins is flat: no peak, no barrier; the straight one crosses one', async () => {
    const twins = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'examples', 'permuted-twins.loss.json'), 'utf8'),
    );
    const straight = { type: 'line', from: 'point:A', to: 'point:B', steps: 41 };
    const result = await analyzeText(
      JSON.stringify({
        ...twins,
        analysis: { slices: [{ ...straight, align: true }, straight] },
      }),
    );
    const [aligned, unaligned] = result.slices as LineSlice[];
    // B mapped onto A is A: the line does not move, its losses agree to rounding.
    const spread = Math.max(...aligned.loss.map((l) => Math.abs(l! - aligned.loss[20]!)));
    assert.ok(spread <= 1e-15 * aligned.loss[20]!, `spread ${spread}`);
    assert.equal(aligned.peak, undefined);
    assert.ok(Math.abs(aligned.barrier!) <= 1e-15 * aligned.loss[20]!);
    // The straight line between the twins, unaligned, does cross a barrier, with its peak.
    assert.ok(unaligned.peak && unaligned.barrier! > 0.01);
  });

  it("a trajectory plane projects the run's path, which ends at the centre", async () => {
    const result = await analyzeText(
      JSON.stringify({
        data: { generator: 'moons', samples: 30, seed: 1 },
        model: { layers: [{ units: 3 }, { units: 1 }] },
        training: { runs: 1, epochs: 300, learningRate: 0.2 },
        analysis: {
          refine: false,
          paths: 'none',
          slices: [{ type: 'plane', directions: 'trajectory', center: 'run-0', resolution: 9 }],
        },
      }),
    );
    const [plane] = result.slices;
    assert.ok(plane.type === 'plane' && plane.path);
    assert.equal(plane.path.epoch[0], 0);
    assert.equal(plane.path.epoch.at(-1), result.runs[0].training!.epochs);
    assert.ok(Math.abs(plane.path.x.at(-1)!) < 1e-12 && Math.abs(plane.path.y.at(-1)!) < 1e-12);
    const [first, second] = plane.explainedVariance!;
    assert.ok(first >= second && first + second <= 1 + 1e-12);
  });

  it('losses that overflow are stored as null and counted, never NaN', async () => {
    // exp(w²)² overflows for |w| ≳ 18.8.
    const folder = temporaryFolder({
      'o.loss.json': JSON.stringify({
        data: { inputs: [[1]], targets: [[0]] },
        model: { expression: 'exp(w^2)', parameters: ['w'] },
        training: { runs: 0 },
        points: [
          { name: 'a', values: { w: 0 } },
          { name: 'b', values: { w: 30 } },
        ],
        analysis: {
          slices: [{ type: 'line', from: 'point:a', to: 'point:b', steps: 11, margin: 0 }],
        },
      }),
    });
    try {
      const outcome = await analyzeFile({ specPath: folder.file('o.loss.json') });
      assert.ok(outcome.status === 'ok');
      const [line] = outcome.result.slices;
      assert.ok(line.type === 'line');
      // w = 0, 3, …, 30: finite up to w = 18, overflow from w = 21 on (4 values).
      assert.equal(line.nonFinite, 4);
      assert.deepEqual(line.loss.slice(7), [null, null, null, null]);
      const text = readFileSync(folder.file('o.result.json'), 'utf8');
      assert.ok(!text.includes('NaN') && !text.includes('Infinity'));
    } finally {
      folder.remove();
    }
  });

  describe('every bad file is reported, never thrown', () => {
    for (const bad of BAD_SPECS) {
      it(bad.name, async () => {
        const folder = temporaryFolder({ 'bad.loss.json': bad.text, ...bad.files });
        for (const name of bad.folders ?? []) mkdirSync(folder.file(name));
        try {
          const outcome = await analyzeFile({ specPath: folder.file('bad.loss.json') });
          assert.equal(outcome.status, 'invalid');
          const problem =
            outcome.status === 'invalid' &&
            outcome.problems.find((p) => bad.expect.message.test(p.message));
          assert.ok(problem);
          assert.equal(problem.file, 'bad.loss.json');
          assert.ok(!existsSync(folder.file('bad.result.json')), 'no result for an invalid file');
        } finally {
          folder.remove();
        }
      });
    }
  });
});
