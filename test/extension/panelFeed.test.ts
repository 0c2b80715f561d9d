// What the results panel's webview sees of a run, with the webview's own reducer standing in
// for the webview: hidden in the middle of a run (its context discarded, messages to it
// dropped before the host hears it was hidden) and shown again, it gets the whole run.
import assert from 'node:assert/strict';
import { PanelFeed } from '../../src/extension/panelFeed';
import type { EngineEvent } from '../../src/protocol/events';
import type { HostMessage, PanelSnapshot } from '../../src/protocol/panelMessages';
import type { Verdict } from '../../src/protocol/result';
import { initialModel, reduce, type PanelModel } from '../../webview/model';

const verdict = (kind: Verdict['kind']): Verdict => ({
  kind,
  index: kind === 'saddle' ? 1 : 0,
  nullity: 0,
  method: 'exact',
  reason: kind,
  tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
});

/** A webview that can be hidden: while hidden, what is posted to it is dropped (false). */
class FakeWebview {
  visible = true;
  model: PanelModel = initialModel();
  received: HostMessage['type'][] = [];
  status: PanelSnapshot['status'] = 'running';

  post = (message: HostMessage): Thenable<boolean> => {
    if (!this.visible) return Promise.resolve(false);
    this.received.push(message.type);
    this.model = reduce(this.model, message);
    return Promise.resolve(true);
  };

  snapshot = (): PanelSnapshot => ({
    file: 'x.loss.json',
    specPath: '/x.loss.json',
    status: this.status,
    result: null,
    stale: false,
  });

  /** Shown again: a new context, from nothing. */
  restart(): void {
    this.visible = true;
    this.model = initialModel();
    this.received = [];
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

const start: EngineEvent = {
  type: 'start',
  runs: 2,
  points: 0,
  epochs: 100,
  parameterCount: 9,
  threads: 1,
};
const progress = (run: number, epoch: number): EngineEvent => ({
  type: 'progress',
  run,
  epoch,
  loss: 1 / epoch,
});
const finished = (run: number): EngineEvent => ({
  type: 'run-finished',
  run,
  epochs: 100,
  loss: 0.01,
  stopReason: 'epochs',
});
const judged = (run: number, kind: Verdict['kind']): EngineEvent => ({
  type: 'verdict',
  id: `run-${run}`,
  verdict: verdict(kind),
});

describe('results panel feed', () => {
  it('a webview hidden mid-run and shown again has every curve point and verdict of the run', async () => {
    const webview = new FakeWebview();
    const feed = new PanelFeed(webview);
    const direct = new FakeWebview();
    const reference = new PanelFeed(direct);
    const both = (event: EngineEvent) => {
      feed.forward(event);
      reference.forward(event);
    };
    for (const f of [feed, reference]) {
      f.webviewReady();
      f.startRun();
    }
    both(start);
    both(progress(0, 1));
    both(progress(1, 1));
    both(progress(0, 2));
    both(finished(0));
    both(judged(0, 'minimum'));
    // Hidden: these are posted before the host is told, and the webview drops them.
    webview.visible = false;
    both(progress(1, 2));
    both(progress(1, 3));
    both(finished(1));
    await settle();
    feed.webviewGone();
    both(judged(1, 'saddle'));
    await settle();
    webview.restart();
    feed.webviewReady();
    await settle();

    const live = webview.model.live!;
    assert.equal(webview.model.status, 'running');
    assert.deepEqual(live, direct.model.live);
    assert.deepEqual(live.curves[1].epoch, [1, 2, 3, 100]);
    assert.deepEqual(live.curves[0].epoch, [1, 2, 100]);
    assert.equal(live.finished, 2);
    assert.deepEqual(
      Object.entries(live.verdicts).map(([id, v]) => [id, v.kind]),
      [
        ['run-0', 'minimum'],
        ['run-1', 'saddle'],
      ],
    );
    // The snapshot first, then the run: started, all its progress in one message, the rest.
    assert.deepEqual(webview.received, [
      'snapshot',
      'started',
      'progress',
      'run-finished',
      'verdict',
      'run-finished',
      'verdict',
    ]);
    feed.dispose();
    reference.dispose();
  });

  it('after the run, a webview that starts over gets the panel as it is, not the run again', async () => {
    const webview = new FakeWebview();
    const feed = new PanelFeed(webview);
    feed.webviewReady();
    feed.startRun();
    feed.forward(start);
    feed.forward(finished(0));
    webview.status = 'done';
    feed.endRun();
    webview.restart();
    feed.webviewReady();
    await settle();
    assert.deepEqual(webview.received, ['snapshot']);
    assert.equal(webview.model.status, 'done');
    feed.dispose();
  });

  it('a long run keeps a bounded replay: every other point past the limit, each curve its first', async () => {
    const webview = new FakeWebview();
    const feed = new PanelFeed(webview, 10);
    feed.webviewReady();
    feed.startRun();
    feed.forward(start);
    for (let epoch = 1; epoch <= 12; epoch++) feed.forward(progress(0, epoch));
    feed.forward(progress(1, 1));
    feed.forward(finished(0));
    webview.restart();
    feed.webviewReady();
    await settle();
    const [first, second] = webview.model.live!.curves;
    // 13 points were over the limit of 10: halved, in order, run 1's only point kept.
    assert.deepEqual(first.epoch, [1, 3, 5, 7, 9, 11, 100]);
    assert.deepEqual(second.epoch, [1]);
    feed.dispose();
  });
});
