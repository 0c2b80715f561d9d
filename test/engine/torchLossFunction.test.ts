// "loss": {"pytorch": "loss_fn"}: a loss written in Python, run by the worker. Written to equal
// one of the engine's losses, it gives the same loss, gradient, eigenvalues and verdict (and
// the same tolerances: its unit is its value at zero outputs, as the engine's are); over
// 1,797 digits, in two chunks, the rows add up exactly. A function that is not a mean over
// rows, raises, returns no scalar or is missing is a problem at loss.pytorch.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../src/engine/analyze';
import type { Problem } from '../../src/protocol/problems';
import { temporaryFolder } from '../helpers/temp';
import { analyzeWithTorch, describeWithTorch, PYTHON } from '../helpers/torch';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

const MODEL = `import torch

def make_model():
    return torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))

def squared_error(outputs, targets):  # the engine's mse: mean over rows of the sum over outputs
    return ((outputs - targets) ** 2).sum(dim=1).mean()

def summed(outputs, targets):
    return ((outputs - targets) ** 2).sum()

def elementwise(outputs, targets):
    return (outputs - targets) ** 2

def raises(outputs, targets):
    return helper()

def helper():
    raise ValueError("no targets like these")
`;

const LOSSES = `import torch
import torch.nn.functional as F

def labels_cross_entropy(outputs, labels):
    if labels.dtype != torch.int64:
        raise TypeError(f"class labels should arrive as int64, not {labels.dtype}")
    return F.cross_entropy(outputs, labels)
`;

describeWithTorch('a loss function written in Python', function () {
  this.timeout(300_000);
  const folder = temporaryFolder({ 'model.py': MODEL, 'losses.py': LOSSES });
  after(() => folder.remove());
  for (const name of [
    'pytorch-moons.csv',
    'pytorch-moons.safetensors',
    'digits-cnn.py',
    'digits-cnn.npz',
    'digits-cnn.safetensors',
  ])
    copyFileSync(join(EXAMPLES, name), folder.file(name));

  const moons = {
    data: { csv: 'pytorch-moons.csv', inputs: ['x0', 'x1'], targets: ['label'] },
    model: { pytorch: { file: 'model.py', build: 'make_model' } },
    points: [{ name: 'pytorch', weights: 'pytorch-moons.safetensors' }],
    training: { runs: 0 },
    analysis: { hessian: 'exact', refine: false, slices: [] },
  };

  const analyze = (spec: object) => analyzeWithTorch(folder.file('loss.loss.json'), spec);

  async function problemOf(spec: object): Promise<Problem> {
    writeFileSync(folder.file('bad.loss.json'), JSON.stringify(spec));
    const outcome = await analyzeFile({
      specPath: folder.file('bad.loss.json'),
      outPath: null,
      python: { setting: PYTHON },
    });
    if (outcome.status !== 'invalid') assert.fail(`expected a problem, got ${outcome.status}`);
    return outcome.problems[0];
  }

  const close = (a: number, b: number, relative: number, what: string) =>
    assert.ok(
      Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b)),
      `${what}: ${a} vs ${b}`,
    );

  it("equals the engine's mse when it computes it: loss, gradient, every eigenvalue, verdict and tolerances", async () => {
    const engine = (await analyze({ ...moons, loss: 'mse' })).runs[0];
    const result = await analyze({ ...moons, loss: { pytorch: 'squared_error' } });
    const python = result.runs[0];
    assert.equal(result.loss, 'pytorch');
    assert.deepEqual(result.lossFunction, { file: 'model.py', name: 'squared_error' });
    close(python.loss, engine.loss, 1e-12, 'loss');
    close(python.gradientNorm, engine.gradientNorm, 1e-10, 'gradient norm');
    const [a, b] = [python.hessian!.eigenvalues, engine.hessian!.eigenvalues];
    const scale = Math.max(...b.map(Math.abs));
    a.forEach((lambda, i) => assert.ok(Math.abs(lambda - b[i]) <= 1e-12 * scale, `λ${i}`));
    assert.equal(python.verdict.kind, engine.verdict.kind);
    // Its unit, the loss at zero outputs, is mse's (mean of y²): the same tolerances.
    close(python.verdict.tolerance.gradient, engine.verdict.tolerance.gradient, 1e-12, 'tolerance');
  });

  it('adds up 1,797 digits in two chunks exactly, with class labels as int64, from a file of its own', async () => {
    const digits = {
      data: { npz: 'digits-cnn.npz', inputs: 'images', targets: 'labels' },
      model: { pytorch: { file: 'digits-cnn.py', build: 'make_model' } },
      points: [{ name: 'pytorch', weights: 'digits-cnn.safetensors' }],
      training: { runs: 0 },
      analysis: { hessian: 'off', refine: false, slices: [] },
    };
    const engine = (await analyze({ ...digits, loss: 'cross-entropy' })).runs[0];
    const python = (
      await analyze({ ...digits, loss: { pytorch: 'labels_cross_entropy', file: 'losses.py' } })
    ).runs[0];
    close(python.loss, engine.loss, 1e-12, 'loss');
    close(python.gradientNorm, engine.gradientNorm, 1e-10, 'gradient norm');
  });

  it('a function that sums instead of averaging: why chunks need a mean over rows, at loss.pytorch', async () => {
    const problem = await problemOf({ ...moons, loss: { pytorch: 'summed' } });
    assert.deepEqual(problem.path, ['loss', 'pytorch']);
    assert.match(problem.message, /summed\(outputs, targets\) is not a mean over the rows/);
    assert.match(problem.message, /reduction='mean'/);
  });

  it('a function that raises: the exception with its traceback; one that returns no scalar; one that is missing', async () => {
    const raised = await problemOf({ ...moons, loss: { pytorch: 'raises' } });
    assert.deepEqual(raised.path, ['loss', 'pytorch']);
    assert.match(raised.message, /loss\.pytorch \(model\.py, raises\(\)\): ValueError: no targets/);
    assert.match(raised.detail ?? '', /in helper\n[\s\S]*raise ValueError/);
    const elementwise = await problemOf({ ...moons, loss: { pytorch: 'elementwise' } });
    assert.match(
      elementwise.message,
      /must return a scalar tensor .*not a tensor of shape \[64, 1\]/,
    );
    const missing = await problemOf({ ...moons, loss: { pytorch: 'nowhere' } });
    assert.match(missing.message, /model\.py has no function nowhere\(outputs, targets\)/);
  });

  it('with a declared model: a problem at loss.pytorch, before any Python runs', async () => {
    const problem = await problemOf({
      data: { generator: 'xor' },
      model: { layers: [{ units: 2, activation: 'tanh' }, { units: 1 }] },
      loss: { pytorch: 'squared_error' },
    });
    assert.deepEqual(problem.path, ['loss', 'pytorch']);
    assert.match(problem.message, /needs a PyTorch model/);
  });
});
