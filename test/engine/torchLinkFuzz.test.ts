// The engine's side of the worker's protocol, against a stand-in worker that answers badly: a
// header beyond the limits, arrays that do not add up, a frame cut short, random bytes, or
// silence then exit. Each must end the request with an error that says what came, at once —
// never a hang — while a well-formed reply with NaN and ∞ in it comes through bit for bit.
// No Python needed: the stand-in is a shell script that ignores the worker script it is given.
// Then the real worker with a module whose outputs are NaN: the analysis ends, and says so.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { TorchBridge, TorchError } from '../../src/engine/torch/bridge';
import { encodeFrame } from '../../src/engine/torch/frames';
import { Random } from '../../src/core/rng';
import { analyzeFile } from '../../src/engine/analyze';
import { temporaryFolder } from '../helpers/temp';
import { describeWithTorch, PYTHON } from '../helpers/torch';

describe('the PyTorch worker protocol, from the engine', function () {
  this.timeout(30000);
  const folder = temporaryFolder();
  after(() => folder.remove());

  /** A worker that reads one request, writes `reply`, then sleeps (or exits with `exit`). */
  function standIn(name: string, reply: Buffer, then: 'sleep' | 'exit'): string {
    writeFileSync(folder.file(`${name}.bin`), reply);
    const path = folder.file(`${name}.sh`);
    writeFileSync(
      path,
      `#!/bin/sh\nhead -c 8 > /dev/null\ncat '${folder.file(`${name}.bin`)}'\n${then === 'sleep' ? 'sleep 20' : 'exit 0'}\n`,
    );
    chmodSync(path, 0o755);
    return path;
  }
  const header = (json: number, payload: number) => {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(json, 0);
    bytes.writeUInt32LE(payload, 4);
    return bytes;
  };

  /** The error a request to this worker ends with, and how long it took. */
  function failureOf(python: string): { message: string; seconds: number } {
    const bridge = new TorchBridge(python, folder.file('unused.py'));
    const start = performance.now();
    try {
      bridge.call({ op: 'hello' });
      assert.fail('the request should have failed');
    } catch (error) {
      assert.ok(error instanceof TorchError, String(error));
      return { message: error.message, seconds: (performance.now() - start) / 1000 };
    } finally {
      bridge.close();
    }
  }

  it('a header beyond the limits or arrays that do not add up: an error at once, though the worker lives on', () => {
    const json = Buffer.from('{"ok":true,"arrays":[["v",2]]}');
    const cases: [Buffer, RegExp][] = [
      [header(0xffffffff, 0), /cannot be right/],
      [header(2, 12), /cannot be right/],
      [
        Buffer.concat([header(json.length, 8), json, Buffer.alloc(8)]),
        /arrays longer than the payload/,
      ],
      [Buffer.concat([header(3, 0), Buffer.from('{x}')]), /does not parse/],
    ];
    cases.forEach(([bytes, why], k) => {
      const { message, seconds } = failureOf(standIn(`bad${k}`, bytes, 'sleep'));
      assert.match(message, why);
      assert.ok(seconds < 10, `case ${k} took ${seconds} s: it waited for the sleeping worker`);
    });
  });

  it('a frame cut short, random bytes, or nothing, then exit: the exit is named', () => {
    const good = encodeFrame({ ok: true }, { v: Float64Array.of(1, 2, 3) });
    const random = new Random(5);
    const replies = [
      Buffer.from(good.subarray(0, good.length - 5)),
      Buffer.from(good.subarray(0, 6)),
      Buffer.alloc(0),
      Buffer.from(Array.from({ length: 5 }, () => random.below(256))),
    ];
    replies.forEach((bytes, k) => {
      const { message, seconds } = failureOf(standIn(`cut${k}`, bytes, 'exit'));
      assert.match(message, /exited \(code 0\)|sent a frame/);
      assert.ok(seconds < 10, `case ${k} took ${seconds} s`);
    });
  });

  it('NaN, ∞ and −0 in a well-formed reply arrive bit for bit', () => {
    const values = Float64Array.of(Number.NaN, Infinity, -Infinity, -0, 2 ** -1074);
    const python = standIn(
      'nan',
      Buffer.from(encodeFrame({ ok: true, loss: null }, { v: values })),
      'sleep',
    );
    const bridge = new TorchBridge(python, folder.file('unused.py'));
    try {
      const { arrays } = bridge.call({ op: 'hello' });
      assert.deepEqual([...arrays.v], [...values]);
      assert.ok(Object.is(arrays.v[3], -0));
    } finally {
      bridge.close();
    }
  });
});

describeWithTorch('a module whose outputs are NaN', function () {
  this.timeout(60000);

  it('trains, judges and writes its result: the loss is not finite, and nothing hangs', async () => {
    const folder = temporaryFolder({
      'm.py': `import torch

class NaNNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, x):
        return self.linear(x) * float("nan")

def make_model():
    return NaNNet()
`,
      'nan.loss.json': JSON.stringify({
        data: { generator: 'xor' },
        model: { pytorch: { file: 'm.py', build: 'make_model' } },
        training: { runs: 1, epochs: 20 },
      }),
    });
    const outcome = await analyzeFile({
      specPath: folder.file('nan.loss.json'),
      outPath: null,
      python: { setting: PYTHON },
    });
    folder.remove();
    if (outcome.status !== 'ok') assert.fail(JSON.stringify(outcome));
    const [run] = outcome.result.runs;
    assert.ok(Number.isNaN(run.loss));
    assert.equal(run.verdict.kind, 'not-critical');
    assert.match(run.verdict.reason, /not finite/);
  });
});
