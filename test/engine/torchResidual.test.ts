// Residual layers (a = act(W·x + b) + x) and layer norms in the engine's own MLP against the
// same network as a PyTorch module with `act(linear(x)) + x` blocks and nn.LayerNorm: the
// loss, the gradient, Hessian-vector products and every eigenvalue of the Hessian agree to
// 1e-12. Skipped without torch.
import assert from 'node:assert/strict';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import { symmetricEigenvalues } from '../../src/core/linalg/eigenvalues';
import { Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import { TorchObjective } from '../../src/engine/torch/torchObjective';
import { temporaryFolder } from '../helpers/temp';
import { describeWithTorch, PYTHON } from '../helpers/torch';

const MODULE = `import torch

class Residual(torch.nn.Module):
    def __init__(self, width, bias):
        super().__init__()
        self.linear = torch.nn.Linear(width, width, bias=bias)

    def forward(self, x):
        return torch.tanh(self.linear(x)) + x

class ResidualNorm(torch.nn.Module):
    def __init__(self, width):
        super().__init__()
        self.linear = torch.nn.Linear(width, width)
        self.norm = torch.nn.LayerNorm(width)

    def forward(self, x):
        return self.norm(torch.relu(self.linear(x)) + x)

def make_model():
    return torch.nn.Sequential(
        torch.nn.Linear(2, 4), torch.nn.Tanh(), Residual(4, True), Residual(4, False), torch.nn.Linear(4, 1)
    )

class Block(torch.nn.Module):
    """Two layers and a skip around both: tanh(l2(tanh(l1(x)))) + x, as a ResNet's blocks."""
    def __init__(self, width, inner):
        super().__init__()
        self.l1 = torch.nn.Linear(width, inner)
        self.l2 = torch.nn.Linear(inner, width)

    def forward(self, x):
        return torch.tanh(self.l2(torch.tanh(self.l1(x)))) + x

def make_blocks():
    return torch.nn.Sequential(
        torch.nn.Linear(2, 4), torch.nn.Tanh(), Block(4, 6), Block(4, 3), torch.nn.Linear(4, 1)
    )

def make_normalized():
    return torch.nn.Sequential(
        torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.LayerNorm(4),
        ResidualNorm(4), Residual(4, False), torch.nn.Linear(4, 1)
    )
`;

const CASES: { name: string; build: string; layers: LayerSpec[] }[] = [
  {
    name: 'residual layers',
    build: 'make_model',
    layers: [
      { units: 4, activation: 'tanh', bias: true },
      { units: 4, activation: 'tanh', bias: true, residual: true },
      { units: 4, activation: 'tanh', bias: false, residual: true },
      { units: 1, activation: 'linear', bias: true },
    ],
  },
  {
    name: 'layer norms, on a plain and on a residual layer',
    build: 'make_normalized',
    layers: [
      { units: 4, activation: 'tanh', bias: true, norm: 'layer' },
      { units: 4, activation: 'relu', bias: true, residual: true, norm: 'layer' },
      { units: 4, activation: 'tanh', bias: false, residual: true },
      { units: 1, activation: 'linear', bias: true },
    ],
  },
  {
    name: 'skips around two layers (ResNet-style blocks of 4 → 6 → 4 and 4 → 3 → 4)',
    build: 'make_blocks',
    layers: [
      { units: 4, activation: 'tanh', bias: true },
      { units: 6, activation: 'tanh', bias: true },
      { units: 4, activation: 'tanh', bias: true, residual: 2 },
      { units: 3, activation: 'tanh', bias: true },
      { units: 4, activation: 'tanh', bias: true, residual: 2 },
      { units: 1, activation: 'linear', bias: true },
    ],
  },
];

describeWithTorch('residual layers and layer norms, declared and as a PyTorch module', function () {
  this.timeout(120_000);
  const folder = temporaryFolder({ 'model.py': MODULE });
  after(() => folder.remove());

  for (const { name, build, layers } of CASES)
    it(`${name}: the same loss, gradient, Hessian-vector product and eigenvalues to 1e-12`, () => {
      const random = new Random(11);
      const samples = 40;
      const inputs = Float64Array.from({ length: samples * 2 }, () => random.normal());
      const targets = Float64Array.from({ length: samples }, () => random.normal());
      const architecture = new MlpArchitecture(2, layers);
      const declared = new MlpObjective(architecture, inputs, targets, samples, 'mse');
      const module = TorchObjective.open(PYTHON, {
        file: folder.file('model.py'),
        build,
        loss: 'mse',
        data: { inputs, inputShape: [samples, 2], targets, targetShape: [samples, 1] },
      });
      try {
        const p = architecture.parameterCount;
        assert.equal(module.parameterCount, p);
        const theta = Float64Array.from({ length: p }, () => 0.7 * random.normal());
        const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
          const scale = Math.max(...Array.from(b, Math.abs), 1e-300);
          for (let i = 0; i < b.length; i++)
            assert.ok(Math.abs(a[i] - b[i]) <= 1e-12 * scale, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
        };
        const [g1, g2] = [new Float64Array(p), new Float64Array(p)];
        close([declared.lossAndGradient(theta, g1)], [module.lossAndGradient(theta, g2)], 'loss');
        close(g1, g2, 'gradient');
        const v = Float64Array.from({ length: p }, () => random.normal());
        const [h1, h2] = [new Float64Array(p), new Float64Array(p)];
        declared.hessianVectorProduct(theta, v, h1);
        module.hessianVectorProduct(theta, v, h2);
        close(h1, h2, 'H·v');
        const symmetric = (h: Float64Array) => {
          for (let i = 0; i < p; i++)
            for (let j = 0; j < i; j++)
              h[i * p + j] = h[j * p + i] = (h[i * p + j] + h[j * p + i]) / 2;
          return h;
        };
        close(
          symmetricEigenvalues(symmetric(declared.hessian(theta)), p),
          symmetricEigenvalues(symmetric(module.hessian(theta)), p),
          'eigenvalues',
        );
      } finally {
        module.close();
      }
    });
});
