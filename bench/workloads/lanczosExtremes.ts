// Workload 4: the extreme eigenvalues by Lanczos above the exact limit, beside PyTorch.
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import { initialParameters } from '../../src/core/optim/init';
import { Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import { lanczosExtremes } from '../../src/core/linalg/lanczos';
import {
  fmt,
  quick,
  ratio,
  report,
  rows,
  seconds,
  threads,
  timed,
  torch,
  torchLayers,
} from '../shared';

/** Five extreme eigenvalues at each end of a 784-128-10 MLP's Hessian by Lanczos. */
export function lanczosWorkload(withTorch: boolean): void {
  report('## 4. Lanczos: 5 extreme eigenvalues at each end, 784-128-10 relu, 1000 random inputs');
  const random = new Random(23);
  const layers: LayerSpec[] = [
    { units: 128, activation: 'relu', bias: true },
    { units: 10, activation: 'linear', bias: true },
  ];
  const samples = 1000;
  const inputs = Float64Array.from({ length: samples * 784 }, () => random.normal());
  const labels = Array.from({ length: samples }, () => random.below(10));
  const targets = new Float64Array(samples * 10);
  labels.forEach((label, n) => (targets[n * 10 + label] = 1));
  const architecture = new MlpArchitecture(784, layers);
  const objective = new MlpObjective(architecture, inputs, targets, samples, 'cross-entropy');
  const p = architecture.parameterCount;
  const theta = initialParameters('xavier', 1, p, architecture, random);
  const iterations = quick ? 20 : 60;
  const hv = new Float64Array(p);
  const v = Float64Array.from({ length: p }, () => random.normal());
  const hvp = timed(() => objective.hessianVectorProduct(theta, v, hv));
  let values: number[] = [];
  const ours = timed(
    () => {
      const result = lanczosExtremes((x, out) => objective.hessianVectorProduct(theta, x, out), p, {
        count: 5,
        maxIterations: iterations,
        tolerance: 0,
      });
      values = result.values;
    },
    quick ? 1 : 3,
  );
  // Layer 1 (784→128): X·V₁ᵀ forward and R{δ₁}ᵀ·X backward, no product down to the inputs.
  // Layer 2 (128→10): four products (R-forward two, R-backward two) plus two down.
  const hvpFlops = 2 * samples * (2 * 784 * 128 + 6 * 128 * 10);
  report(`P = ${p}, ${iterations} Lanczos iterations (full reorthogonalization)`);
  report(
    `ours Hessian·vector: ${seconds(hvp)}  (${fmt(hvpFlops / hvp.median / 1e9)} GFLOP/s, 1 thread)`,
  );
  report(`ours Lanczos:        ${seconds(ours)}`);
  report(`ours extremes: ${values.map((x) => x.toPrecision(6)).join(', ')}`);
  if (withTorch) {
    const reference = torch({
      kind: 'lanczos',
      threads,
      repeats: quick ? 1 : 3,
      layers: torchLayers(784, layers),
      inputs: rows(inputs, 784),
      labels,
      theta: Array.from(theta),
      vector: Array.from(v),
      iterations,
    });
    report(
      `PyTorch Hessian·vector: ${seconds(reference.hvp)}  → ratio ${ratio(hvp.median, reference.hvp.median)}`,
    );
    report(
      `PyTorch Lanczos (same iterations, its own start): ${seconds(reference.lanczos)}  → ratio ${ratio(ours.median, reference.lanczos.median)}`,
    );
    const top = (list: number[]) => [...list].sort((a, b) => b - a)[0];
    const bottom = (list: number[]) => [...list].sort((a, b) => a - b)[0];
    report(
      `agreement: λmax ${(Math.abs(top(values) - top(reference.values)) / Math.abs(top(values))).toExponential(1)}, λmin ${Math.abs(bottom(values) - bottom(reference.values)).toExponential(1)} absolute; ‖Hv‖ ${(Math.abs(reference.hvpNorm - Math.hypot(...hv)) / reference.hvpNorm).toExponential(1)} relative`,
    );
  }
  report();
}
