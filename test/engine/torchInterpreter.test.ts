// Finding the Python that runs a PyTorch module: the setting first, then the Python
// extension's environment, then python3 on the PATH; and what is said when none has torch.
import assert from 'node:assert/strict';
import { hasTorch } from '../helpers/torch';
import { chmodSync } from 'node:fs';
import { atLeast, findInterpreter, InterpreterError } from '../../src/engine/torch/interpreter';
import { temporaryFolder } from '../helpers/temp';

const SYSTEM = '/usr/bin/python3';

describe('the interpreter for PyTorch modules', function () {
  this.timeout(120000);
  // A python3 without torch: a script that runs the real interpreter with torch hidden.
  const folder = temporaryFolder({
    python3: `#!/bin/sh\nexec ${SYSTEM} -c "import sys; sys.modules['torch'] = None; exec(sys.argv[2])" -c "$2"\n`,
  });
  chmodSync(folder.file('python3'), 0o755);
  after(() => folder.remove());

  it('compares torch versions as numbers', () => {
    assert.ok(atLeast('1.13.0a0+git1234', [1, 13]));
    assert.ok(atLeast('2.1.0', [1, 13]));
    assert.ok(!atLeast('1.9.1', [1, 13]));
  });

  (hasTorch ? it : it.skip)('the setting wins over the PATH, and says its torch', () => {
    const found = findInterpreter({ setting: SYSTEM, path: folder.path });
    assert.equal(found.python, SYSTEM);
    assert.equal(found.source, 'setting');
    assert.ok(atLeast(found.torch, [1, 13]));
    assert.ok(found.functional === 'torch.func' || found.functional === 'functorch');
  });

  (hasTorch ? it : it.skip)('the Python extension comes before the PATH', () => {
    const found = findInterpreter({ activeEnvironment: SYSTEM, path: folder.path });
    assert.equal(found.source, 'Python extension');
  });

  it('python3 on the PATH without torch: named, with what to install', () => {
    assert.throws(
      () => findInterpreter({ path: folder.path }),
      (error: InterpreterError) =>
        error instanceof InterpreterError &&
        error.message.includes(folder.file('python3')) &&
        /from the PATH\) cannot import torch/.test(error.message) &&
        /apt-get install python3-torch/.test(error.message),
    );
  });

  it('no Python anywhere: the three ways to give one', () => {
    assert.throws(
      () => findInterpreter({ path: '/nonexistent' }),
      /lossLandscape\.python.*Python extension.*python3 on the PATH/,
    );
  });

  it('a setting that is not an interpreter: said so', () => {
    assert.throws(
      () => findInterpreter({ setting: '/nonexistent/python' }),
      /\/nonexistent\/python \(from the setting\) did not run/,
    );
  });
});
