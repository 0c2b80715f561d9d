// The frames between the engine and the PyTorch worker: what is written is read back exactly,
// in any chunking; and what cannot be a frame is refused, never waited on forever.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describeWithTorch } from '../helpers/torch';
import { join } from 'node:path';
import { Random } from '../../src/core/rng';
import { encodeFrame, FrameError, FrameReader } from '../../src/engine/torch/frames';

describe('frames to and from the PyTorch worker', () => {
  const theta = Float64Array.of(1.5, -0, Number.NaN, Infinity, 2 ** -1074);
  const frame = encodeFrame({ op: 'hessianVectorProduct' }, { theta, v: Float64Array.of(3) });

  it('carry JSON and float64 arrays exactly (−0, NaN, ∞ and subnormals included), however chunked', () => {
    // Header 8 bytes, then the JSON, then 6 values of 8 bytes.
    assert.equal(frame.readUInt32LE(4), 48);
    for (const size of [1, 3, 7, 64, frame.length]) {
      const reader = new FrameReader();
      const frames = [];
      for (let at = 0; at < frame.length; at += size)
        frames.push(...reader.push(frame.subarray(at, at + size)));
      assert.equal(frames.length, 1, `chunks of ${size}`);
      const [{ message, arrays }] = frames;
      assert.equal(message.op, 'hessianVectorProduct');
      assert.deepEqual(Object.keys(arrays), ['theta', 'v']);
      theta.forEach((x, i) => assert.ok(Object.is(arrays.theta[i], x), `theta[${i}]`));
      assert.equal(arrays.v[0], 3);
    }
  });

  it('two frames in one chunk are two frames; half a frame waits for the rest', () => {
    const reader = new FrameReader();
    assert.equal(reader.push(Buffer.concat([frame, frame.subarray(0, 10)])).length, 1);
    assert.equal(reader.push(frame.subarray(10)).length, 1);
  });

  it('refuses what cannot be a frame', () => {
    const header = (json: number, payload: number) => {
      const bytes = Buffer.alloc(8);
      bytes.writeUInt32LE(json, 0);
      bytes.writeUInt32LE(payload, 4);
      return bytes;
    };
    const refused = (bytes: Buffer) =>
      assert.throws(() => new FrameReader().push(bytes), FrameError);
    refused(header(0xffffffff, 0)); // a JSON of 4 GB
    refused(header(2, 12)); // a payload that is not whole float64 values
    refused(Buffer.concat([header(3, 0), Buffer.from('{x}')])); // JSON that does not parse
    refused(Buffer.concat([header(2, 0), Buffer.from('{}')])); // no list of arrays
    const lying = Buffer.from(JSON.stringify({ arrays: [['v', 2]] }));
    refused(Buffer.concat([header(lying.length, 8), lying, Buffer.alloc(8)])); // 2 listed, 1 sent
    const short = Buffer.from(JSON.stringify({ arrays: [['v', 1]] }));
    refused(Buffer.concat([header(short.length, 16), short, Buffer.alloc(16)])); // 1 listed, 2 sent
  });
});

describeWithTorch('the PyTorch worker given bytes that are not frames', function () {
  this.timeout(120000);
  const script = join(__dirname, '..', '..', 'python', 'losslab_worker.py');
  /** Sends `bytes` and closes stdin: the worker must end, not wait for more. */
  const feed = (bytes: Buffer) =>
    spawnSync('/usr/bin/python3', [script], { input: bytes, timeout: 60000, encoding: 'utf8' });
  const header = (json: number, payload: number) => {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(json, 0);
    bytes.writeUInt32LE(payload, 4);
    return bytes;
  };

  it('a header beyond the limits, JSON that does not parse, arrays that do not add up: exits saying why', () => {
    const cases: [Buffer, RegExp][] = [
      [header(0xffffffff, 0), /cannot be right/],
      [header(2, 12), /cannot be right/],
      [Buffer.concat([header(3, 0), Buffer.from('{x}')]), /does not parse/],
      [
        Buffer.concat([header(26, 8), Buffer.from('{"op":"echo","arrays":[]} '), Buffer.alloc(8)]),
        /does not parse: arrays that do not add up/,
      ],
    ];
    for (const [bytes, why] of cases) {
      const run = feed(bytes);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, why);
    }
  });

  it('random bytes and truncated frames never hang it', () => {
    const random = new Random(11);
    const good = encodeFrame({ op: 'echo' }, { v: Float64Array.of(1, Number.NaN) });
    for (let k = 0; k < 8; k++) {
      const bytes =
        k % 2 === 0
          ? Buffer.from(Array.from({ length: 1 + random.below(64) }, () => random.below(256)))
          : good.subarray(0, random.below(good.length));
      const run = feed(bytes);
      assert.ok(run.error === undefined, `case ${k}: ${run.error}`); // not killed by the timeout
      assert.ok(run.status === 0 || run.status === 2, `case ${k}: exit ${run.status}`);
    }
    // A whole frame with NaN in it comes back as it went.
    const echo = feed(good);
    assert.equal(echo.status, 0);
  });
});
