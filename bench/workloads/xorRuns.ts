// Workload 1: XOR 2-2-1 tanh, 64 runs trained and analyzed, beside PyTorch training the same runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/core/data/generators';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import { initialParameters } from '../../src/core/optim/init';
import { train } from '../../src/core/optim/train';
import { deriveSeed, Random } from '../../src/core/rng';
import type { LayerSpec, TrainingSpec } from '../../src/core/vocabulary';
import { analyzeFile } from '../../src/engine/analyze';
import {
  fmt,
  quick,
  ratio,
  repeats,
  report,
  rows,
  seconds,
  summary,
  threads,
  timed,
  torch,
  torchLayers,
} from '../shared';

export async function xorWorkload(withTorch: boolean): Promise<void> {
  report('## 1. XOR 2-2-1 tanh, MSE, full-batch GD (learning rate 0.2), 64 runs × 5000 epochs');
  const layers: LayerSpec[] = [
    { units: 2, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const data = generate({ generator: 'xor' });
  const architecture = new MlpArchitecture(2, layers);
  const objective = new MlpObjective(architecture, data.inputs, data.targets, data.samples, 'mse');
  const training: TrainingSpec = {
    runs: 64,
    seed: 0,
    init: 'normal',
    initScale: 1,
    optimizer: 'gd',
    learningRate: 0.2,
    settings: {},
    batchSize: null,
    epochs: 5000,
    stopAt: { gradientNorm: 0, loss: null },
    noise: null,
    from: [],
  };
  const finals: number[] = [];
  const oursTraining = timed(() => {
    finals.length = 0;
    for (let i = 0; i < 64; i++)
      finals.push(train({ objective, architecture, training, seed: deriveSeed(0, i) }).loss);
  });
  report(
    `ours, training only, 1 thread:          ${seconds(oursTraining)}  = ${fmt((oursTraining.median / 320000) * 1e6)} µs per epoch`,
  );

  const folder = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  const specPath = join(folder, 'xor64.loss.json');
  writeFileSync(
    specPath,
    JSON.stringify({
      data: { generator: 'xor' },
      model: {
        layers: [
          { units: 2, activation: 'tanh' },
          { units: 1, activation: 'linear' },
        ],
      },
      training: {
        runs: 64,
        init: 'normal',
        initScale: 1,
        learningRate: 0.2,
        epochs: 5000,
        stopAt: { gradientNorm: 0 },
      },
    }),
  );
  const times: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const start = performance.now();
    const outcome = await analyzeFile({ specPath, outPath: null, threads });
    if (outcome.status !== 'ok') throw new Error('xor benchmark spec is invalid');
    if (i > 0) times.push((performance.now() - start) / 1000);
  }
  rmSync(folder, { recursive: true, force: true });
  const endToEnd = summary(times);
  report(`ours, engine end to end (${threads} threads, verdicts): ${seconds(endToEnd)}`);

  if (withTorch) {
    // PyTorch at its best here: all 64 runs as one batched computation (baddbmm over the
    // runs, one backward of the summed losses per epoch), not a loop over runs.
    const starts = Array.from({ length: 64 }, (_, i) => {
      const random = new Random(deriveSeed(0, i));
      return Array.from(
        initialParameters('normal', 1, architecture.parameterCount, architecture, random),
      );
    });
    const reference = torch({
      kind: 'gd',
      threads: 1,
      repeats: quick ? 1 : 3,
      layers: torchLayers(2, layers),
      inputs: rows(data.inputs, 2),
      targets: rows(data.targets, 1),
      starts,
      epochs: 5000,
      learningRate: 0.2,
    });
    const agreement = Math.max(
      ...reference.finalLosses.map(
        (loss: number, i: number) =>
          Math.abs(loss - finals[i]) / Math.max(1e-12, Math.abs(finals[i])),
      ),
    );
    report(
      `PyTorch ${reference.torch}, 1 thread, 64 runs batched: ${seconds(reference.seconds)}  = ${fmt((reference.seconds.median / 320000) * 1e6)} µs per run-epoch`,
    );
    report(
      `ratio ours/PyTorch (training, 1 thread): ${ratio(oursTraining.median, reference.seconds.median)}; final losses agree to ${agreement.toExponential(1)} relative`,
    );
  }
  report();
}
