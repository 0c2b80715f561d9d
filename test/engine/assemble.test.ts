// From analyzed points to the result file's entries, and the choices made on the way: which
// minima are joined by paths, and how the search's starts are counted.
import assert from 'node:assert/strict';
import {
  pathPairs,
  summarizeSearch,
  toPathCriticalPoint,
  toRunResult,
} from '../../src/engine/assemble';
import type { Equivalence, ResultClass } from '../../src/protocol/result';
import { analyzedPoint, verdict } from './fixtures';

const curve = { epoch: [0, 10], loss: [1, 0] };
const run = (index: number, parameters: number[], kind: 'minimum' | 'saddle' = 'minimum') =>
  analyzedPoint(
    `run-${index}`,
    parameters,
    { kind: 'run', index, seed: 100 + index, curve, epochs: 10, stopReason: 'gradientNorm' },
    kind,
  );

describe('assembling the result', () => {
  it('a trained run: its training, no name; a named point: its name, no training', () => {
    const trained = run(0, [1, 2]);
    assert.deepEqual(toRunResult(trained, null), {
      id: 'run-0',
      kind: 'run',
      seed: 100,
      loss: 0,
      gradientNorm: 1e-12,
      parameters: [1, 2],
      curve,
      training: { epochs: 10, stopReason: 'gradientNorm' },
      verdict: verdict('minimum'),
      hessian: { eigenvalues: [2], complete: true },
      equivalentTo: null,
    });
    const point = analyzedPoint('point:A', [3], { kind: 'point', name: 'A' });
    const entry = toRunResult(point, null);
    assert.equal(entry.kind, 'point');
    assert.equal(entry.name, 'A');
    assert.equal('training' in entry || 'seed' in entry || 'curve' in entry, false);
  });

  it('joins each class of minima to its first twin that is not the same point', () => {
    const points = [run(0, [1]), run(1, [1]), run(2, [-1]), run(3, [5], 'saddle'), run(4, [5])];
    const classes: ResultClass[] = [
      {
        representative: 'run-0',
        members: ['run-0', 'run-1', 'run-2'],
        verdict: 'minimum',
        loss: 0,
      },
      { representative: 'run-3', members: ['run-3', 'run-4'], verdict: 'saddle', loss: 0 },
    ];
    const twin = (id: string, relation: Equivalence['relation']): [string, Equivalence] => [
      id,
      { id: 'run-0', relation, distance: 0 },
    ];
    const equivalences = new Map([
      twin('run-1', 'identical'),
      twin('run-2', 'sign'),
      twin('run-4', 'permutation'),
    ]);
    // run-1 is run-0 itself; run-2 is its negated twin; run-3's class is a saddle's.
    assert.deepEqual(
      pathPairs('twins', points, classes, equivalences).map(([a, b]) => [a.id, b.id]),
      [['run-0', 'run-2']],
    );
    assert.deepEqual(pathPairs('none', points, classes, equivalences), []);
    assert.deepEqual(
      pathPairs([{ from: 'run-3', to: 'run-4' }], points, classes, equivalences).map(([a, b]) => [
        a.id,
        b.id,
      ]),
      [['run-3', 'run-4']],
    );
  });

  it('counts the search: starts that reached one point, gradient-flat ones, failures', () => {
    const start = (index: number, w: number, status: 'converged' | 'gradient-flat' | 'stalled') =>
      analyzedPoint(`start-${index}`, [w], { kind: 'search', index, status });
    const starts = [
      start(0, 1, 'converged'),
      start(1, 0.3, 'gradient-flat'),
      start(2, 1, 'converged'),
      start(3, 7, 'stalled'),
    ];
    const { points, summary } = summarizeSearch(starts, {
      architecture: null,
      symmetries: true,
      outputs: (theta) => Float64Array.from(theta),
    });
    assert.deepEqual(summary, { starts: 4, converged: 2, gradientFlat: 1, failed: 1, distinct: 1 });
    assert.deepEqual(
      points.map((p) => [p.id, p.count, p.starts, p.parameters]),
      [['critical-0', 2, [0, 2], [1]]],
    );
  });

  it('a saddle between twins carries its barrier and the path it was found on', () => {
    const saddle = analyzedPoint(
      'saddle-0',
      [0],
      {
        kind: 'path',
        between: ['run-0', 'run-2'],
        barrier: 1,
        straightLineBarrier: 1,
        path: { losses: [0, 1, 0], iterations: 10, settled: true },
        refinement: { status: 'converged', iterations: 1, distance: 0 },
      },
      'maximum',
      1,
    );
    const entry = toPathCriticalPoint(saddle);
    assert.deepEqual(
      [entry.source, entry.between, entry.barrier, entry.parameters],
      ['path', ['run-0', 'run-2'], 1, [0]],
    );
    assert.throws(() => toPathCriticalPoint(run(0, [1])), /not a saddle between twins/);
  });
});
