// A file's PyTorch model that cannot run: each failure is a problem at the key it is about,
// with what to do (and the traceback of the user's code as its detail), and the previous
// result file is kept. Skipped where /usr/bin/python3 has no torch.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { writeSafetensors } from '../../src/core/data/safetensors';
import { analyzeFile } from '../../src/engine/analyze';
import type { Problem } from '../../src/protocol/problems';
import { temporaryFolder } from '../helpers/temp';
import { describeWithTorch, PYTHON } from '../helpers/torch';

const MODULE = `import torch

def make_model():
    return torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))

def raises():
    return helper()

def helper():
    raise ValueError("the width must be even")

def not_a_module():
    return 42
`;

describeWithTorch('a PyTorch model that cannot run', function () {
  this.timeout(120000);
  const folder = temporaryFolder({ 'model.py': MODULE });
  after(() => folder.remove());
  const xor = { generator: 'xor' };

  /** The problems of a file (written into the folder); its result path holds an older result. */
  async function problemsOf(spec: object, python = PYTHON): Promise<Problem[]> {
    writeFileSync(folder.file('bad.loss.json'), JSON.stringify(spec));
    writeFileSync(folder.file('bad.result.json'), 'the previous result');
    const outcome = await analyzeFile({
      specPath: folder.file('bad.loss.json'),
      python: { setting: python },
    });
    assert.equal(outcome.status, 'invalid');
    assert.equal(readFileSync(folder.file('bad.result.json'), 'utf8'), 'the previous result');
    return outcome.status === 'invalid' ? outcome.problems : [];
  }
  const model = (build: string) => ({ pytorch: { file: 'model.py', build } });

  it('a model file that raises: the exception, at model.pytorch, with its traceback', async () => {
    const [problem] = await problemsOf({ data: xor, model: model('raises') });
    assert.deepEqual(problem.path, ['model', 'pytorch']);
    assert.match(problem.message, /ValueError: the width must be even/);
    assert.match(problem.detail ?? '', /in helper\n[\s\S]*raise ValueError/);
  });

  it('build() returning something that is not a module', async () => {
    const [problem] = await problemsOf({ data: xor, model: model('not_a_module') });
    assert.match(problem.message, /not_a_module\(\) returned a int, not a torch\.nn\.Module/);
  });

  it('data that does not fit the model: at data, with both shapes', async () => {
    const inputs = [
      [0, 0, 1],
      [1, 0, 1],
    ];
    const [problem] = await problemsOf({
      data: { inputs, targets: [[0], [1]] },
      model: model('make_model'),
    });
    assert.deepEqual(problem.path, ['data']);
    assert.match(problem.message, /cannot take the data's inputs \(\[3\] per row\)/);
  });

  it('weights that do not fit: the tensor and both shapes', async () => {
    const tensors = [
      { name: '0.weight', shape: [4, 2], values: new Float64Array(8) },
      { name: '0.bias', shape: [4], values: new Float64Array(4) },
      { name: '2.weight', shape: [1, 4], values: new Float64Array(4) },
      { name: '2.bias', shape: [1], values: new Float64Array(1) },
    ];
    writeFileSync(folder.file('w.safetensors'), writeSafetensors(tensors));
    const problems = await problemsOf({
      data: xor,
      model: model('make_model'),
      points: [{ name: 'trained', weights: 'w.safetensors' }],
    });
    assert.deepEqual(problems[0].path, ['points', 0, 'weights']);
    assert.match(
      problems[0].message,
      /tensor '0\.weight' is \[4, 2\] in the file, the module's is \[3, 2\]/,
    );
  });

  it('no Python with torch: what was tried and what to do', async () => {
    const [problem] = await problemsOf(
      { data: xor, model: model('make_model') },
      folder.file('no-such-python'),
    );
    assert.deepEqual(problem.path, ['model']);
    assert.match(problem.message, /no-such-python \(from the setting\) did not run/);
  });

  it('"device": "cuda" where torch sees no GPU: what to write instead', async function () {
    const probe = `import torch; print(torch.cuda.is_available())`;
    const { spawnSync } = await import('node:child_process');
    if (spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8' }).stdout.trim() === 'True')
      this.skip();
    const [problem] = await problemsOf({
      data: xor,
      model: { pytorch: { file: 'model.py', build: 'make_model', device: 'cuda' } },
    });
    assert.deepEqual(problem.path, ['model', 'pytorch']);
    assert.match(problem.message, /sees no CUDA device here .* use "cpu", or "auto"/);
  });

  it('an .npz dataset with a declared model: it needs a PyTorch model', async () => {
    const [problem] = await problemsOf({
      data: { npz: 'd.npz', inputs: 'x', targets: 'y' },
      model: { layers: [{ units: 1 }] },
    });
    assert.deepEqual(problem.path, ['data', 'npz']);
    assert.match(problem.message, /needs a PyTorch model/);
  });
});
