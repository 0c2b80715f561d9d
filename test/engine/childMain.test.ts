// The engine child process as the extension will drive it: fork, IPC commands, events.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEngineEvent, type EngineCommand, type EngineEvent } from '../../src/protocol/events';
import { temporaryFolder } from '../helpers/temp';

const engine = join(__dirname, '..', '..', 'dist', 'engine.js');

function startEngine(
  command: EngineCommand,
  onEvent: (event: EngineEvent, send: (c: EngineCommand) => void) => void = () => undefined,
) {
  const child = fork(engine, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const events: EngineEvent[] = [];
  const send = (c: EngineCommand) => child.send(c);
  child.on('message', (message) => {
    assert.ok(isEngineEvent(message), `unexpected message ${JSON.stringify(message)}`);
    events.push(message);
    onEvent(message, send);
  });
  child.send(command);
  // 'close': after the IPC channel's end, so after every event the engine sent.
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { events, exit };
}

describe('engine child process', () => {
  it('runs an analysis and streams events until done', async () => {
    const folder = temporaryFolder({
      'p.loss.json': readFileSync(
        join(__dirname, '..', '..', 'examples', 'parabola.loss.json'),
        'utf8',
      ),
    });
    try {
      const out = folder.file('p.result.json');
      const { events, exit } = startEngine({
        type: 'analyze',
        specPath: folder.file('p.loss.json'),
        outPath: out,
      });
      assert.equal(await exit, 0);
      const types = events.map((e) => e.type);
      assert.deepEqual(
        types.filter((t) => t === 'start' || t === 'done'),
        ['start', 'done'],
      );
      assert.equal(events.filter((e) => e.type === 'verdict').length, 5);
      const done = events.at(-1) as Extract<EngineEvent, { type: 'done' }>;
      assert.equal(done.resultPath, out);
      assert.equal(JSON.parse(readFileSync(out, 'utf8')).runs.length, 5);
    } finally {
      folder.remove();
    }
  });

  it('reports an invalid file as an event and exits 1', async () => {
    const folder = temporaryFolder({
      'bad.loss.json': '{"data": {}, "model": {"layers": [{"units": 1}]}}',
    });
    try {
      const { events, exit } = startEngine({
        type: 'analyze',
        specPath: folder.file('bad.loss.json'),
        outPath: folder.file('bad.result.json'),
      });
      assert.equal(await exit, 1);
      const invalid = events.find((e) => e.type === 'invalid') as Extract<
        EngineEvent,
        { type: 'invalid' }
      >;
      assert.match(invalid.problems[0].message, /data needs one of/);
      assert.equal(invalid.problems[0].line, 1);
    } finally {
      folder.remove();
    }
  });

  it('cancel stops the run, exits 130 and writes nothing', async () => {
    const spec = JSON.stringify({
      data: { generator: 'moons', samples: 2000 },
      model: { layers: [{ units: 32 }, { units: 1 }] },
      training: { runs: 2, epochs: 1000000 },
    });
    const folder = temporaryFolder({ 's.loss.json': spec });
    try {
      const { exit } = startEngine(
        {
          type: 'analyze',
          specPath: folder.file('s.loss.json'),
          outPath: folder.file('s.result.json'),
        },
        (event, send) => {
          if (event.type === 'start') send({ type: 'cancel' });
        },
      );
      assert.equal(await exit, 130);
      assert.equal(existsSync(folder.file('s.result.json')), false);
    } finally {
      folder.remove();
    }
  });
});
