// File access of the engine: reading the spec and the files it names, writing results
// atomically (a reader sees the old file or the new one, never half of one).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Reads files named in a spec relative to the spec, remembering their contents for the hash. */
export class SpecFiles {
  private readonly hash = createHash('sha256');

  constructor(
    readonly specPath: string,
    readonly specText: string,
  ) {
    this.hash.update(specText);
  }

  readRelative = (relativePath: string): string | undefined => {
    const path = resolve(dirname(this.specPath), relativePath);
    if (!existsSync(path)) return undefined;
    const text = readFileSync(path, 'utf8');
    this.hash.update(`\0${relativePath}\0${text}`);
    return text;
  };

  /** sha256 of the spec text and every file it read, so a stale result can be detected. */
  digest(): string {
    return this.hash.copy().digest('hex');
  }
}

/** Writes through a temporary file in the same folder and renames it into place. */
export function writeFileAtomically(path: string, contents: string): void {
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
