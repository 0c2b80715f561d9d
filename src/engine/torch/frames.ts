// The framing of messages between the engine and the PyTorch worker (python/losslab_worker.py):
// an 8-byte header (the JSON's length and the payload's, little-endian uint32), the JSON, then
// the payload: the float64 arrays the JSON lists in "arrays" as [name, length], back to back,
// as raw little-endian bytes. Vectors of hundreds of thousands of parameters move as bytes,
// never as JSON text.

/** Longest JSON part accepted: a traceback fits; a corrupt length does not make us wait. */
export const MAX_JSON_BYTES = 1 << 24;
/** Longest payload accepted: a dense Hessian of 16,384 parameters. */
export const MAX_PAYLOAD_BYTES = 8 * 16384 * 16384;

export interface Frame {
  message: Record<string, unknown>;
  arrays: Record<string, Float64Array>;
}

export class FrameError extends Error {}

export function encodeFrame(
  message: Record<string, unknown>,
  arrays: Record<string, Float64Array> = {},
): Buffer {
  const entries = Object.entries(arrays);
  const json = Buffer.from(
    JSON.stringify({ ...message, arrays: entries.map(([name, values]) => [name, values.length]) }),
    'utf8',
  );
  const payloadBytes = entries.reduce((sum, [, values]) => sum + 8 * values.length, 0);
  // Every byte is written below: no need to zero it first.
  const frame = Buffer.allocUnsafeSlow(8 + json.length + payloadBytes);
  frame.writeUInt32LE(json.length, 0);
  frame.writeUInt32LE(payloadBytes, 4);
  json.copy(frame, 8);
  let offset = 8 + json.length;
  for (const [, values] of entries) {
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    bytes.copy(frame, offset);
    offset += bytes.length;
  }
  return frame;
}

/**
 * Collects a byte stream into frames. A header that cannot be right (a length beyond the
 * limits, a payload that is not whole float64 values, a JSON that does not parse or whose
 * arrays do not add up to the payload) throws FrameError: the stream is then not trusted.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.buffered < 8) return frames;
      const head = this.peek(8);
      const jsonBytes = head.readUInt32LE(0);
      const payloadBytes = head.readUInt32LE(4);
      if (jsonBytes > MAX_JSON_BYTES || payloadBytes > MAX_PAYLOAD_BYTES || payloadBytes % 8 !== 0)
        throw new FrameError(`a frame header that cannot be right (${jsonBytes}, ${payloadBytes})`);
      const total = 8 + jsonBytes + payloadBytes;
      if (this.buffered < total) return frames;
      const whole = this.take(total);
      frames.push(decode(whole.subarray(8, 8 + jsonBytes), whole.subarray(8 + jsonBytes)));
    }
  }

  private peek(bytes: number): Buffer {
    if (this.chunks[0].length < bytes) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, bytes);
  }

  private take(bytes: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = all.length > bytes ? [all.subarray(bytes)] : [];
    this.buffered -= bytes;
    return all.subarray(0, bytes);
  }
}

function decode(jsonBytes: Buffer, payload: Buffer): Frame {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(jsonBytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new FrameError('a frame whose JSON does not parse');
  }
  const listed = message.arrays;
  if (!Array.isArray(listed)) throw new FrameError('a frame without its list of arrays');
  const arrays: Record<string, Float64Array> = {};
  let offset = 0;
  for (const entry of listed as unknown[]) {
    const [name, length] = Array.isArray(entry) ? entry : [];
    if (typeof name !== 'string' || !Number.isInteger(length) || (length as number) < 0)
      throw new FrameError('a frame with a malformed array entry');
    const bytes = 8 * (length as number);
    if (offset + bytes > payload.length) throw new FrameError('arrays longer than the payload');
    // Copied out, so the array is aligned and owns its memory.
    const values = new Float64Array(length as number);
    Buffer.from(values.buffer).set(payload.subarray(offset, offset + bytes));
    arrays[name] = values;
    offset += bytes;
  }
  if (offset !== payload.length) throw new FrameError('a payload longer than its arrays');
  return { message, arrays };
}
