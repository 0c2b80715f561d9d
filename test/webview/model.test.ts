import assert from 'node:assert/strict';
import type { AnalysisResult, RunResult, Verdict } from '../../src/protocol/result';
import { noCurvesNote, resultFacts } from '../../webview/panelWording';
import {
  curveSeries,
  indexedPoints,
  initialModel,
  LIVE_POINTS_LIMIT,
  reduce,
  rows,
  type PanelModel,
} from '../../webview/model';

const verdict = (kind: Verdict['kind'], index: number | null): Verdict => ({
  kind,
  index,
  nullity: 0,
  method: 'exact',
  reason: kind,
  tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
});

const run = (
  id: string,
  loss: number,
  eigenvalues: number[],
  kind: Verdict['kind'] = 'minimum',
): RunResult => ({
  id,
  kind: 'run',
  seed: 1,
  loss,
  gradientNorm: 1e-12,
  parameters: [0],
  curve: { epoch: [0, 10], loss: [1, loss] },
  verdict: verdict(kind, kind === 'saddle' ? 1 : 0),
  hessian: { eigenvalues, complete: true },
  equivalentTo: null,
});

/** Three runs: two in one class at loss 0 (a perfect fit), one saddle at loss 0.5. */
function smallResult(): AnalysisResult {
  return {
    format: 'loss-landscape-result',
    version: 1,
    name: 'small',
    source: 'small.loss.json',
    specHash: 'x',
    parameterCount: 2,
    parameterNames: ['a', 'b'],
    loss: 'mse',
    data: { samples: 4, inputs: 1, targets: 1 },
    runs: [run('run-0', 0, [1, 2]), run('run-1', 0.5, [-3, 4], 'saddle'), run('run-2', 0, [1, 2])],
    classes: [
      { representative: 'run-0', members: ['run-0', 'run-2'], verdict: 'minimum', loss: 0 },
      { representative: 'run-1', members: ['run-1'], verdict: 'saddle', loss: 0.5 },
    ],
    slices: [],
    criticalPoints: [],
    warnings: [],
    timings: {
      loadSeconds: 0.25,
      trainingSeconds: 1.25,
      refinementSeconds: 0.5,
      spectrumSeconds: 0.75,
      equivalenceSeconds: 0,
      pathsSeconds: 0,
      searchSeconds: 0,
      slicesSeconds: 0,
      totalSeconds: 2,
      trainingAndVerdictsSeconds: 1.5,
    },
    engine: { version: '0', threads: 1 },
  };
}

const done = (result: AnalysisResult | null): PanelModel =>
  reduce(initialModel(), {
    type: 'snapshot',
    snapshot: {
      file: 'small.loss.json',
      specPath: '/w/small.loss.json',
      status: 'done',
      result,
      stale: false,
    },
  });

describe('panel model', () => {
  it('starts a live run with one empty curve per run and grows them from progress batches', () => {
    let model = reduce(done(smallResult()), {
      type: 'started',
      runs: 2,
      epochs: 100,
      parameterCount: 2,
    });
    assert.equal(model.status, 'running');
    assert.equal(model.live!.curves.length, 2);
    model = reduce(model, {
      type: 'progress',
      points: [
        { run: 0, epoch: 1, loss: 0.9 },
        { run: 1, epoch: 1, loss: 0.8 },
        { run: 0, epoch: 2, loss: 0.7 },
      ],
    });
    assert.deepEqual(model.live!.curves[0].loss, [0.9, 0.7]);
    model = reduce(model, {
      type: 'run-finished',
      run: 1,
      epochs: 100,
      loss: 0.1,
      stopReason: 'epochs',
    });
    assert.equal(model.live!.finished, 1);
    assert.deepEqual(model.live!.curves[1].epoch, [1, 100]);
    // A run reported finished twice counts once.
    model = reduce(model, {
      type: 'run-finished',
      run: 1,
      epochs: 100,
      loss: 0.1,
      stopReason: 'epochs',
    });
    assert.equal(model.live!.finished, 1);
    model = reduce(model, { type: 'verdict', id: 'run-1', verdict: verdict('saddle', 1) });
    const table = rows(model);
    assert.deepEqual(
      table.map((r) => [r.id, r.state, r.verdict?.kind ?? null, r.loss]),
      [
        ['run-0', 'training', null, 0.7],
        ['run-1', 'trained', 'saddle', 0.1],
      ],
    );
  });

  it('thins a long live curve to half, keeping its first point', () => {
    let model = reduce(initialModel(), {
      type: 'started',
      runs: 1,
      epochs: 1e6,
      parameterCount: 1,
    });
    const points = Array.from({ length: LIVE_POINTS_LIMIT + 1 }, (_, k) => ({
      run: 0,
      epoch: k,
      loss: 1 / (k + 1),
    }));
    model = reduce(model, { type: 'progress', points });
    const curve = model.live!.curves[0];
    assert.equal(curve.epoch.length, LIVE_POINTS_LIMIT / 2 + 1);
    assert.equal(curve.epoch[0], 0);
    assert.equal(curve.epoch[1], 2);
  });

  it('keeps the previous result when a run fails or is cancelled', () => {
    const result = smallResult();
    const started = reduce(done(result), {
      type: 'started',
      runs: 3,
      epochs: 10,
      parameterCount: 2,
    });
    // The host reports how a run ended with a snapshot that carries the result on disk.
    const ended = (status: 'failed' | 'cancelled', message?: string) =>
      reduce(started, {
        type: 'snapshot',
        snapshot: {
          file: 'small.loss.json',
          specPath: '/w/small.loss.json',
          status,
          result,
          stale: false,
          message,
        },
      });
    const failed = ended('failed', 'out of memory');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.result, result);
    assert.equal(failed.message, 'out of memory');
    assert.equal(failed.live, null, 'the interrupted live curves are dropped');
    const cancelled = ended('cancelled');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.result, result);
    // The table then shows the result's rows, not the interrupted live ones.
    assert.equal(rows(cancelled)[1].verdict?.kind, 'saddle');
  });

  it('marks and unmarks a result stale', () => {
    const stale = reduce(done(smallResult()), { type: 'stale', stale: true });
    assert.equal(stale.stale, true);
    assert.equal(reduce(stale, { type: 'stale', stale: false }).stale, false);
  });

  it('tables a result: class numbers, λmin and λmax from the ascending spectrum', () => {
    const table = rows(done(smallResult()));
    assert.deepEqual(
      table.map((r) => [r.id, r.classNumber, r.lambdaMin, r.lambdaMax]),
      [
        ['run-0', 1, 1, 2],
        ['run-1', 2, -3, 4],
        ['run-2', 1, 1, 2],
      ],
    );
  });

  it('colors finished curves by class', () => {
    const series = curveSeries(done(smallResult()));
    assert.deepEqual(
      series.map((s) => [s.id, s.group]),
      [
        ['run-0', 1],
        ['run-1', 2],
        ['run-2', 1],
      ],
    );
  });

  it('plots one point per class at its index, labelled with the class size', () => {
    assert.deepEqual(
      indexedPoints(smallResult()).map((p) => [p.label, p.index, p.loss, p.kind]),
      [
        ['run-0 ×2', 0, 0, 'minimum'],
        ['run-1', 1, 0.5, 'saddle'],
      ],
    );
  });
});

describe('panel header and empty states', () => {
  it('the header says how long the analysis took: the total, not the stages added to it', () => {
    // Stages that add up to more than the total of 2 s (two threads): the total is 2.
    assert.deepEqual(resultFacts(smallResult(), 'small.loss.json'), [
      'small.loss.json',
      '3 runs',
      '2 parameters',
      '4 samples',
      'loss mse',
      'computed in 2 s',
    ]);
  });

  it('counts in the singular where there is one, and names points apart from runs', () => {
    const one: AnalysisResult = {
      ...smallResult(),
      parameterCount: 1,
      data: { samples: 1, inputs: 1, targets: 1 },
      runs: [run('run-0', 0, [2]), { ...run('point:top', 1, [-4]), kind: 'point', name: 'top' }],
    };
    assert.deepEqual(resultFacts(one, null).slice(0, 4), [
      '1 run',
      '1 point',
      '1 parameter',
      '1 sample',
    ]);
  });

  it('a result without training runs says so in one line instead of drawing empty curves', () => {
    const pointsOnly: AnalysisResult = {
      ...smallResult(),
      runs: [{ ...run('point:A', 0, [1, 2]), kind: 'point', name: 'A' }],
    };
    assert.match(noCurvesNote(pointsOnly)!, /^No training runs/);
    assert.deepEqual(resultFacts(pointsOnly, null).slice(0, 1), ['1 point']);
    assert.equal(noCurvesNote(smallResult()), null);
    assert.equal(noCurvesNote(null), null);
  });
});
