// Ending a process without losing what it last wrote. process.exit() ends at once, and a
// write to a pipe is asynchronous on Linux and macOS: what the reader had not taken yet
// (past the pipe's 64 KiB) is lost. `losslab analyze … | less` kept the first 64 KiB.
import type { Writable } from 'node:stream';

/** Exits with `code` once everything written so far to stdout and stderr has left. */
export async function exitWhenWritten(code: number): Promise<never> {
  await Promise.all([written(process.stdout), written(process.stderr)]);
  process.exit(code);
}

/**
 * Resolves once the stream's earlier writes are done: a write's callback comes after the
 * writes before it. A reader that went away (EPIPE, as `| head` does) ends the wait too.
 */
export function written(stream: Writable): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done);
      resolve();
    };
    stream.on('error', done);
    stream.write('', done);
  });
}
