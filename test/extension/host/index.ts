// Entry of the extension-host test suite: VS Code (here: code-server's server, or desktop VS
// Code through @vscode/test-electron) loads this file and calls run().
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false });
  mocha.addFile(join(__dirname, 'suite.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve(),
    );
  });
}
