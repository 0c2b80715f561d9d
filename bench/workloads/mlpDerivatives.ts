// Workload 3a: the 2-64-64-1 MLP's loss, gradient and Hessian-vector product, beside PyTorch.
import { initialParameters } from '../../src/core/optim/init';
import { Random } from '../../src/core/rng';
import {
  fmt,
  ratio,
  repeats,
  report,
  rows,
  seconds,
  threads,
  timed,
  torch,
  torchLayers,
} from '../shared';
import { moonsMlp } from './fixtures';

export function mlpWorkload(withTorch: boolean): void {
  report(
    '## 3a. 2-64-64-1 tanh MLP, 1000 points, MSE: gradient, Hessian-vector product, dense Hessian',
  );
  const { layers, data, architecture, objective } = moonsMlp();
  const p = architecture.parameterCount;
  const random = new Random(7);
  const theta = initialParameters('xavier', 1, p, architecture, random);
  const v = Float64Array.from({ length: p }, () => random.normal());
  const gradient = new Float64Array(p);
  const hv = new Float64Array(p);
  const oursGradient = timed(() => objective.lossAndGradient(theta, gradient));
  const oursHvp = timed(() => objective.hessianVectorProduct(Float64Array.from(theta), v, hv));
  // The whole dense Hessian by blocks of unit directions, as a verdict computes it.
  const oursDense = timed(() => objective.hessian(theta), 1).median;
  const flops = 6 * data.samples * p;
  report(`parameters: ${p}`);
  report(
    `ours gradient:        ${seconds(oursGradient)}  (${fmt(flops / oursGradient.median / 1e9)} GFLOP/s at 6·N·P)`,
  );
  report(`ours Hessian·vector:  ${seconds(oursHvp)}`);
  report(`ours dense Hessian:   ${fmt(oursDense)} s`);
  if (withTorch) {
    objective.lossAndGradient(theta, gradient);
    objective.hessianVectorProduct(Float64Array.from(theta), v, hv);
    const reference = torch({
      kind: 'derivatives',
      threads,
      repeats,
      dense: true,
      layers: torchLayers(2, layers),
      inputs: rows(data.inputs, 2),
      targets: rows(data.targets, 1),
      theta: Array.from(theta),
      vector: Array.from(v),
    });
    const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, y) => s + y * y, 0));
    const torchDense = reference.dense.median;
    report(
      `PyTorch gradient:     ${seconds(reference.gradient)}  → ratio ${ratio(oursGradient.median, reference.gradient.median)}`,
    );
    report(
      `PyTorch Hessian·vector: ${seconds(reference.hvp)}  → ratio ${ratio(oursHvp.median, reference.hvp.median)}`,
    );
    report(
      `PyTorch dense Hessian: ${fmt(torchDense)} s (double-backward, row by row) → ratio ${ratio(oursDense, torchDense)}`,
    );
    report(
      `agreement: loss ${(Math.abs(reference.loss - objective.loss(theta)) / reference.loss).toExponential(1)}, ‖∇L‖ ${(Math.abs(reference.gradientNorm - norm(gradient)) / reference.gradientNorm).toExponential(1)}, ‖Hv‖ ${(Math.abs(reference.hvpNorm - norm(hv)) / reference.hvpNorm).toExponential(1)} (relative)`,
    );
  }
  report();
}
