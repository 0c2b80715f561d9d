// The benchmark: our engine side by side with a PyTorch reference (float64, same data, same
// starting points, same thread count) when Debian's python3-torch is installed. Every figure
// is a median over repetitions after a warm-up, with its spread; comparisons are ratios
// (ours / PyTorch), because the machine is shared and absolute times drift.
//
//   npm run bench            all workloads
//   npm run bench -- quick   fewer repetitions
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../src/core/data/generators';
import { symmetricEigen, symmetrize } from '../src/core/linalg/eigen';
import { MlpArchitecture, MlpObjective } from '../src/core/model/mlp';
import { initialParameters } from '../src/core/optim/init';
import { train } from '../src/core/optim/train';
import { deriveSeed, Random } from '../src/core/rng';
import type { LayerSpec, TrainingSpec } from '../src/core/spec/types';
import { analyzeFile } from '../src/engine/analyze';

interface Timing {
  median: number;
  min: number;
  max: number;
}

const quick = process.argv.includes('quick');
const repeats = quick ? 3 : 7;
const threads = availableParallelism();
const torchScript = join(__dirname, '..', 'bench', 'reference_torch.py');

function timed(fn: () => void, count = repeats): Timing {
  fn(); // warm-up: let the JIT compile the kernels
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    min: times[0],
    max: times[times.length - 1],
  };
}

/** The first Python that can import torch (Debian's python3-torch lives in /usr/bin/python3). */
const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function torch(job: object): any {
  const result = spawnSync(python as string, [torchScript], {
    input: JSON.stringify(job),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`PyTorch reference failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const seconds = (t: Timing) => `${fmt(t.median)} s (${fmt(t.min)}–${fmt(t.max)})`;
const fmt = (x: number) =>
  x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toExponential(2);
const ratio = (ours: number, reference: number) => `${(ours / reference).toPrecision(2)}×`;

/** Layers for the PyTorch reference: [fan_in, units, activation]. */
function torchLayers(inputDim: number, layers: LayerSpec[]): [number, number, string][] {
  let fanIn = inputDim;
  return layers.map((layer) => {
    const entry: [number, number, string] = [fanIn, layer.units, layer.activation];
    fanIn = layer.units;
    return entry;
  });
}

function rows(values: Float64Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, n) =>
    Array.from(values.subarray(n * width, (n + 1) * width)),
  );
}

const lines: string[] = [];
const report = (line = '') => {
  lines.push(line);
  console.log(line);
};

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
    momentum: 0,
    batchSize: null,
    epochs: 5000,
    stopAt: { gradientNorm: 0, loss: null },
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
  const endToEnd = timed(() => void 0, 0); // placeholder, replaced below (async)
  const times: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const start = performance.now();
    const outcome = await analyzeFile({ specPath, outPath: null, threads });
    if (outcome.status !== 'ok') throw new Error('xor benchmark spec is invalid');
    if (i > 0) times.push((performance.now() - start) / 1000);
  }
  rmSync(folder, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  Object.assign(endToEnd, {
    median: times[Math.floor(times.length / 2)],
    min: times[0],
    max: times.at(-1),
  });
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
    '## 2. 2-64-64-1 tanh MLP, 1000 points, MSE: gradient, Hessian-vector product, dense Hessian',
  );
  const layers: LayerSpec[] = [
    { units: 64, activation: 'tanh', bias: true },
    { units: 64, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const data = generate({ generator: 'moons', samples: 1000, seed: 3 });
  const architecture = new MlpArchitecture(2, layers);
  const objective = new MlpObjective(architecture, data.inputs, data.targets, data.samples, 'mse');
  const p = architecture.parameterCount;
  const random = new Random(7);
  const theta = initialParameters('xavier', 1, p, architecture, random);
  const v = Float64Array.from({ length: p }, () => random.normal());
  const gradient = new Float64Array(p);
  const hv = new Float64Array(p);
  const columns = 256;
  const oursGradient = timed(() => objective.lossAndGradient(theta, gradient));
  const oursHvp = timed(() => objective.hessianVectorProduct(Float64Array.from(theta), v, hv));
  // Columns of the dense Hessian share one forward/backward pass; time `columns` of them.
  const unit = new Float64Array(p);
  const oursColumns = timed(() => {
    const point = Float64Array.from(theta);
    for (let k = 0; k < columns; k++) {
      unit[k] = 1;
      objective.hessianVectorProduct(point, unit, hv);
      unit[k] = 0;
    }
  }, 1);
  const oursDense = (oursColumns.median * p) / columns;
  const flops = 6 * data.samples * p;
  report(`parameters: ${p}`);
  report(
    `ours gradient:        ${seconds(oursGradient)}  (${fmt(flops / oursGradient.median / 1e9)} GFLOP/s at 6·N·P)`,
  );
  report(`ours Hessian·vector:  ${seconds(oursHvp)}`);
  report(`ours dense Hessian:   ${fmt(oursDense)} s (${columns} columns timed, × ${p}/${columns})`);
  if (withTorch) {
    objective.lossAndGradient(theta, gradient);
    objective.hessianVectorProduct(Float64Array.from(theta), v, hv);
    const reference = torch({
      kind: 'derivatives',
      threads,
      repeats,
      columns,
      layers: torchLayers(2, layers),
      inputs: rows(data.inputs, 2),
      targets: rows(data.targets, 1),
      theta: Array.from(theta),
      vector: Array.from(v),
    });
    const norm = (x: Float64Array) => Math.sqrt(x.reduce((s, y) => s + y * y, 0));
    const torchDense = (reference.hessianColumns.median * p) / columns;
    report(
      `PyTorch gradient:     ${seconds(reference.gradient)}  → ratio ${ratio(oursGradient.median, reference.gradient.median)}`,
    );
    report(
      `PyTorch Hessian·vector: ${seconds(reference.hvp)}  → ratio ${ratio(oursHvp.median, reference.hvp.median)}`,
    );
    report(
      `PyTorch dense Hessian: ${fmt(torchDense)} s (same column sample) → ratio ${ratio(oursDense, torchDense)}`,
    );
    report(
      `agreement: loss ${(Math.abs(reference.loss - objective.loss(theta)) / reference.loss).toExponential(1)}, ‖∇L‖ ${(Math.abs(reference.gradientNorm - norm(gradient)) / reference.gradientNorm).toExponential(1)}, ‖Hv‖ ${(Math.abs(reference.hvpNorm - norm(hv)) / reference.hvpNorm).toExponential(1)} (relative)`,
    );
  }
  report();
}

function exactLimitWorkload(withTorch: boolean): void {
  report(
    '## 3. Exact spectrum (dense Hessian + all eigenvalues) by parameter count, 2-H-1 tanh on 256 points',
  );
  report('   P | dense Hessian | eigendecomposition | total    | PyTorch eigh | eig ratio');
  const data = generate({ generator: 'moons', samples: 256, seed: 5 });
  const sizes = quick ? [62, 125, 250] : [62, 125, 250, 375];
  const reference = withTorch
    ? torch({ kind: 'eigh', threads, repeats: 3, sizes: sizes.map((h) => 4 * h + 1) })
    : null;
  for (const hidden of sizes) {
    const architecture = new MlpArchitecture(2, [
      { units: hidden, activation: 'tanh', bias: true },
      { units: 1, activation: 'linear', bias: true },
    ]);
    const objective = new MlpObjective(
      architecture,
      data.inputs,
      data.targets,
      data.samples,
      'mse',
    );
    const p = architecture.parameterCount;
    const theta = initialParameters('xavier', 1, p, architecture, new Random(hidden));
    let matrix: Float64Array = new Float64Array(0);
    const dense = timed(() => {
      matrix = objective.hessian(theta);
    }, 1);
    symmetrize(matrix, p);
    const eig = timed(() => symmetricEigen(matrix, p), 1);
    const torchEig = reference?.eigh[String(p)] as Timing | undefined;
    report(
      `${String(p).padStart(4)} | ${fmt(dense.median).padStart(11)} s | ${fmt(eig.median).padStart(16)} s | ${fmt(dense.median + eig.median).padStart(6)} s | ${torchEig ? `${fmt(torchEig.median).padStart(10)} s | ${ratio(eig.median, torchEig.median)}` : '–'}`,
    );
  }
  report();
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
  await xorWorkload(withTorch);
  mlpWorkload(withTorch);
  exactLimitWorkload(withTorch);
}

void main();
