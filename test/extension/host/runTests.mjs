// Runs the extension-host suite. Inside desktop VS Code through @vscode/test-electron when
// VSCODE_EXECUTABLE names one or VSCODE_TEST_DOWNLOAD=1 allows downloading it; otherwise
// (this machine, CI) inside code-server's VS Code server with headless Chromium.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../../support/vscodeServer.mjs';

const executable = process.env.VSCODE_EXECUTABLE;
if (executable || process.env.VSCODE_TEST_DOWNLOAD === '1') {
  const { runTests } = await import('@vscode/test-electron');
  const workspace = mkdtempSync(join(tmpdir(), 'losslab-electron-'));
  try {
    await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'extension', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
    process.exit(0);
  } catch (error) {
    console.error(String(error));
    process.exit(1);
  }
} else {
  await import('./runInCodeServer.mjs');
}
