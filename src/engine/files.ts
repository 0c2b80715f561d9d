// File access of the engine: reading the spec and the files it names, writing results
// atomically (a reader sees the old file or the new one, never half of one).
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BinaryRead, FileRead } from '../core/lossfile/loadData';

/**
 * The largest spec or data file read: V8 strings stop at 512 MiB, and a dataset this size
 * is far beyond what the engine trains on in float64 anyway.
 */
export const MAX_FILE_BYTES = 256 * 1024 ** 2;

/**
 * Reads a UTF-8 text file, or says in words why not: missing, a folder, a device or pipe
 * (never opened: a pipe would block), too large, unreadable, or not UTF-8.
 */
export function readTextFile(path: string, maxBytes = MAX_FILE_BYTES): FileRead {
  const read = readBinaryFile(path, maxBytes);
  return read.ok ? decodeUtf8(read.bytes) : read;
}

/**
 * Reads a file's bytes (weight files), or says in words why not: missing, a folder, a
 * device or pipe (never opened: a pipe would block), too large, or unreadable.
 */
export function readBinaryFile(path: string, maxBytes = MAX_FILE_BYTES): BinaryRead {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory())
      return { ok: false, failure: 'not-a-file', reason: 'is a folder, not a file' };
    if (!stats.isFile())
      return {
        ok: false,
        failure: 'not-a-file',
        reason: 'is not a regular file (a device, pipe or socket)',
      };
    size = stats.size;
  } catch (error) {
    return describeFileError(error);
  }
  if (size > maxBytes)
    return {
      ok: false,
      failure: 'too-large',
      reason: `is ${megabytes(size)}, more than the ${megabytes(maxBytes)} this tool reads`,
    };
  try {
    return { ok: true, bytes: readFileSync(path) };
  } catch (error) {
    return describeFileError(error);
  }
}

function decodeUtf8(bytes: Uint8Array): FileRead {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { ok: false, failure: 'encoding', reason: 'is UTF-16 text: save it as UTF-8' };
  try {
    // A byte-order mark is kept: the JSON and CSV parsers skip it.
    return {
      ok: true,
      text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes),
    };
  } catch {
    return {
      ok: false,
      failure: 'encoding',
      reason: 'is not UTF-8 text (a binary file?): save it as UTF-8',
    };
  }
}

function describeFileError(error: unknown): Extract<BinaryRead, { ok: false }> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return { ok: false, failure: 'missing', reason: 'does not exist' };
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'cannot be read: permission denied'
      : code === 'ELOOP'
        ? 'is a symbolic link that leads back to itself'
        : `cannot be read (${(error as Error).message})`;
  return { ok: false, failure: 'unreadable', reason };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(bytes < 1024 ** 2 ? 2 : 0)} MiB`;
}

/** Reads files named in a spec relative to the spec, remembering their contents for the hash. */
export class SpecFiles {
  private readonly hash = createHash('sha256');

  constructor(
    readonly specPath: string,
    readonly specText: string,
  ) {
    this.hash.update(specText);
  }

  readRelative = (relativePath: string): FileRead => {
    const read = readTextFile(resolve(dirname(this.specPath), relativePath));
    if (read.ok) this.hash.update(`\0${relativePath}\0${read.text}`);
    return read;
  };

  readRelativeBytes = (relativePath: string): BinaryRead => {
    const read = readBinaryFile(resolve(dirname(this.specPath), relativePath));
    if (read.ok) this.hash.update(`\0${relativePath}\0`).update(read.bytes);
    return read;
  };

  /** sha256 of the spec text and every file it read, so a stale result can be detected. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** Writes through a temporary file in the same folder and renames it into place. */
export function writeFileAtomically(path: string, contents: string): void {
  writeBytesAtomically(path, contents);
}

/** The same for bytes (weight files). */
export function writeBytesAtomically(path: string, contents: string | Uint8Array): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

export function defaultResultPath(specPath: string): string {
  return specPath.replace(/(\.loss)?\.json$/i, '') + '.result.json';
}
