// The extension's engine runner, driving the built engine bundle (or a stand-in that crashes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineRunner } from '../../src/extension/engineRunner';
import type { EngineEvent } from '../../src/protocol/events';
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

describe('engine runner (extension side)', () => {
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
