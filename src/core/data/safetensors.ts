// Reads and writes the safetensors format (huggingface/safetensors): an 8-byte little-endian
// header length, a JSON header naming each tensor's dtype, shape and byte range, then the
// raw little-endian data. Hand-written because no npm package checks a hostile file the way
// the engine must: every length, offset and shape is checked before a byte is read, and a
// file that lies gets an error naming the tensor, never a crash.

/** The dtypes read (converted to float64); others are named in the error. */
const READABLE: Record<string, number> = { F64: 8, F32: 4 };
/** Bytes per element of every dtype the format defines, to check the offsets of any file. */
const DTYPE_BYTES: Record<string, number> = {
  ...READABLE,
  F16: 2,
  BF16: 2,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};
/** The format's own limit on the header's size. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface Tensor {
  name: string;
  dtype: string;
  shape: number[];
  values: Float64Array;
}

/** What is wrong with a weight file, naming the tensor when one is at fault. */
export class WeightFileError extends Error {
  constructor(
    message: string,
    readonly tensor?: string,
  ) {
    super(message);
  }
}

/** The tensors of a safetensors file, in the order of their data, as float64. */
export function readSafetensors(bytes: Uint8Array): Tensor[] {
  if (bytes.length < 8)
    throw new WeightFileError(
      `the file is ${bytes.length} bytes: too short for a safetensors file (it starts with an 8-byte header length)`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(bytes.length - 8, MAX_HEADER_BYTES)))
    throw new WeightFileError(
      `the header claims ${headerLength} bytes, but ${bytes.length - 8} follow the length (truncated, or not a safetensors file)`,
    );
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)),
    );
  } catch {
    throw new WeightFileError('the header is not JSON text (not a safetensors file?)');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new WeightFileError('the header is not a JSON object of tensors');
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header as Record<string, unknown>)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, entry]) => checkEntry(name, entry, dataLength));
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  entries.forEach((entry, k) => {
    const previous = entries[k - 1];
    if (previous && entry.begin < previous.end)
      throw new WeightFileError(
        `tensors '${previous.name}' and '${entry.name}' overlap (bytes ${previous.begin}–${previous.end} and ${entry.begin}–${entry.end})`,
        entry.name,
      );
  });
  return entries.map((entry) => {
    if (!(entry.dtype in READABLE))
      throw new WeightFileError(
        `tensor '${entry.name}' is ${entry.dtype}; only F64 and F32 are read (save the weights as float32 or float64)`,
        entry.name,
      );
    const count = entry.shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(count);
    const at = dataStart + entry.begin;
    if (entry.dtype === 'F64')
      for (let i = 0; i < count; i++) values[i] = view.getFloat64(at + 8 * i, true);
    else for (let i = 0; i < count; i++) values[i] = view.getFloat32(at + 4 * i, true);
    return { name: entry.name, dtype: entry.dtype, shape: entry.shape, values };
  });
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function checkEntry(name: string, entry: unknown, dataLength: number): Entry {
  const fail = (what: string) => new WeightFileError(`tensor '${name}': ${what}`, name);
  if (typeof entry !== 'object' || entry === null) throw fail('its header entry is not an object');
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES))
    throw fail(`its dtype ${JSON.stringify(dtype)} is not one the format defines`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw fail(`its shape ${JSON.stringify(shape)} is not a list of sizes`);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
  )
    throw fail(`its data_offsets ${JSON.stringify(offsets)} are not two byte positions`);
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength)
    throw fail(
      `its data runs from byte ${begin} to ${end}, but the file holds ${dataLength} bytes of data (truncated, or a lying header)`,
    );
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (count * DTYPE_BYTES[dtype] !== end - begin)
    throw fail(
      `shape [${shape.join(', ')}] of ${dtype} needs ${count * DTYPE_BYTES[dtype]} bytes, but its offsets span ${end - begin}`,
    );
  return { name, dtype, shape: shape as number[], begin, end };
}

/**
 * A safetensors file of the given tensors, in order: F64 keeps every bit, F32 rounds. The
 * header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
export function writeSafetensors(
  tensors: Array<{ name: string; shape: number[]; values: ArrayLike<number> }>,
  dtype: 'F64' | 'F32' = 'F64',
): Uint8Array {
  const size = READABLE[dtype];
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const t of tensors) {
    const bytes = t.values.length * size;
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (8 - (json.length % 8)) % 8;
  const text = new Uint8Array(json.length + padding).fill(0x20);
  text.set(json);
  const out = new Uint8Array(8 + text.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  let at = 8 + text.length;
  for (const t of tensors)
    for (let i = 0; i < t.values.length; i++, at += size)
      if (dtype === 'F64') view.setFloat64(at, t.values[i], true);
      else view.setFloat32(at, t.values[i], true);
  return out;
}
