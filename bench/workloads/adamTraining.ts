// Workload 2: Adam on the 2-64-64-1 MLP, full batch and minibatches, beside PyTorch.
import { initialParameters } from '../../src/core/optim/init';
import { train } from '../../src/core/optim/train';
import { deriveSeed, Random } from '../../src/core/rng';
import type { TrainingSpec } from '../../src/core/vocabulary';
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
import { moonsMlp } from './fixtures';

/** Adam on the 2-64-64-1 MLP: full batch, and minibatches of 32 (training only, 1 run). */
export function trainingWorkload(withTorch: boolean): void {
  report('## 2. 2-64-64-1 tanh MLP, 1000 points, MSE, Adam (learning rate 1e-3)');
  const { layers, data, architecture, objective } = moonsMlp();
  const steps = quick ? 200 : 2000;
  const epochs = quick ? 5 : 50;
  const base: TrainingSpec = {
    runs: 1,
    seed: 0,
    init: 'xavier',
    initScale: 1,
    optimizer: 'adam',
    learningRate: 1e-3,
    settings: {},
    batchSize: null,
    epochs: steps,
    stopAt: { gradientNorm: 0, loss: null },
    noise: null,
    from: [],
  };
  const p = architecture.parameterCount;
  const start = initialParameters('xavier', 1, p, architecture, new Random(deriveSeed(0, 0)));
  let fullLoss = NaN;
  const full = timed(
    () => {
      fullLoss = train({ objective, architecture, training: base, seed: 1, start }).loss;
    },
    quick ? 1 : 3,
  );
  const minibatch = timed(
    () => {
      train({
        objective,
        architecture,
        training: { ...base, batchSize: 32, epochs },
        seed: 1,
        start,
      });
    },
    quick ? 1 : 3,
  );
  const batchSteps = epochs * Math.ceil(data.samples / 32);
  const stepFlops = 6 * data.samples * p;
  report(
    `ours full batch, ${steps} steps:   ${seconds(full)}  = ${fmt((full.median / steps) * 1e3)} ms per step (${fmt((stepFlops * steps) / full.median / 1e9)} GFLOP/s)`,
  );
  report(
    `ours minibatch 32, ${epochs} epochs: ${seconds(minibatch)}  = ${fmt((minibatch.median / batchSteps) * 1e6)} µs per step`,
  );
  if (withTorch) {
    const reference = torch({
      kind: 'adam',
      threads,
      repeats: quick ? 1 : 3,
      layers: torchLayers(2, layers),
      inputs: rows(data.inputs, 2),
      targets: rows(data.targets, 1),
      start: Array.from(start),
      steps,
      epochs,
      batchSize: 32,
      learningRate: 1e-3,
    });
    report(
      `PyTorch full batch (${threads} threads): ${seconds(reference.full)}  = ${fmt((reference.full.median / steps) * 1e3)} ms per step → ratio ${ratio(full.median, reference.full.median)}`,
    );
    report(
      `PyTorch minibatch 32:  ${seconds(reference.minibatch)}  → ratio ${ratio(minibatch.median, reference.minibatch.median)}`,
    );
    report(
      `agreement of the full-batch final loss: ${(Math.abs(reference.finalLoss - fullLoss) / fullLoss).toExponential(1)} relative (minibatch orders differ: timing only)`,
    );
  }
  report();
}
