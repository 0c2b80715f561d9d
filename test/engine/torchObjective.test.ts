// A torch.nn.Module behind the Objective seam, against the same network declared as an MLP:
// the loss, the gradient, Hessian-vector products and the dense Hessian agree to 1e-12,
// with PyTorch differentiating in the worker process. Skipped where python3 has no torch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzePoint } from '../../src/core/analysis/analyzePoint';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import { createOptimizer, optimizerSettings } from '../../src/core/optim/optimizers';
import { Random } from '../../src/core/rng';
import { TorchError } from '../../src/engine/torch/bridge';
import { TorchObjective, type TorchData } from '../../src/engine/torch/torchObjective';
import { mseContext, pointAnalysis } from '../helpers/pointAnalysis';
import { temporaryFolder } from '../helpers/temp';
import { describeWithTorch, PYTHON } from '../helpers/torch';

const MODULE = `import torch

def make_model(hidden=3):
    return torch.nn.Sequential(
        torch.nn.Linear(2, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)
    )

def broken():
    raise ValueError("no such network")

def not_a_module():
    return 42

class Dies(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, x):
        # One row is the worker's check at load; the whole dataset is the request it dies in.
        if x.shape[0] > 1:
            import os
            os._exit(3)
        return self.linear(x)

def dies():
    return Dies()
`;

const DATA = `import torch

def load():
    return torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]]), torch.tensor([0.0, 1, 1, 0])

def wrong():
    return [1, 2, 3]
`;

describeWithTorch('a PyTorch module as the objective', function () {
  this.timeout(120000);
  // XOR's four points and a 2-3-1 tanh network: P = 13.
  const inputs = Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1);
  const targets = Float64Array.of(0, 1, 1, 0);
  const architecture = new MlpArchitecture(2, [
    { units: 3, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ]);
  const declared = new MlpObjective(architecture, inputs, targets, 4, 'mse');
  const random = new Random(5);
  const theta = Float64Array.from({ length: 13 }, () => random.normal());
  const v = Float64Array.from({ length: 13 }, () => random.normal());
  const folder = temporaryFolder({ 'model.py': MODULE, 'data.py': DATA });
  const request = (build: string, data: TorchData = inline) => ({
    file: folder.file('model.py'),
    build,
    loss: 'mse' as const,
    data,
    chunk: 3, // two chunks of the four rows: the sums must still be exact
  });
  const inline: TorchData = { inputs, inputShape: [4, 2], targets, targetShape: [4, 1] };
  let module: TorchObjective;
  before(() => (module = TorchObjective.open(PYTHON, request('make_model'))));
  after(() => {
    module?.close();
    folder.remove();
  });

  const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
    const scale = Math.max(...Array.from(b, Math.abs));
    for (let i = 0; i < b.length; i++)
      assert.ok(Math.abs(a[i] - b[i]) <= 1e-12 * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  };

  it("has the declared network's parameters, in the same order, named by the module", () => {
    assert.equal(module.parameterCount, 13);
    assert.equal(module.samples, 4);
    assert.deepEqual(module.parameterNames.slice(0, 3), [
      '0.weight[0][0]',
      '0.weight[0][1]',
      '0.weight[1][0]',
    ]);
    assert.equal(module.parameterNames[12], '2.bias[0]');
    assert.match(module.torchVersion, /^\d+\.\d+/);
  });

  it('gives the loss, gradient, Hessian-vector product and Hessian of the declared MLP', () => {
    close([module.loss(theta)], [declared.loss(theta)], 'loss');
    const [g1, g2] = [new Float64Array(13), new Float64Array(13)];
    close([module.lossAndGradient(theta, g1)], [declared.lossAndGradient(theta, g2)], 'loss');
    close(g1, g2, 'gradient');
    const [h1, h2] = [new Float64Array(13), new Float64Array(13)];
    module.hessianVectorProduct(theta, v, h1);
    declared.hessianVectorProduct(theta, v, h2);
    close(h1, h2, 'H·v');
    close(module.hessian(theta), declared.hessian(theta), 'H');
  });

  it('the analysis on the module: the same verdict and eigenvalues as on the declared MLP', () => {
    const analysis = pointAnalysis({ equivalence: false });
    const context = mseContext(inputs, 4);
    const [ours, theirs] = [declared, module].map((objective) =>
      analyzePoint(objective, theta, analysis, context),
    );
    assert.equal(theirs.verdict.kind, ours.verdict.kind);
    assert.equal(theirs.verdict.index, ours.verdict.index);
    close(theirs.hessian!.eigenvalues, ours.hessian!.eigenvalues, 'λ');
  });

  it('the same data from an .npz or from a data file gives the same loss and gradient', () => {
    const npz = folder.file('xor.npz');
    const written = spawnSync(PYTHON, [
      '-c',
      `import numpy as np; np.savez(${JSON.stringify(npz)}, x=np.array([[0.,0],[0,1],[1,0],[1,1]]), y=np.array([[0.],[1],[1],[0]]))`,
    ]);
    assert.equal(written.status, 0, String(written.stderr));
    const sources: TorchData[] = [
      { npz, inputs: 'x', targets: 'y' },
      { file: folder.file('data.py'), load: 'load' },
    ];
    for (const data of sources) {
      const other = TorchObjective.open(PYTHON, request('make_model', data));
      try {
        assert.equal(other.samples, 4);
        const [g1, g2] = [new Float64Array(13), new Float64Array(13)];
        close([other.lossAndGradient(theta, g1)], [declared.lossAndGradient(theta, g2)], 'loss');
        close(g1, g2, 'gradient');
      } finally {
        other.close();
      }
    }
    assert.throws(
      () =>
        TorchObjective.open(PYTHON, request('make_model', { npz, inputs: 'images', targets: 'y' })),
      /xor\.npz has no array 'images' \(it has x, y\)/,
    );
    assert.throws(
      () =>
        TorchObjective.open(
          PYTHON,
          request('make_model', { file: folder.file('data.py'), load: 'wrong' }),
        ),
      /wrong\(\) must return \(inputs, targets\), not list/,
    );
  });

  it('trains with torch.optim as the engine trains: the same steps of gd and adam, the same θ', () => {
    for (const [optimizer, learningRate] of [
      ['gd', 0.2],
      ['adam', 0.05],
    ] as const) {
      const theirs = module.train(theta, { optimizer, learningRate, steps: 40, every: 10 });
      // The engine's own optimizer on the declared MLP, from the same θ.
      const ours = Float64Array.from(theta);
      const gradient = new Float64Array(13);
      const step = createOptimizer(optimizer, 13, learningRate, optimizerSettings(optimizer, {}));
      const losses: number[] = [];
      for (let k = 0; k < 40; k++) {
        if (k % 10 === 0) close(theirs.snapshots[k / 10], ours, `${optimizer} θ at step ${k}`);
        losses.push(declared.lossAndGradient(ours, gradient));
        step.step(ours, gradient);
      }
      close(theirs.losses, losses, `${optimizer} losses`);
      close(theirs.theta, ours, `${optimizer} θ after 40 steps`);
      assert.ok(losses[39] < losses[0], 'it descends');
    }
  });

  it("a run's start is the module's own initialization under its seed", () => {
    const [a, b, c] = [7, 7, 8].map((seed) => {
      const opened = TorchObjective.open(PYTHON, { ...request('make_model'), seed });
      const start = opened.initialParameters;
      opened.close();
      return start;
    });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    // nn.Linear(2, 3) draws U(±1/√2): every first-layer weight within it.
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(a[i]) <= 1 / Math.sqrt(2));
  });

  it('a worker that dies mid-request: named, and no hang', () => {
    const dying = TorchObjective.open(PYTHON, request('dies'));
    assert.throws(() => dying.loss(theta.subarray(0, 3)), /PyTorch worker exited \(code 3\)/);
    // And every later request says the same at once.
    assert.throws(() => dying.loss(theta.subarray(0, 3)), /exited/);
  });

  it("a module file that raises, or builds no module: the error, with the user's traceback", () => {
    assert.throws(
      () => TorchObjective.open(PYTHON, request('broken')),
      (error: TorchError) =>
        /ValueError: no such network/.test(error.message) && /broken/.test(error.detail ?? ''),
    );
    assert.throws(
      () => TorchObjective.open(PYTHON, request('not_a_module')),
      /not_a_module\(\) returned a int, not a torch.nn.Module/,
    );
  });

  it('an interpreter that does not exist: a message, not a hang', () => {
    assert.throws(
      () => TorchObjective.open('/nonexistent/python3', request('make_model')),
      /could not start|exited/,
    );
  });
});
