// Runs the extension-host suite inside a real VS Code (see test/support/vscodeServer.mjs)
// with the suite as extensionTestsPath. Exit status: the suite's.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import util from 'node:util';
import {
  launchBrowser,
  root,
  startVsCodeServer,
  workbenchUrl,
} from '../../support/vscodeServer.mjs';

let exitCode;
let server;
try {
  server = await startVsCodeServer();
  const workspace = mkdtempSync(join(server.scratch, 'workspace-'));
  const context = await launchBrowser(server);
  const page = context.pages()[0] ?? (await context.newPage());
  const finished = new Promise((resolveExit) => {
    void page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args ?? []));
      // The workbench's own chatter (chat, agents, accounts) is not the suite's output.
      if (!/\[(AgentHost|ChatModelSelection|AccountPolicyGate)\]/.test(line)) console.log(line);
    });
    void page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  });
  const tests = join(root, 'out', 'test', 'extension', 'index.js');
  await page.goto(
    workbenchUrl(server, workspace, [
      ['extensionTestsPath', `vscode-remote://${server.authority}${tests}`],
    ]),
  );
  // Its stress test alone runs a few hundred analyses (LOSSLAB_STRESS, default 200).
  exitCode = await Promise.race([finished, new Promise((r) => setTimeout(() => r(124), 1200000))]);
  if (exitCode === 124) console.error('the extension suite did not finish in 20 minutes');
  await context.close();
} catch (error) {
  console.error(String(error));
  exitCode = 1;
} finally {
  server?.stop();
}
process.exit(exitCode);
