// .npz weight files: archives built here (fflate) of arrays written here (npyjs, and one
// header by hand in Fortran order), read like safetensors, and archives that lie.
import assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import { dump } from 'npyjs';
import { readNpz } from '../../../src/core/data/npz';
import { WeightFileError } from '../../../src/core/data/safetensors';

const npy = (values: Float64Array | Float32Array | Int32Array, shape: number[]) =>
  new Uint8Array(dump(values, shape));

/** A version 1.0 .npy file with the given header dict, padded as NumPy pads it. */
function npyByHand(header: string, data: Uint8Array): Uint8Array {
  const unpadded = 10 + header.length + 1;
  const text = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(new TextEncoder().encode(text), 10);
  out.set(data, 10 + text.length);
  return out;
}

describe('.npz weight files', () => {
  it('reads float64 and float32 arrays by their names in the archive', () => {
    const archive = zipSync({
      '0.weight.npy': npy(Float64Array.of(1.5, -2, 0.1, 3e-300), [2, 2]),
      '0.bias.npy': npy(Float32Array.of(0.1, -0.5), [2]),
    });
    const tensors = readNpz(archive);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    assert.deepEqual([...byName.get('0.weight')!.values], [1.5, -2, 0.1, 3e-300]);
    assert.deepEqual(byName.get('0.weight')!.shape, [2, 2]);
    assert.deepEqual([...byName.get('0.bias')!.values], [Math.fround(0.1), -0.5]);
    assert.equal(byName.get('0.bias')!.dtype, 'F32');
  });

  it('transposes a Fortran-order matrix into row-major θ order', () => {
    // [[1, 2, 3], [4, 5, 6]] stored column by column: 1, 4, 2, 5, 3, 6.
    const data = new Uint8Array(Float64Array.of(1, 4, 2, 5, 3, 6).buffer);
    const file = npyByHand("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data);
    const [tensor] = readNpz(zipSync({ 'w.npy': file }));
    assert.deepEqual([...tensor.values], [1, 2, 3, 4, 5, 6]);
  });

  it('names an array of a dtype it does not read', () => {
    const archive = zipSync({ 'w.npy': npy(Int32Array.of(1, 2), [2]) });
    assert.throws(
      () => readNpz(archive),
      (e: unknown) =>
        e instanceof WeightFileError &&
        e.tensor === 'w' &&
        /tensor 'w' is i4; only float64/.test(e.message),
    );
  });

  it('refuses a truncated archive and an array shorter than its shape', () => {
    const archive = zipSync({ 'w.npy': npy(Float64Array.of(1, 2, 3), [3]) });
    assert.throws(
      () => readNpz(archive.subarray(0, archive.length - 30)),
      (e: unknown) => e instanceof WeightFileError && /not a readable zip archive/.test(e.message),
    );
    const short = npyByHand(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }",
      new Uint8Array(Float64Array.of(1, 2).buffer),
    );
    assert.throws(
      () => readNpz(zipSync({ 'w.npy': short })),
      (e: unknown) => e instanceof WeightFileError && e.tensor === 'w',
    );
  });
});
