// What the editor asks of the engine without running an analysis: the problems of a spec's
// current text (on every edit), and the hash that tells whether a stored result is still
// current (on every save, reload and finish). Neither trains nor builds a full dataset.
import { basename, dirname, resolve } from 'node:path';
import { parseJson } from '../core/lossfile/parseJson';
import { filesNamedBy, loadSpec } from '../core/lossfile/load';
import type { Problem } from '../protocol/problems';
import { readBinaryFile, readTextFile, SpecFiles } from './files';

export { exportRun } from './exportRun';

/** The problems of `text` as the spec at `specPath` (files it names are read next to it). */
export function specProblems(text: string, specPath: string, exactLimit?: number): Problem[] {
  const folder = dirname(specPath);
  return loadSpec(text, {
    fileName: basename(specPath),
    readFile: (relative) => readTextFile(resolve(folder, relative)),
    readBinary: (relative) => readBinaryFile(resolve(folder, relative)),
    exactLimit,
    validateOnly: true,
  }).problems;
}

/**
 * sha256 of the spec's text and of every file it names, exactly as the engine computes a
 * result's `specHash`; null when the spec cannot be read.
 */
export function currentSpecHash(specPath: string): string | null {
  const read = readTextFile(specPath);
  if (!read.ok) return null;
  const files = new SpecFiles(specPath, read.text);
  for (const named of filesNamedBy(parseJson(read.text).value))
    if (named.binary) files.readRelativeBytes(named.path);
    else files.readRelative(named.path);
  return files.digest();
}
