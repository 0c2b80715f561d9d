// The benchmark: our engine side by side with a PyTorch reference (float64, same data, same
// starting points, same thread count) when Debian's python3-torch is installed. Every figure
// is a median over repetitions after a warm-up, with its spread; comparisons are ratios
// (ours / PyTorch), because the machine is shared and absolute times drift.
//
//   npm run bench            all workloads
//   npm run bench -- quick   fewer repetitions and a smaller grid
//   npm run bench -- slices  one workload (xor, train, mlp, exact, lanczos, slices, examples, cli,
//                            density)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../src/core/data/generators';
import { symmetrize } from '../src/core/linalg/eigen';
import { symmetricEigenvalues } from '../src/core/linalg/eigenvalues';
import { MlpArchitecture } from '../src/core/model/architecture';
import { MlpObjective } from '../src/core/model/mlp';
import { initialParameters } from '../src/core/optim/init';
import { train } from '../src/core/optim/train';
import { deriveSeed, Random } from '../src/core/rng';
import { filterNormalizedDirection, linspace } from '../src/core/analysis/slices';
import type { Dataset } from '../src/core/data/dataset';
import type { LayerSpec, LossName, ResolvedSpec, TrainingSpec } from '../src/core/vocabulary';
import type { GridOutcome, Job } from '../src/engine/jobs';
import { runJobs } from '../src/engine/pool';
import { rowsPerJob } from '../src/engine/slices';
import { analyzeFile } from '../src/engine/analyze';
import { lanczosExtremes } from '../src/core/linalg/lanczos';
import { densityWorkload } from './density';
import { endToEndWorkload } from './endToEnd';
import {
  fmt,
  median,
  python,
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
  type Timing,
} from './shared';

/** `npm run bench -- slices` runs one workload by name. */
const only = [
  'xor',
  'train',
  'mlp',
  'exact',
  'lanczos',
  'slices',
  'examples',
  'cli',
  'density',
].find((name) => process.argv.includes(name));
const selected = (name: string) => !only || only === name;

async function xorWorkload(withTorch: boolean): Promise<void> {
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
    // PyTorch's per-step overhead makes 64 × 5000 steps take minutes: time 8 runs, scale by 8.
    const sampleRuns = 8;
    const starts = Array.from({ length: sampleRuns }, (_, i) => {
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
    const scaled = reference.seconds.median * (64 / sampleRuns);
    const agreement = Math.max(
      ...reference.finalLosses.map(
        (loss: number, i: number) =>
          Math.abs(loss - finals[i]) / Math.max(1e-12, Math.abs(finals[i])),
      ),
    );
    report(
      `PyTorch ${reference.torch}, 1 thread (8 runs × 8):    ${fmt(scaled)} s  = ${fmt((scaled / 320000) * 1e6)} µs per epoch`,
    );
    report(
      `ratio ours/PyTorch (training, 1 thread): ${ratio(oursTraining.median, scaled)}; final losses agree to ${agreement.toExponential(1)} relative`,
    );
  }
  report();
}

function mlpWorkload(withTorch: boolean): void {
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
      `PyTorch dense Hessian: ${fmt(torchDense)} s (double-backward, 256 unit vectors at a time) → ratio ${ratio(oursDense, torchDense)}`,
    );
    report(
      `agreement: loss ${(Math.abs(reference.loss - objective.loss(theta)) / reference.loss).toExponential(1)}, ‖∇L‖ ${(Math.abs(reference.gradientNorm - norm(gradient)) / reference.gradientNorm).toExponential(1)}, ‖Hv‖ ${(Math.abs(reference.hvpNorm - norm(hv)) / reference.hvpNorm).toExponential(1)} (relative)`,
    );
  }
  report();
}

/** How each derivative and the exact spectrum grow with P: 2-H-1 tanh MLPs on 256 points. */
function exactLimitWorkload(withTorch: boolean): void {
  const pairs = quick ? 1 : 3;
  report('## 3b. Derivatives and the exact spectrum by parameter count, 2-H-1 tanh on 256 points');
  report(
    `(each cell: ours, and ours/PyTorch in parentheses; gradient and HVP: median of ${pairs} paired runs; PyTorch's dense Hessian: double-backward, 256 unit vectors at a time)`,
  );
  report(
    '    P | gradient           | Hessian·vector     | dense Hessian     | all eigenvalues   | exact total',
  );
  const data = generate({ generator: 'moons', samples: 256, seed: 5 });
  const hiddens = quick ? [125, 250] : [125, 250, 500, 1000];
  // The matrices go to PyTorch as files of raw float64 (JSON would be gigabytes at P = 4001).
  const matrixFolder = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  let eigenvalueAgreement = 0;
  for (const hidden of hiddens) {
    const layers: LayerSpec[] = [
      { units: hidden, activation: 'tanh', bias: true },
      { units: 1, activation: 'linear', bias: true },
    ];
    const architecture = new MlpArchitecture(2, layers);
    const objective = new MlpObjective(
      architecture,
      data.inputs,
      data.targets,
      data.samples,
      'mse',
    );
    const p = architecture.parameterCount;
    const random = new Random(hidden);
    const theta = initialParameters('xavier', 1, p, architecture, random);
    const v = Float64Array.from({ length: p }, () => random.normal());
    const gradientOut = new Float64Array(p);
    const hv = new Float64Array(p);
    // Gradient and HVP: `pairs` rounds of ours then PyTorch, so both see the same state of a
    // shared machine; the ratio is the median of the rounds' ratios.
    const rounds: { gradient: Timing; hvp: Timing; torch?: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let round = 0; round < pairs; round++) {
      rounds.push({
        gradient: timed(() => objective.lossAndGradient(theta, gradientOut)),
        hvp: timed(() => objective.hessianVectorProduct(Float64Array.from(theta), v, hv)),
        torch: withTorch
          ? torch({
              kind: 'derivatives',
              threads,
              repeats,
              dense: round === 0,
              layers: torchLayers(2, layers),
              inputs: rows(data.inputs, 2),
              targets: rows(data.targets, 1),
              theta: Array.from(theta),
              vector: Array.from(v),
            })
          : undefined,
      });
    }
    const gradient = median(rounds.map((r) => r.gradient.median));
    const hvp = median(rounds.map((r) => r.hvp.median));
    let matrix: Float64Array = new Float64Array(0);
    const dense = timed(() => {
      matrix = objective.hessian(theta);
    }, 1);
    symmetrize(matrix, p);
    // What a verdict computes: all eigenvalues, no eigenvectors.
    let ours: Float64Array = new Float64Array(0);
    const eig = timed(() => {
      ours = symmetricEigenvalues(matrix, p);
    }, 1);
    let reference: { gradient: number; hvp: number; dense: number; eig: number } | null = null;
    if (withTorch) {
      const derivatives = rounds[0].torch;
      const file = join(matrixFolder, `${p}.f64`);
      writeFileSync(file, new Uint8Array(matrix.buffer, matrix.byteOffset, p * p * 8));
      const eigh = torch({ kind: 'eigvalsh', threads, repeats: 1, size: p, file });
      rmSync(file);
      // Their time equivalent to ours at the median paired ratio.
      reference = {
        gradient: gradient / median(rounds.map((r) => r.gradient.median / r.torch.gradient.median)),
        hvp: hvp / median(rounds.map((r) => r.hvp.median / r.torch.hvp.median)),
        dense: derivatives.dense.median,
        eig: (eigh.eigvalsh as Timing).median,
      };
      const theirs: number[] = eigh.values;
      const scale = Math.max(...theirs.map(Math.abs));
      eigenvalueAgreement = Math.max(
        eigenvalueAgreement,
        ...theirs.map((v, k) => Math.abs(v - ours[k]) / scale),
      );
    }
    const cell = (ours: number, theirs: number | undefined) =>
      `${fmt(ours)} s${theirs ? ` (${ratio(ours, theirs)})` : ''}`.padEnd(18);
    report(
      `${String(p).padStart(5)} | ${cell(gradient, reference?.gradient)} | ${cell(hvp, reference?.hvp)} | ${cell(dense.median, reference?.dense)} | ${cell(eig.median, reference?.eig)} | ${fmt(dense.median + eig.median)} s`,
    );
  }
  rmSync(matrixFolder, { recursive: true, force: true });
  if (withTorch)
    report(
      `eigenvalues agree with PyTorch's eigvalsh of the same matrices to ${eigenvalueAgreement.toExponential(1)}·max|λ|`,
    );
  report();
}

/** A 51×51 filter-normalized random plane, evaluated on the worker pool as the engine does. */
async function sliceWorkload(withTorch: boolean): Promise<void> {
  const resolution = quick ? 11 : 51;
  report(
    `## 5. Slices: ${resolution}×${resolution} filter-normalized random plane (worker pool, ${threads} threads)`,
  );
  const random = new Random(17);
  const cases: {
    name: string;
    inputDim: number;
    layers: LayerSpec[];
    loss: LossName;
    classes: number;
  }[] = [
    {
      name: '2-64-64-1 tanh, 1000 points, mse',
      inputDim: 2,
      layers: [
        { units: 64, activation: 'tanh', bias: true },
        { units: 64, activation: 'tanh', bias: true },
        { units: 1, activation: 'linear', bias: true },
      ],
      loss: 'mse',
      classes: 1,
    },
    {
      name: '784-128-10 relu, 1000 random inputs, cross-entropy',
      inputDim: 784,
      layers: [
        { units: 128, activation: 'relu', bias: true },
        { units: 10, activation: 'linear', bias: true },
      ],
      loss: 'cross-entropy',
      classes: 10,
    },
  ];
  for (const c of cases) {
    const samples = 1000;
    const inputs = Float64Array.from({ length: samples * c.inputDim }, () => random.normal());
    const labels = Array.from({ length: samples }, () => random.below(c.classes));
    const targets = new Float64Array(samples * c.layers.at(-1)!.units);
    labels.forEach((label, n) => {
      if (c.loss === 'cross-entropy') targets[n * c.classes + label] = 1;
      else targets[n] = Math.sin(3 * inputs[n * c.inputDim]);
    });
    const architecture = new MlpArchitecture(c.inputDim, c.layers);
    const p = architecture.parameterCount;
    const center = initialParameters('xavier', 1, p, architecture, random);
    const dx = filterNormalizedDirection(architecture, center, random, false);
    const dy = filterNormalizedDirection(architecture, center, random, false);
    const coords = linspace(-1, 1, resolution);
    const dataset: Dataset = {
      samples,
      inputDim: c.inputDim,
      targetDim: c.layers.at(-1)!.units,
      inputs,
      targets,
      inputNames: [],
      targetNames: [],
    };
    const spec = benchSpec(c.layers, c.loss);
    const jobs: Job[] = [];
    const step = rowsPerJob(resolution, threads);
    for (let row = 0; row < resolution; row += step)
      jobs.push({
        kind: 'grid',
        slice: 0,
        row,
        center,
        x: dx,
        y: dy,
        xs: coords,
        ys: coords.slice(row, row + step),
        curvature: false,
      });
    let losses: (number | null)[][] = [];
    const runGrid = async () => {
      const results = (await runJobs(spec, dataset, p, jobs, {
        threads,
        parallel: 'always',
      })) as GridOutcome[];
      losses = [];
      for (const r of results) r.losses.forEach((row, j) => (losses[r.row + j] = row));
    };
    const times: number[] = [];
    for (let i = 0; i <= (quick ? 1 : 3); i++) {
      const start = performance.now();
      await runGrid();
      if (i > 0) times.push((performance.now() - start) / 1000);
    }
    const ours = summary(times);
    // No GFLOP/s here: with a wide first layer both sides take the first-layer shortcut.
    report(`${c.name} (P = ${p})`);
    report(`ours:    ${seconds(ours)}`);
    if (withTorch) {
      const reference = torch({
        kind: 'plane',
        threads,
        repeats: 1, // a full grid takes minutes in PyTorch; one timed pass after the warm-up
        layers: torchLayers(c.inputDim, c.layers),
        loss: c.loss,
        inputs: rows(inputs, c.inputDim),
        targets: rows(targets, dataset.targetDim),
        labels,
        center: Array.from(center),
        dx: Array.from(dx),
        dy: Array.from(dy),
        coords,
      });
      const flat = losses.flat() as number[];
      const sample = [flat[0], flat[Math.floor(flat.length / 2)], flat[flat.length - 1]];
      const agreement = Math.max(
        ...sample.map((v, i) => Math.abs(v - reference.sample[i]) / Math.abs(reference.sample[i])),
      );
      report(
        `PyTorch: ${seconds(reference.seconds)} (batched, first-layer shortcut) → ratio ours/PyTorch ${ratio(ours.median, reference.seconds.median)}; losses agree to ${agreement.toExponential(1)}`,
      );
    }
  }
  report();
}

/** The 2-64-64-1 tanh MLP on 1000 moons points (workloads 2 and 3a). */
function moonsMlp() {
  const layers: LayerSpec[] = [
    { units: 64, activation: 'tanh', bias: true },
    { units: 64, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const data = generate({ generator: 'moons', samples: 1000, seed: 3 });
  const architecture = new MlpArchitecture(2, layers);
  const objective = new MlpObjective(architecture, data.inputs, data.targets, data.samples, 'mse');
  return { layers, data, architecture, objective };
}

/** Adam on the 2-64-64-1 MLP: full batch, and minibatches of 32 (training only, 1 run). */
function trainingWorkload(withTorch: boolean): void {
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

/** Five extreme eigenvalues at each end of a 784-128-10 MLP's Hessian by Lanczos. */
function lanczosWorkload(withTorch: boolean): void {
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

/** `npm run analyze` on every example: wall time and peak memory of the whole process. */
function examplesWorkload(): void {
  report('## 6. End to end: npm run analyze on each example (CLI process, all threads)');
  report('example                     | wall time | peak memory');
  const examples = join(__dirname, '..', 'examples');
  const cli = join(__dirname, 'cli.js');
  const out = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  // Preloaded into the CLI process: reports its peak resident set size, workers included.
  // VmHWM, not resourceUsage().maxRSS: Linux carries maxRSS over from the forked benchmark
  // process across exec, so small runs would report this process's size.
  const probe = join(out, 'maxrss.cjs');
  writeFileSync(
    probe,
    "process.on('exit', () => { const m = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8')); process.stderr.write('maxrss ' + (m ? m[1] : 0) + '\\n'); });\n",
  );
  for (const name of readdirSync(examples)
    .filter((f) => f.endsWith('.loss.json'))
    .sort()) {
    const times: number[] = [];
    let peak = 0;
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const start = performance.now();
      const run = spawnSync(
        process.execPath,
        [
          '--require',
          probe,
          cli,
          'analyze',
          join(examples, name),
          '--out',
          join(out, `${name}.result.json`),
          '--quiet',
        ],
        { encoding: 'utf8' },
      );
      times.push((performance.now() - start) / 1000);
      const rss = /maxrss (\d+)/.exec(run.stderr);
      if (run.status !== 0 || !rss || !existsSync(join(out, `${name}.result.json`)))
        throw new Error(`analyze ${name} failed: ${run.stderr}`);
      peak = Math.max(peak, Number(rss[1]) / 1024);
    }
    report(
      `${name.padEnd(27)} | ${fmt(median(times)).padStart(7)} s | ${peak.toFixed(0).padStart(7)} MB`,
    );
  }
  rmSync(out, { recursive: true, force: true });
  report();
}

function benchSpec(layers: LayerSpec[], loss: LossName): ResolvedSpec {
  return {
    name: 'bench',
    data: { kind: 'inline', inputs: [], targets: [], normalize: 'none' },
    model: { kind: 'mlp', layers },
    loss,
    weightDecay: 0,
    training: {
      runs: 0,
      seed: 0,
      init: 'xavier',
      initScale: 1,
      optimizer: 'gd',
      learningRate: 0.1,
      settings: {},
      batchSize: null,
      epochs: 0,
      stopAt: { gradientNorm: 0, loss: null },
      noise: null,
      from: [],
    },
    points: [],
    analysis: {
      hessian: 'off',
      refine: false,
      equivalence: false,
      tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
      exactLimit: 1000,
      slices: [],
      automaticSlices: false,
      density: null,
      search: { starts: 0, seed: 0, scale: 1 },
      paths: 'none',
    },
  };
}

async function main(): Promise<void> {
  const withTorch = python !== undefined;
  report(`# Loss Landscape Lab benchmark — ${new Date().toISOString().slice(0, 10)}`);
  report(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${threads} threads, Node ${process.version}`,
  );
  report(
    withTorch
      ? 'reference: PyTorch (python3-torch), float64, same data and starting points'
      : 'reference: PyTorch not installed (apt-get install python3-torch) — ours only',
  );
  report();
  if (selected('xor')) await xorWorkload(withTorch);
  if (selected('train')) trainingWorkload(withTorch);
  if (selected('mlp')) mlpWorkload(withTorch);
  if (selected('exact')) exactLimitWorkload(withTorch);
  if (selected('lanczos')) lanczosWorkload(withTorch);
  if (selected('slices')) await sliceWorkload(withTorch);
  if (selected('examples')) examplesWorkload();
  if (selected('cli')) endToEndWorkload(withTorch);
  if (selected('density')) densityWorkload(withTorch);
}

void main();
