// Barriers are the line's maximum, not its highest sample: Brent's method on the bracket the
// samples give finds the top between two grid points.
import assert from 'node:assert/strict';
import { lineMaximum } from '../../../src/core/analysis/lineMaximum';
import { straightLineBarrier } from '../../../src/core/analysis/path';
import type { Objective } from '../../../src/core/model/objective';

describe('the maximum along a line', () => {
  it('sin(π t^1.3) on 11 samples: the top, 1 at t = 2^(−1/1.3), between two of them', () => {
    const f = (t: number) => Math.sin(Math.PI * t ** 1.3);
    const ts = Array.from({ length: 11 }, (_, k) => k / 10);
    const values = ts.map(f);
    const highest = Math.max(...values);
    assert.ok(highest < 1 - 1e-3, `the samples miss it: ${highest}`);
    const top = lineMaximum(f, ts, values)!;
    assert.ok(Math.abs(top.value - 1) < 1e-14, `${top.value}`);
    assert.ok(Math.abs(top.t - 2 ** (-1 / 1.3)) < 1e-6, `${top.t}`);
  });

  it('a maximum at an end, or next to a sample that is not finite, is the sample itself', () => {
    const f = (t: number) => 1 - t;
    assert.deepEqual(lineMaximum(f, [0, 0.5, 1], [1, 0.5, 0]), { t: 0, value: 1 });
    assert.deepEqual(lineMaximum(f, [0, 0.5, 1], [0.2, 0.7, null]), { t: 0.5, value: 0.7 });
    assert.equal(lineMaximum(f, [0, 1], [null, null]), null);
  });

  it("straightLineBarrier: the line's true top, where a coarse grid of samples misses it", () => {
    // Between (−1, 0) and (1, 0.6) the loss along the line is (4t² − 4t)² + 0.5·sin²(3t):
    // its maximum, at t ≈ 0.57, lies between the samples of a coarse grid.
    const along = (t: number) => (4 * t * t - 4 * t) ** 2 + 0.5 * Math.sin(3 * t) ** 2;
    const objective = {
      parameterCount: 2,
      loss: (theta: Float64Array) => {
        const t = (theta[0] + 1) / 2;
        return along(t) + 10 * (theta[1] - 0.6 * t) ** 2;
      },
    } as unknown as Objective;
    const a = Float64Array.of(-1, 0);
    const b = Float64Array.of(1, 0.6);
    let best = 0;
    for (let k = 0; k <= 100000; k++) best = Math.max(best, along(k / 100000));
    const endpoints = 0.5 * (along(0) + along(1));
    const barrier = straightLineBarrier(objective, a, b, 11);
    assert.ok(barrier >= best - endpoints - 1e-12, `${barrier} vs ${best - endpoints}`);
    assert.ok(Math.abs(barrier - (best - endpoints)) < 1e-9);
  });
});
