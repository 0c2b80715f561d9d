// The extension's engine runner, driving the built engine bundle (or a stand-in that crashes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineRunner, type RunHandle, type RunOutcome } from '../../src/extension/engineRunner';
import type { EngineEvent } from '../../src/protocol/events';
import {
  blockUntilExited,
  canWatchProcesses,
  childExitingAfter,
  churnChildren,
} from '../helpers/processes';
import { temporaryFolder } from '../helpers/temp';

const engine = join(__dirname, '..', '..', 'dist', 'engine.js');
const parabola = readFileSync(
  join(__dirname, '..', '..', 'examples', 'parabola.loss.json'),
  'utf8',
);
const slow = JSON.stringify({
  data: { generator: 'moons', samples: 2000 },
  model: { layers: [{ units: 32 }, { units: 1 }] },
  training: { runs: 2, epochs: 1000000 },
});

/**
 * A stand-in engine that says its pid, then on SIGUSR2 sends `done` and exits the moment the
 * message is written: the last word and the exit as close together as they can be.
 */
const lastWordEngine = `
process.on('message', (command) => {
  if (command.type !== 'analyze') return;
  process.on('SIGUSR2', () =>
    process.send(
      { type: 'done', resultPath: null, summary: { name: 'stand-in', verdicts: ['minimum'], classes: 1 } },
      () => process.exit(0),
    ),
  );
  process.send({ type: 'phase', phase: 'data', pid: process.pid });
});
`;

/**
 * One run of the stand-in whose exit the runner sees before its `done`: another child's exit
 * makes libuv reap the engine in the same loop turn in which it exited, before that turn
 * reads the IPC channel (as in an extension host, whose git and language servers come and go).
 */
async function exitSeenBeforeLastWord(runner: EngineRunner, specPath: string) {
  let enginePid = 0;
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const run = runner.start(specPath, {
    outPath: `${specPath}.result.json`,
    onEvent: (event) => {
      if (event.type === 'phase') {
        enginePid = (event as { pid?: number }).pid ?? 0;
        ready();
      }
    },
  });
  await started;
  childExitingAfter(() => {
    process.kill(enginePid, 'SIGUSR2');
    blockUntilExited(enginePid);
  });
  return run.done;
}

describe('engine runner (extension side)', () => {
  it('an engine whose exit is seen before its last message still reports its result', async function () {
    if (!canWatchProcesses) this.skip();
    const folder = temporaryFolder({ 'engine.js': lastWordEngine, 'x.loss.json': parabola });
    try {
      const runner = new EngineRunner(folder.file('engine.js'));
      const outcome = await exitSeenBeforeLastWord(runner, folder.file('x.loss.json'));
      assert.deepEqual(outcome, {
        status: 'ok',
        resultPath: null,
        summary: { name: 'stand-in', verdicts: ['minimum'], classes: 1 },
      });
    } finally {
      folder.remove();
    }
  });

  it('an engine that exits 0 without a result is still a failure, with its stderr', async () => {
    const folder = temporaryFolder({
      'quiet.js':
        "process.on('message', () => { process.stderr.write('nothing to say\\n'); process.exit(0); });",
      'x.loss.json': parabola,
    });
    try {
      const outcome = await new EngineRunner(folder.file('quiet.js')).start(
        folder.file('x.loss.json'),
        { outPath: folder.file('x.result.json') },
      ).done;
      assert.equal(outcome.status, 'failed');
      if (outcome.status !== 'failed') return;
      assert.equal(outcome.message, 'the engine exited with code 0 without a result');
      assert.equal(outcome.exitCode, 0);
      assert.equal(outcome.stderr, 'nothing to say\n');
    } finally {
      folder.remove();
    }
  });

  it('a cancel that crosses the result reports the result: the previous one is gone', async () => {
    // The engine has written its result and said so when the cancel reaches it.
    const folder = temporaryFolder({
      'late.js': `
process.on('message', (command) => {
  if (command.type === 'analyze')
    process.send({ type: 'done', resultPath: '/r.json', summary: { name: 'late', verdicts: [], classes: 0 } });
  else if (command.type === 'cancel') process.exit(130);
});`,
      'x.loss.json': parabola,
    });
    try {
      const run: RunHandle = new EngineRunner(folder.file('late.js')).start(
        folder.file('x.loss.json'),
        {
          outPath: folder.file('x.result.json'),
          onEvent: (event) => {
            if (event.type === 'done') run.cancel();
          },
        },
      );
      const outcome = await run.done;
      assert.equal(outcome.status, 'ok');
      assert.equal(outcome.status === 'ok' && outcome.resultPath, '/r.json');
    } finally {
      folder.remove();
    }
  });

  it('settles a run whose output a surviving grandchild holds open, after the grace', async () => {
    // The engine sends its result, starts a process that keeps its stderr, and exits.
    const folder = temporaryFolder({
      'holder.js': `
process.on('message', () => {
  require('node:child_process')
    .spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: ['ignore', 'ignore', 'inherit'] })
    .unref();
  process.send(
    { type: 'done', resultPath: null, summary: { name: 'held', verdicts: [], classes: 0 } },
    () => process.exit(0),
  );
});`,
      'x.loss.json': parabola,
    });
    try {
      const started = Date.now();
      const outcome = await new EngineRunner(folder.file('holder.js'), undefined, {
        closeGraceMs: 300,
      }).start(folder.file('x.loss.json'), { outPath: folder.file('x.result.json') }).done;
      assert.equal(outcome.status, 'ok');
      assert.ok(Date.now() - started < 20000, 'not held until the grandchild ends');
    } finally {
      folder.remove();
    }
  });

  it('stress (LOSSLAB_STRESS=N): N exits seen first, N real analyses among exiting children, no result lost', async function () {
    const count = Number(process.env.LOSSLAB_STRESS ?? 0);
    if (!(count > 0) || !canWatchProcesses) this.skip();
    this.timeout(0);
    const folder = temporaryFolder({ 'engine.js': lastWordEngine, 'p.loss.json': parabola });
    try {
      const lost: RunOutcome[] = [];
      const standIn = new EngineRunner(folder.file('engine.js'));
      for (let k = 0; k < count; k++) {
        const outcome = await exitSeenBeforeLastWord(standIn, folder.file('p.loss.json'));
        if (outcome.status !== 'ok') lost.push(outcome);
      }
      const churn = churnChildren();
      const real = new EngineRunner(engine);
      for (let k = 0; k < count; k++) {
        const outcome = await real.start(folder.file('p.loss.json'), {
          outPath: folder.file('p.result.json'),
        }).done;
        if (outcome.status !== 'ok') lost.push(outcome);
      }
      const churned = await churn.stop();
      console.log(`      ${2 * count} runs, ${churned} children exited meanwhile`);
      assert.deepEqual(lost, []);
    } finally {
      folder.remove();
    }
  });

  it('runs the engine, streams its events and resolves with the result', async () => {
    const folder = temporaryFolder({ 'p.loss.json': parabola });
    try {
      const events: EngineEvent['type'][] = [];
      const run = new EngineRunner(engine).start(folder.file('p.loss.json'), {
        outPath: folder.file('p.result.json'),
        onEvent: (e) => events.push(e.type),
      });
      const outcome = await run.done;
      assert.equal(outcome.status, 'ok');
      // The parabola: four runs and the point "bottom", all at its one minimum.
      assert.deepEqual(outcome.status === 'ok' && outcome.summary.verdicts, [
        'minimum',
        'minimum',
        'minimum',
        'minimum',
        'minimum',
      ]);
      assert.ok(events.includes('start') && events.at(-1) === 'done');
    } finally {
      folder.remove();
    }
  });

  it('reports an invalid file with its problems', async () => {
    const folder = temporaryFolder({
      'bad.loss.json': '{"data": {"generator": "xor"}, "model": {"layers": [{"units": 0}]}}',
    });
    try {
      const outcome = await new EngineRunner(engine).start(folder.file('bad.loss.json'), {
        outPath: folder.file('bad.result.json'),
      }).done;
      assert.equal(outcome.status, 'invalid');
      assert.match(
        outcome.status === 'invalid' ? outcome.problems[0].message : '',
        /units must be ≥ 1, got 0/,
      );
    } finally {
      folder.remove();
    }
  });

  it('allows one run per file, and cancel leaves the previous result intact', async () => {
    const folder = temporaryFolder({ 's.loss.json': slow, 's.result.json': 'previous\n' });
    try {
      const runner = new EngineRunner(engine);
      const run = runner.start(folder.file('s.loss.json'), {
        outPath: folder.file('s.result.json'),
        onEvent: (e) => {
          if (e.type === 'start') run.cancel();
        },
      });
      assert.equal(runner.running(folder.file('s.loss.json')), run);
      assert.throws(
        () => runner.start(folder.file('s.loss.json'), { outPath: folder.file('s.result.json') }),
        /already running/,
      );
      assert.deepEqual(await run.done, { status: 'cancelled' });
      assert.equal(runner.running(folder.file('s.loss.json')), undefined);
      assert.equal(readFileSync(folder.file('s.result.json'), 'utf8'), 'previous\n');
    } finally {
      folder.remove();
    }
  });

  it('turns a crash into a failed outcome with the exit code and stderr', async () => {
    const folder = temporaryFolder({
      'crash.js':
        "process.on('message', () => { process.stderr.write('boom: out of luck\\n'); process.exit(9); });",
      'x.loss.json': parabola,
    });
    try {
      const outcome = await new EngineRunner(folder.file('crash.js')).start(
        folder.file('x.loss.json'),
        { outPath: folder.file('x.result.json') },
      ).done;
      assert.equal(outcome.status, 'failed');
      if (outcome.status !== 'failed') return;
      assert.equal(outcome.exitCode, 9);
      assert.match(outcome.stderr, /boom: out of luck/);
      assert.match(outcome.message, /exited with code 9/);
    } finally {
      folder.remove();
    }
  });

  it('names a kill by the system (as on running out of memory)', async () => {
    const folder = temporaryFolder({
      'killed.js': "process.on('message', () => process.kill(process.pid, 'SIGKILL'));",
      'x.loss.json': parabola,
    });
    try {
      const outcome = await new EngineRunner(folder.file('killed.js')).start(
        folder.file('x.loss.json'),
        { outPath: folder.file('x.result.json') },
      ).done;
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.status === 'failed' ? outcome.message : '', /SIGKILL.*out of memory/);
    } finally {
      folder.remove();
    }
  });
});
