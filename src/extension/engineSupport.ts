// The engine's in-process help for the editor (a spec's problems, its current hash), loaded
// on first use from a bundle of its own: the extension activates on every JSON file, and
// starts without the engine's validation, schema and formula parser until a .loss.json needs
// them. From the sources (tests), the module itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

type EditorSupport = typeof import('../engine/editorSupport');

let loaded: EditorSupport | undefined;

export function engineSupport(): EditorSupport {
  if (!loaded) {
    const bundled = join(__dirname, 'editorSupport.js');
    const path = existsSync(bundled) ? bundled : join(__dirname, '..', 'engine', 'editorSupport');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose
    loaded = require(path) as EditorSupport;
  }
  return loaded;
}
