// What a results panel's webview is sent while an analysis runs. Plain Node, no `vscode`, so
// it is tested without an editor.
//
// A hidden panel's webview is discarded (retainContextWhenHidden is off) and starts over when
// shown, and a message posted to it in the moment before VS Code says it is hidden is
// dropped (postMessage resolves false). So every message of the run in progress is kept, and
// a webview that says `ready` gets the whole run again, not the part since it was last seen.
import type { EngineEvent } from '../protocol/events';
import type { HostMessage, PanelSnapshot, ProgressPoint } from '../protocol/panelMessages';

export interface FeedTarget {
  /** Posts to the webview: resolves false when no webview was there to take it. */
  post(message: HostMessage): Thenable<boolean>;
  /** The panel as a whole now: its status and the result on disk. */
  snapshot(): PanelSnapshot;
}

/** Training progress is sent at most this often, so a fast engine cannot flood the webview. */
export const PROGRESS_FLUSH_MS = 100;
/** Progress points kept for a replay; beyond it every other one is dropped (the shape stays). */
export const REPLAY_PROGRESS_LIMIT = 200_000;

export class PanelFeed {
  private ready = false;
  /** The messages of the run in progress, in order; null when none is. */
  private run: HostMessage[] | null = null;
  private progressKept = 0;
  private pending: ProgressPoint[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly target: FeedTarget,
    private readonly replayProgressLimit = REPLAY_PROGRESS_LIMIT,
  ) {}

  /** A run starts: the webview shows it as running at once, before the engine says more. */
  startRun(): void {
    clearTimeout(this.flushTimer);
    this.pending = [];
    this.run = [];
    this.progressKept = 0;
    this.postSnapshot();
  }

  /** One event of the engine, as the webview needs it. */
  forward(event: EngineEvent): void {
    switch (event.type) {
      case 'start':
        this.send({
          type: 'started',
          runs: event.runs,
          epochs: event.epochs,
          parameterCount: event.parameterCount,
        });
        return;
      case 'progress':
        this.pending.push({ run: event.run, epoch: event.epoch, loss: event.loss });
        this.flushTimer ??= setTimeout(() => this.flush(), PROGRESS_FLUSH_MS);
        return;
      case 'run-finished':
        this.flush();
        this.send({
          type: 'run-finished',
          run: event.run,
          epochs: event.epochs,
          loss: event.loss,
          stopReason: event.stopReason,
        });
        return;
      case 'phase':
        this.send({ type: 'phase', phase: event.phase });
        return;
      case 'verdict':
        this.send({ type: 'verdict', id: event.id, verdict: event.verdict });
        return;
      case 'invalid':
      case 'done':
      case 'failed':
        // The outcome arrives through endRun(), once the engine's process has closed.
        return;
    }
  }

  /** The run ended: the webview is sent the panel as it now is (the result on disk). */
  endRun(): void {
    this.flush();
    this.run = null;
    this.postSnapshot();
  }

  /** The webview says it listens (again): it gets the panel, then the run so far. */
  webviewReady(): void {
    this.ready = true;
    this.postSnapshot();
    for (const message of this.replay()) this.deliver(message);
  }

  /** The webview is gone (hidden): nothing is posted until it says `ready` again. */
  webviewGone(): void {
    this.ready = false;
  }

  /** Posts a message that is not part of the run (staleness). */
  postAside(message: HostMessage): void {
    this.deliver(message);
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
  }

  private postSnapshot(): void {
    this.deliver({ type: 'snapshot', snapshot: this.target.snapshot() });
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const points = this.pending;
    this.pending = [];
    this.progressKept += points.length;
    this.send({ type: 'progress', points });
  }

  /** A message of the run: kept for a replay, and posted. */
  private send(message: HostMessage): void {
    if (this.run) {
      this.run.push(message);
      if (this.progressKept > this.replayProgressLimit) this.thinProgress();
    }
    this.deliver(message);
  }

  private deliver(message: HostMessage): void {
    if (!this.ready) return;
    void this.target.post(message).then(
      (taken) => {
        if (!taken) this.ready = false;
      },
      () => {
        this.ready = false;
      },
    );
  }

  /** The run so far, its progress in one message (in order within each run). */
  private replay(): HostMessage[] {
    if (!this.run) return [];
    const points = this.run.flatMap((m) => (m.type === 'progress' ? m.points : []));
    const rest = this.run.filter((m) => m.type !== 'progress');
    const started = rest.findIndex((m) => m.type === 'started');
    if (points.length === 0 || started < 0) return rest;
    return [
      ...rest.slice(0, started + 1),
      { type: 'progress', points },
      ...rest.slice(started + 1),
    ];
  }

  /** Halves the progress kept for a replay: every other point of each run, from its first. */
  private thinProgress(): void {
    if (!this.run) return;
    const counts = new Map<number, number>();
    this.progressKept = 0;
    this.run = this.run.map((message) => {
      if (message.type !== 'progress') return message;
      const points = message.points.filter((point) => {
        const k = counts.get(point.run) ?? 0;
        counts.set(point.run, k + 1);
        return k % 2 === 0;
      });
      this.progressKept += points.length;
      return { ...message, points };
    });
  }
}
