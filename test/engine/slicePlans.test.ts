// Planning slices: the geometry each kind asks for, the grid jobs, and the assembled slice
// with its barrier and markers, on (1 − w²)² and on a plane through three points.
import assert from 'node:assert/strict';
import { buildModel } from '../../src/core/model/build';
import type { GridOutcome } from '../../src/engine/jobs';
import { planSlices, rowsPerJob } from '../../src/engine/slicePlans';
import type { SliceSpec } from '../../src/core/vocabulary';
import { analyzedPoint, twoMinima } from './fixtures';

describe('planning slices', () => {
  const { spec, dataset } = twoMinima();
  const point = (name: string, w: number, loss: number) =>
    analyzedPoint(`point:${name}`, [w], { kind: 'point', name }, 'minimum', loss);
  const located = new Map(
    [point('left', -1, 0), point('top', 0, 1), point('right', 1, 0)].map((p) => [p.id, p]),
  );
  const model = () => buildModel(spec, dataset);
  // Three points in a two-parameter space, and the plane through them.
  const flat = (name: string, a: number, b: number) =>
    analyzedPoint(`point:${name}`, [a, b], { kind: 'point', name });
  const points = new Map([flat('o', 0, 0), flat('p', 3, 0), flat('q', 1, 2)].map((p) => [p.id, p]));
  const planeThroughPoints = (resolution: number): SliceSpec => ({
    type: 'plane',
    directions: 'points',
    center: null,
    through: ['point:o', 'point:p', 'point:q'],
    axes: null,
    range: null,
    resolution,
    span: null,
    seed: 0,
    includeBias: false,
    curvature: false,
  });

  it('a line from −1 to 1: one grid row through both ends, its barrier the maximum at w = 0', () => {
    const plan = planSlices(
      [
        {
          type: 'line',
          from: 'point:left',
          to: 'point:right',
          steps: 5,
          margin: 0,
          align: false,
          curvature: false,
        },
      ],
      located,
      null,
      model,
      1000,
    );
    assert.equal(plan.jobs.length, 1);
    const [job] = plan.jobs;
    // θ(t) = −1 + 2t: the plane's center is the first point, its x axis the difference.
    assert.deepEqual([[...job.center], [...job.x], job.xs], [[-1], [2], [0, 0.25, 0.5, 0.75, 1]]);
    // (1 − w²)² at w = −1, −½, 0, ½, 1.
    const grid: GridOutcome = {
      kind: 'grid',
      slice: 0,
      row: 0,
      losses: [[0, 0.5625, 1, 0.5625, 0]],
      seconds: 0,
    };
    const [line] = plan.assemble([grid]);
    assert.ok(line.type === 'line');
    assert.deepEqual([line.t, line.loss, line.barrier], [job.xs, grid.losses[0], 1]);
  });

  it('a flat line whose middle sample is one rounding step higher has no peak; a real bump has one', () => {
    // Two copies of w = 2, as aligned twins are, where (w² − 1)² = 9: a sample 1 ulp above
    // the ends is rounding, 1e-9 is not.
    const ends = new Map([point('a', 2, 9), point('b', 2, 9)].map((p) => [p.id, p]));
    const line = (middle: number) => {
      const plan = planSlices(
        [
          {
            type: 'line',
            from: 'point:a',
            to: 'point:b',
            steps: 5,
            margin: 0,
            align: false,
            curvature: false,
          },
        ],
        ends,
        null,
        model,
        1000,
      );
      const losses = [[9, 9, middle, 9, 9]];
      const [slice] = plan.assemble([{ kind: 'grid', slice: 0, row: 0, losses, seconds: 0 }]);
      assert.ok(slice.type === 'line');
      return slice;
    };
    const flat = line(9 + 2 ** -49);
    assert.equal(flat.peak, undefined);
    assert.equal(flat.barrier, 0);
    const bump = line(9 + 1e-9);
    assert.deepEqual(bump.peak, { t: 0.5, loss: 9 + 1e-9 });
    assert.ok(Math.abs(bump.barrier! - 1e-9) < 1e-14);
  });

  it('skips a slice that names a point that does not exist, and says so', () => {
    const plan = planSlices(
      [
        {
          type: 'line',
          from: 'point:left',
          to: 'saddle-0',
          steps: 5,
          margin: 0,
          align: false,
          curvature: false,
        },
      ],
      located,
      null,
      model,
      1000,
    );
    assert.deepEqual(plan.jobs, []);
    assert.deepEqual(plan.warnings, [
      'analysis.slices[0]: saddle-0 was not found, so the slice was skipped',
    ]);
  });

  it('a plane through three points in two dimensions: markers at their coordinates', () => {
    const plan = planSlices([planeThroughPoints(3)], points, null, model, 1000);
    // The span fits the points with a 25% margin: 1.25 · max(3, 2) = 3.75.
    assert.deepEqual(plan.jobs[0].xs, [-3.75, 0, 3.75]);
    const [plane] = plan.assemble([
      {
        kind: 'grid',
        slice: 0,
        row: 0,
        losses: [
          [0, 0, 0],
          [0, 0, 0],
          [0, 0, 0],
        ],
        seconds: 0,
      },
    ]);
    assert.ok(plane.type === 'plane');
    assert.deepEqual(plane.through, ['point:o', 'point:p', 'point:q']);
    assert.deepEqual(
      plane.markers.map((m) => [m.id, m.x, m.y, m.distance]),
      [
        ['point:o', 0, 0, 0],
        ['point:p', 3, 0, 0],
        ['point:q', 1, 2, 0],
      ],
    );
  });

  it('splits a grid into two jobs per thread, in rows that cover it once', () => {
    // 51 rows: one thread, 2 jobs of 26 and 25 rows; two threads, 4 jobs of 13, 13, 13, 12.
    assert.equal(rowsPerJob(51, 1), 26);
    assert.equal(rowsPerJob(51, 2), 13);
    assert.equal(rowsPerJob(3, 8), 1);
    const plane = (threads: number) =>
      planSlices([planeThroughPoints(51)], points, null, model, 1000, threads).jobs.map((job) => [
        job.row,
        job.ys.length,
      ]);
    assert.deepEqual(plane(2), [
      [0, 13],
      [13, 13],
      [26, 13],
      [39, 12],
    ]);
  });
});
