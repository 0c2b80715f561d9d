// The panel's state and how each host message changes it. Pure (no DOM), so the message
// handling is tested in plain mocha. Live loss curves grow in place: a chart reads the same
// arrays while training runs instead of copying them on every batch.
import type { EnginePhase, HostMessage, PanelSnapshot } from '../src/protocol/panelMessages';
import type { AnalysisResult, Verdict, VerdictKind } from '../src/protocol/result';
import { runId } from '../src/protocol/ids';
import { classNumbers, resultRows, type RunRow } from '../src/protocol/runTable';

export interface LiveRun {
  epoch: number[];
  loss: number[];
  finished: boolean;
}

export interface LiveProgress {
  runs: number;
  epochs: number;
  parameterCount: number;
  curves: LiveRun[];
  finished: number;
  verdicts: Record<string, Verdict>;
}

export interface PanelModel extends PanelSnapshot {
  phase: EnginePhase | null;
  live: LiveProgress | null;
}

/** Points kept per live curve; beyond it every other point is dropped (the shape stays). */
export const LIVE_POINTS_LIMIT = 2000;

export function initialModel(): PanelModel {
  return {
    file: '',
    specPath: '',
    status: 'empty',
    result: null,
    stale: false,
    phase: null,
    live: null,
  };
}

export function reduce(model: PanelModel, message: HostMessage): PanelModel {
  switch (message.type) {
    case 'snapshot':
      return {
        ...message.snapshot,
        phase: message.snapshot.status === 'running' ? model.phase : null,
        live: message.snapshot.status === 'running' ? model.live : null,
      };
    case 'started':
      return {
        ...model,
        status: 'running',
        message: undefined,
        phase: 'training',
        live: {
          runs: message.runs,
          epochs: message.epochs,
          parameterCount: message.parameterCount,
          curves: Array.from({ length: message.runs }, () => ({
            epoch: [],
            loss: [],
            finished: false,
          })),
          finished: 0,
          verdicts: {},
        },
      };
    case 'progress': {
      if (!model.live) return model;
      for (const point of message.points) {
        const curve = model.live.curves[point.run];
        if (!curve) continue;
        curve.epoch.push(point.epoch);
        curve.loss.push(point.loss);
        if (curve.epoch.length > LIVE_POINTS_LIMIT) thinInPlace(curve);
      }
      return { ...model };
    }
    case 'run-finished': {
      const curve = model.live?.curves[message.run];
      if (!model.live || !curve || curve.finished) return model;
      curve.finished = true;
      curve.epoch.push(message.epochs);
      curve.loss.push(message.loss);
      return { ...model, live: { ...model.live, finished: model.live.finished + 1 } };
    }
    case 'phase':
      return { ...model, phase: message.phase };
    case 'verdict':
      if (!model.live) return model;
      return {
        ...model,
        live: {
          ...model.live,
          verdicts: { ...model.live.verdicts, [message.id]: message.verdict },
        },
      };
    case 'stale':
      return { ...model, stale: message.stale };
  }
}

function thinInPlace(curve: LiveRun): void {
  let kept = 0;
  for (let i = 0; i < curve.epoch.length; i += 2, kept++) {
    curve.epoch[kept] = curve.epoch[i];
    curve.loss[kept] = curve.loss[i];
  }
  curve.epoch.length = kept;
  curve.loss.length = kept;
}

export function rows(model: PanelModel): RunRow[] {
  if (model.status === 'running' && model.live) return liveRows(model.live);
  return model.result ? resultRows(model.result) : [];
}

function liveRows(live: LiveProgress): RunRow[] {
  return live.curves.map((curve, index) => {
    const id = runId(index);
    return {
      id,
      source: 'run',
      seed: null,
      loss: curve.loss.length > 0 ? curve.loss[curve.loss.length - 1] : null,
      gradientNorm: null,
      verdict: live.verdicts[id] ?? null,
      equivalentTo: null,
      lambdaMin: null,
      lambdaMax: null,
      trace: null,
      traceError: null,
      classNumber: null,
      state: curve.finished ? 'trained' : curve.loss.length > 0 ? 'training' : 'waiting',
    };
  });
}

/** A loss curve to draw: from the live run while training, else from the result. */
export interface CurveSeries {
  id: string;
  /** Color group: the class number, or 0 when unknown. */
  group: number;
  epoch: number[];
  loss: number[];
}

export function curveSeries(model: PanelModel): CurveSeries[] {
  if (model.status === 'running' && model.live)
    return model.live.curves.map((curve, index) => ({
      id: runId(index),
      group: 0,
      epoch: curve.epoch,
      loss: curve.loss,
    }));
  const classes = classNumbers(model.result);
  return (model.result?.runs ?? []).flatMap((run) =>
    run.curve
      ? [
          {
            id: run.id,
            group: classes.get(run.id) ?? 0,
            epoch: run.curve.epoch,
            loss: run.curve.loss,
          },
        ]
      : [],
  );
}

/** A critical point for the index-versus-loss chart: one per class of runs, plus those found. */
export interface IndexedPoint {
  id: string;
  label: string;
  loss: number;
  index: number;
  kind: VerdictKind;
  members: string[];
}

export function indexedPoints(result: AnalysisResult | null): IndexedPoint[] {
  if (!result) return [];
  const verdictOf = new Map(result.runs.map((r) => [r.id, r.verdict]));
  const fromClasses = result.classes.flatMap((c): IndexedPoint[] => {
    const verdict = verdictOf.get(c.representative);
    if (!verdict || verdict.index === null || verdict.kind === 'not-critical') return [];
    const extra = c.members.length > 1 ? ` ×${c.members.length}` : '';
    return [
      {
        id: c.representative,
        label: `${c.representative}${extra}`,
        loss: c.loss,
        index: verdict.index,
        kind: verdict.kind,
        members: c.members,
      },
    ];
  });
  const found = result.criticalPoints.flatMap((p): IndexedPoint[] =>
    p.verdict.index === null || p.verdict.kind === 'not-critical'
      ? []
      : [
          {
            id: p.id,
            label: p.id,
            loss: p.loss,
            index: p.verdict.index,
            kind: p.verdict.kind,
            members: [p.id],
          },
        ],
  );
  return [...fromClasses, ...found];
}

/** The Hessian summary and verdict of a run, point or critical point by id. */
export function spectrumOf(result: AnalysisResult | null, id: string | null) {
  if (!result || !id) return null;
  const item =
    result.runs.find((r) => r.id === id) ?? result.criticalPoints.find((p) => p.id === id);
  if (!item || !item.hessian) return null;
  return { id, hessian: item.hessian, verdict: item.verdict };
}
