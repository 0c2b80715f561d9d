// The safetensors reader against files built byte by byte here, and against files that lie;
// both weight-file readers against mutations of valid files.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { dump } from 'npyjs';
import { readNpz } from '../../../src/core/data/npz';
import {
  readSafetensors,
  WeightFileError,
  writeSafetensors,
} from '../../../src/core/data/safetensors';

/** A safetensors file from a header object and data bytes, exactly as the format lays it out. */
function file(header: object, data: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

const littleEndian = (values: number[], bytes: 4 | 8) => {
  const out = new Uint8Array(values.length * bytes);
  const view = new DataView(out.buffer);
  values.forEach((v, i) =>
    bytes === 8 ? view.setFloat64(8 * i, v, true) : view.setFloat32(4 * i, v, true),
  );
  return out;
};

const refused = (bytes: Uint8Array, message: RegExp, tensor?: string) =>
  assert.throws(
    () => readSafetensors(bytes),
    (error: unknown) =>
      error instanceof WeightFileError &&
      message.test(error.message) &&
      (tensor === undefined || error.tensor === tensor),
  );

describe('safetensors', () => {
  it('reads F64 and F32 tensors laid out by hand, in data order, as float64', () => {
    const weight = [0.1, -2.5, 3e-300, 7];
    const bias = [0.1, -0.5];
    const data = new Uint8Array([...littleEndian(bias, 4), ...littleEndian(weight, 8)]);
    const tensors = readSafetensors(
      file(
        {
          __metadata__: { format: 'pt' },
          '0.weight': { dtype: 'F64', shape: [2, 2], data_offsets: [8, 40] },
          '0.bias': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        },
        data,
      ),
    );
    assert.deepEqual(
      tensors.map((t) => [t.name, t.dtype, t.shape]),
      [
        ['0.bias', 'F32', [2]],
        ['0.weight', 'F64', [2, 2]],
      ],
    );
    assert.deepEqual([...tensors[1].values], weight, 'F64 bit for bit');
    // F32 rounds 0.1 to 0.100000001490116…: the float64 value of that float32.
    assert.deepEqual([...tensors[0].values], [Math.fround(0.1), -0.5]);
  });

  it('writes what it reads back bit for bit, the header padded to 8 bytes', () => {
    const tensors = [
      { name: '0.weight', shape: [3, 2], values: [Math.PI, -0, 1e-310, 5, 6, -7.25] },
      { name: '0.bias', shape: [3], values: [1, 2, 3] },
    ];
    const bytes = writeSafetensors(tensors);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal((8 + headerLength) % 8, 0);
    const back = readSafetensors(bytes);
    assert.deepEqual(
      back.map((t) => [t.name, t.shape, [...t.values]]),
      tensors.map((t) => [t.name, t.shape, t.values]),
    );
    assert.ok(Object.is(back[0].values[1], -0), 'the sign of zero survives');
  });

  it('refuses a file too short for its header length, or whose header length overruns it', () => {
    refused(new Uint8Array(5), /the file is 5 bytes: too short/);
    const bytes = writeSafetensors([{ name: 'w', shape: [2], values: [1, 2] }]);
    refused(bytes.subarray(0, 12), /the header claims \d+ bytes, but 4 follow/);
  });

  it('refuses data offsets past the end of the file (truncated data)', () => {
    const bytes = writeSafetensors([{ name: 'w', shape: [2], values: [1, 2] }]);
    refused(
      bytes.subarray(0, bytes.length - 1),
      /tensor 'w': its data runs from byte 0 to 16, but the file holds 15/,
      'w',
    );
  });

  it('refuses overlapping tensors, naming both', () => {
    const data = littleEndian([1, 2, 3], 8);
    refused(
      file(
        {
          a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
          b: { dtype: 'F64', shape: [2], data_offsets: [8, 24] },
        },
        data,
      ),
      /tensors 'a' and 'b' overlap/,
      'b',
    );
  });

  it('refuses a shape that does not match its byte range', () => {
    refused(
      file({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /tensor 'w': shape \[3\] of F32 needs 12 bytes, but its offsets span 8/,
      'w',
    );
  });

  it('names a tensor of a dtype it does not read', () => {
    refused(
      file({ w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /tensor 'w' is BF16; only F64 and F32 are read/,
      'w',
    );
    refused(
      file({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, new Uint8Array(16)),
      /tensor 'w': its dtype "F128" is not one the format defines/,
    );
  });

  it('refuses a header that is not a JSON object, and negative or fractional sizes', () => {
    const text = new TextEncoder().encode('not json');
    const bytes = new Uint8Array(8 + text.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
    bytes.set(text, 8);
    refused(bytes, /the header is not JSON text/);
    refused(file([1, 2], new Uint8Array(0)), /not a JSON object of tensors/);
    refused(
      file({ w: { dtype: 'F64', shape: [-1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /its shape \[-1\] is not a list of sizes/,
    );
    refused(
      file({ w: { dtype: 'F64', shape: [1], data_offsets: [0.5, 8] } }, new Uint8Array(8)),
      /data_offsets \[0.5,8\] are not two byte positions/,
    );
  });
});

describe('hostile weight files (property-based)', () => {
  // Every mutation of a valid file — bytes flipped, cut short, lengths rewritten — is read or
  // refused with a WeightFileError; nothing else escapes.
  const valid = writeSafetensors([
    { name: '0.weight', shape: [3, 2], values: [1, 2, 3, 4, 5, 6] },
    { name: '0.bias', shape: [3], values: [0.5, -0.5, 0] },
  ]);

  it('safetensors: flipped bytes, truncation and rewritten header lengths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 8,
        }),
        fc.nat(valid.length),
        fc.option(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
        (flips, cut, length) => {
          const bytes = valid.slice(0, cut);
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          if (length !== null && bytes.length >= 8)
            new DataView(bytes.buffer).setBigUint64(0, length, true);
          try {
            readSafetensors(bytes);
          } catch (error) {
            if (!(error instanceof WeightFileError)) throw error;
          }
        },
      ),
      { numRuns: 2000, seed: 20261129 },
    );
  });

  it('.npz: flipped bytes and truncation of an archive', () => {
    const archive = zipSync({ 'w.npy': new Uint8Array(dump(Float64Array.of(1, 2, 3), [3])) });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(archive.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 6,
        }),
        fc.nat(archive.length),
        (flips, cut) => {
          const bytes = archive.slice(0, cut);
          for (const [at, value] of flips) if (at < bytes.length) bytes[at] = value;
          try {
            readNpz(bytes);
          } catch (error) {
            if (!(error instanceof WeightFileError)) throw error;
          }
        },
      ),
      { numRuns: 2000, seed: 20261129 },
    );
  });
});
