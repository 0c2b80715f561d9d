// The pool: outcomes in job order, the same in this process and on worker threads, and a
// cancelled pool that runs nothing.
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import type { GridJob } from '../../src/engine/jobs';
import { CancelledError, estimateWork, runJobs } from '../../src/engine/pool';
import { twoMinima } from './fixtures';

/** Rows of L(w) = (1 − w²)² along w (the plane's x axis, y unused): one row per job. */
function gridJobs(rows: number[][]): GridJob[] {
  return rows.map((ws, row) => ({
    kind: 'grid',
    slice: 0,
    row,
    center: Float64Array.of(0),
    x: Float64Array.of(1),
    y: Float64Array.of(0),
    xs: ws,
    ys: [0],
    curvature: false,
  }));
}

const linspace51 = () => Array.from({ length: 51 }, (_, k) => -1 + k / 25);

describe('the job pool', () => {
  const { spec, dataset } = twoMinima();
  const rows = [
    [-1, 0, 1],
    [0.5, 2],
    [-2, -0.5],
  ];
  // (1 − w²)²: 0 at ±1, 1 at 0, 0.5625 at ±½, 9 at ±2.
  const expected = [[[0, 1, 0]], [[0.5625, 9]], [[9, 0.5625]]];

  it('gives the outcomes in job order, computed in this process', async () => {
    const outcomes = await runJobs(spec, dataset, 1, gridJobs(rows), {
      threads: 1,
      parallel: 'never',
    });
    assert.deepEqual(
      outcomes.map((o) => [o.row, o.losses]),
      expected.map((losses, row) => [row, losses]),
    );
  });

  it('gives the same outcomes on two worker threads', async () => {
    const outcomes = await runJobs(spec, dataset, 1, gridJobs(rows), {
      threads: 2,
      parallel: 'always',
    });
    assert.deepEqual(
      outcomes.map((o) => o.losses),
      expected,
    );
  });

  it("counts a grid's forward passes as work whatever the Hessian setting", () => {
    // A 51×8 block of grid points, one forward pass each: 2·N·P flops per point.
    const block = { ...gridJobs([linspace51()])[0], ys: [0, 1, 2, 3, 4, 5, 6, 7] };
    const large = { ...dataset, samples: 1000 };
    const work = 51 * 8 * 2 * 1000 * 4417;
    for (const hessian of ['off', 'auto'] as const) {
      const withHessian = { ...spec, analysis: { ...spec.analysis, hessian } };
      assert.equal(estimateWork(withHessian, large, 4417, [block]), work);
    }
  });

  it('counts a path by its gradients: small on (1 − w²)², so it runs without starting a thread', () => {
    // 33 images × 30000 steps × 6·N·P (N = P = 1), plus the saddle's Hessian, 6·N·P·P.
    const path = {
      kind: 'path' as const,
      index: 0,
      between: ['point:left', 'point:right'] as [string, string],
      from: Float64Array.of(-1),
      to: Float64Array.of(1),
    };
    assert.equal(estimateWork(spec, dataset, 1, [path]), 33 * 30000 * 6 + 6);
  });

  it('runs nothing once cancelled, and says so with CancelledError', async () => {
    const controller = new AbortController();
    controller.abort();
    let done = 0;
    await assert.rejects(
      runJobs(spec, dataset, 1, gridJobs(rows), {
        threads: 1,
        parallel: 'never',
        signal: controller.signal,
        onJobDone: () => done++,
      }),
      CancelledError,
    );
    assert.equal(done, 0);
  });

  it('a worker thread that posts and exits at once: every message arrives before its exit', async () => {
    // The pool takes a worker's 'exit' while jobs are out as its failure: that is only right
    // because Node delivers what a worker posted before it says the worker exited.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       for (let k = 0; k < 2000; k++) parentPort.postMessage({ k, filler: 'x'.repeat(1000) });
       process.exit(0);`,
      { eval: true },
    );
    let received = 0;
    worker.on('message', (message: { k: number }) => {
      assert.equal(message.k, received);
      received++;
    });
    const code = await new Promise((resolve) => worker.on('exit', resolve));
    assert.equal(code, 0);
    assert.equal(received, 2000);
  });
});
