// Workload 7: the CLI as a user runs it, on models and data of the sizes people bring, at 1 and
// 2 threads. Each case reports the wall time of the whole process and the time of each stage
// from the result file, beside PyTorch doing the same stages' work the best way it can
// (batched, vectorized), at the same thread count.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filterNormalizedDirection, linspace } from '../../src/core/analysis/sliceGeometry';
import { mlpFilters } from '../../src/core/model/filters';
import { generate } from '../../src/core/data/generators';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { initialParameters } from '../../src/core/optim/init';
import { deriveSeed, Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import type { AnalysisResult, Timings } from '../../src/protocol/result';
import { stageTimes } from '../../src/protocol/wording';
import { fmt, quick, ratio, report, rows, torch, torchLayers } from '../shared';

interface Case {
  title: string;
  /** The .loss.json, and any data file it names. */
  spec: object;
  files?: Record<string, string>;
  /** The same file with the analysis switched off, to show what the analysis adds. */
  withoutAnalysis?: object;
  /** PyTorch's time for the same work at `threads`, stage by stage, from the first result. */
  reference?: (result: AnalysisResult, threads: number) => ReferenceStage[];
}

interface ReferenceStage {
  stage: keyof Timings;
  seconds: number;
  note: string;
}

const THREAD_COUNTS = [1, 2];
const cli = join(__dirname, 'cli.js');

export const columns = (count: number) => Array.from({ length: count }, (_, k) => `x${k}`);

/** Ten Gaussian classes in 64 dimensions, 1797 samples: the shape of the digits dataset. */
function digitsLike(): { csv: string; inputs: number[][]; labels: number[] } {
  const random = new Random(64);
  const centers = Array.from({ length: 10 }, () =>
    Array.from({ length: 64 }, () => random.normal()),
  );
  const inputs: number[][] = [];
  const labels: number[] = [];
  for (let n = 0; n < 1797; n++) {
    const label = n % 10;
    labels.push(label);
    inputs.push(centers[label].map((c) => Number((c + 0.8 * random.normal()).toFixed(4))));
  }
  return { csv: classCsv(inputs, labels), inputs, labels };
}

/** Random inputs for a 784-10 classifier: the size of MNIST, 1000 samples. */
export function mnistLike(): { csv: string; inputs: number[][]; labels: number[] } {
  const random = new Random(784);
  const inputs = Array.from({ length: 1000 }, () =>
    Array.from({ length: 784 }, () => Number(random.normal().toFixed(3))),
  );
  const labels = inputs.map(() => random.below(10));
  return { csv: classCsv(inputs, labels), inputs, labels };
}

/** A CSV with inputs x0, x1, … and the class index in `label`. */
function classCsv(inputs: number[][], labels: number[]): string {
  const header = [...columns(inputs[0].length), 'label'].join(',');
  const lines = inputs.map((row, n) => [...row, labels[n]].join(','));
  return [header, ...lines].join('\n') + '\n';
}

/** The PyTorch plane: 51×51 filter-normalized random directions about a run's endpoint. */
function planeReference(
  result: AnalysisResult,
  threads: number,
  inputDim: number,
  layers: LayerSpec[],
  data: { inputs: number[][]; targets?: number[][]; labels?: number[] },
  loss: string,
): ReferenceStage {
  const architecture = new MlpArchitecture(inputDim, layers);
  const center = Float64Array.from(result.runs[0].parameters);
  const random = new Random(1);
  const reference = torch({
    kind: 'plane',
    threads,
    repeats: 1,
    layers: torchLayers(inputDim, layers),
    loss,
    inputs: data.inputs,
    targets: data.targets ?? [],
    labels: data.labels ?? [],
    center: Array.from(center),
    dx: Array.from(filterNormalizedDirection(mlpFilters(architecture), center, random, false)),
    dy: Array.from(filterNormalizedDirection(mlpFilters(architecture), center, random, false)),
    coords: linspace(-1, 1, 51),
  });
  return {
    stage: 'slicesSeconds',
    seconds: reference.seconds.median,
    note: 'batched grid, first-layer trick',
  };
}

function cases(): Case[] {
  const digits = digitsLike();
  const digitsLayers: LayerSpec[] = [
    { units: 32, activation: 'relu', bias: true },
    { units: 10, activation: 'linear', bias: true },
  ];
  const mnist = quick ? null : mnistLike();
  const mnistLayers: LayerSpec[] = [
    { units: 128, activation: 'relu', bias: true },
    { units: 10, activation: 'linear', bias: true },
  ];
  const deepTanh = (hidden: number): LayerSpec[] => [
    { units: hidden, activation: 'tanh', bias: true },
    { units: hidden, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const digitsSpec = {
    data: { csv: 'digits.csv', inputs: columns(64), targets: ['label'] },
    model: { layers: digitsLayers },
    loss: 'cross-entropy',
    weightDecay: 1e-3,
    training: { runs: 8, optimizer: 'adam', learningRate: 0.01, epochs: 500 },
    analysis: { slices: [{ type: 'plane', directions: 'random' }] },
  };
  const list: Case[] = [
    {
      title:
        'digits-like: 64-32-10 relu, 1797 samples, cross-entropy + weight decay 1e-3, 8 runs × 500 Adam steps, spectra by Lanczos, a 51×51 random plane',
      spec: digitsSpec,
      files: { 'digits.csv': digits.csv },
      withoutAnalysis: {
        ...digitsSpec,
        analysis: { hessian: 'off', refine: false, equivalence: false },
      },
      reference: (result, threads) => {
        const architecture = new MlpArchitecture(64, digitsLayers);
        const starts = Array.from({ length: 8 }, (_, i) =>
          Array.from(
            initialParameters(
              'xavier',
              1,
              architecture.parameterCount,
              architecture,
              new Random(deriveSeed(0, i)),
            ),
          ),
        );
        const training = torch({
          kind: 'train',
          threads,
          repeats: 1,
          layers: torchLayers(64, digitsLayers),
          loss: 'cross-entropy',
          weightDecay: 1e-3,
          inputs: digits.inputs,
          labels: digits.labels,
          starts,
          steps: 500,
          learningRate: 0.01,
        });
        const agreement = Math.max(
          ...training.finalLosses.map(
            (loss: number, i: number) => Math.abs(loss - result.runs[i].loss) / result.runs[i].loss,
          ),
        );
        return [
          {
            stage: 'trainingSeconds',
            seconds: training.seconds.median,
            note: `Adam, full batch; final losses agree to ${agreement.toExponential(1)}`,
          },
          planeReference(result, threads, 64, digitsLayers, digits, 'cross-entropy'),
        ];
      },
    },
    {
      title:
        'exact verdicts at P = 1975: 2-42-42-1 tanh, 256 moons points, MSE, 2 runs × 2000 Adam steps, the whole spectrum of each',
      spec: {
        data: { generator: 'moons', samples: 256, seed: 5 },
        model: { layers: deepTanh(42) },
        training: { runs: 2, optimizer: 'adam', learningRate: 0.01, epochs: 2000 },
        analysis: { hessian: 'exact' },
      },
      reference: (result, threads) => {
        const spec = moonsRows(256, 5);
        let seconds = 0;
        let agreement = 0;
        for (const run of result.runs) {
          const exact = torch({
            kind: 'exact',
            threads,
            repeats: 1,
            layers: torchLayers(2, deepTanh(42)),
            inputs: spec.inputs,
            targets: spec.targets,
            theta: run.parameters,
          });
          seconds += exact.hessian.median + exact.eigvalsh.median;
          const ours = run.hessian!.eigenvalues;
          const scale = Math.abs(ours.at(-1)!);
          agreement = Math.max(
            agreement,
            Math.abs(exact.values[0] - ours[0]) / scale,
            Math.abs(exact.values[1] - ours.at(-1)!) / scale,
          );
        }
        return [
          {
            stage: 'spectrumSeconds',
            seconds,
            note: `dense Hessian (double-backward, row by row) + eigvalsh per run; λmin, λmax agree to ${agreement.toExponential(1)}·λmax`,
          },
        ];
      },
    },
    {
      title: 'plane at P = 4417: 2-64-64-1 tanh, 1000 moons points, MSE, a 51×51 random plane',
      spec: {
        data: { generator: 'moons', samples: 1000, seed: 3 },
        model: { layers: deepTanh(64) },
        training: { runs: 1, optimizer: 'adam', learningRate: 0.01, epochs: 100 },
        analysis: { hessian: 'off', slices: [{ type: 'plane', directions: 'random' }] },
      },
      reference: (result, threads) => {
        return [planeReference(result, threads, 2, deepTanh(64), moonsRows(1000, 3), 'mse')];
      },
    },
  ];
  // The tanh plane at an untrained point and at a trained one: the same kernels, values of
  // another kind (small pre-activations against saturated units). Both sides take as long on
  // either; which BLAS PyTorch loads decides its time (see the header).
  const waves = sineWaves(1000, 23);
  const waveLayers = deepTanh(64);
  const untrained = uniformFanInPoint(new MlpArchitecture(2, waveLayers), new Random(29));
  const waveSpec = (fields: object) => ({
    data: { inputs: waves.inputs, targets: waves.targets },
    model: { layers: waveLayers },
    analysis: { hessian: 'off', paths: 'none', slices: [{ type: 'plane', directions: 'random' }] },
    ...fields,
  });
  const waveReference = (result: AnalysisResult, threads: number) => [
    planeReference(result, threads, 2, waveLayers, waves, 'mse'),
  ];
  list.push(
    {
      title:
        'tanh plane at an untrained point: 2-64-64-1 tanh, 1000 points uniform in [−1, 1]², targets sin(3x)·cos(2y), the point U(±1/√fan_in), a 51×51 random plane',
      spec: waveSpec({ training: { runs: 0 }, points: [{ name: 'untrained', vector: untrained }] }),
      reference: waveReference,
    },
    {
      title: 'the same plane at a trained point (1000 Adam steps from the default start)',
      spec: waveSpec({
        training: { runs: 1, optimizer: 'adam', learningRate: 0.01, epochs: quick ? 100 : 1000 },
      }),
      reference: waveReference,
    },
  );
  if (mnist)
    list.push({
      title:
        'plane at P = 101,770: 784-128-10 relu, 1000 samples, cross-entropy, a 51×51 random plane',
      spec: {
        data: { csv: 'mnist.csv', inputs: columns(784), targets: ['label'] },
        model: { layers: mnistLayers },
        loss: 'cross-entropy',
        training: { runs: 1, optimizer: 'adam', learningRate: 0.001, epochs: 10 },
        analysis: { hessian: 'off', slices: [{ type: 'plane', directions: 'random' }] },
      },
      files: { 'mnist.csv': mnist.csv },
      reference: (result, threads) => [
        planeReference(result, threads, 784, mnistLayers, mnist, 'cross-entropy'),
      ],
    });
  return list;
}

/** Inputs uniform in [−1, 1]², targets sin(3x)·cos(2y). */
function sineWaves(samples: number, seed: number): { inputs: number[][]; targets: number[][] } {
  const random = new Random(seed);
  const inputs = Array.from({ length: samples }, () => [
    random.uniform(-1, 1),
    random.uniform(-1, 1),
  ]);
  return { inputs, targets: inputs.map(([x, y]) => [Math.sin(3 * x) * Math.cos(2 * y)]) };
}

/** Every weight and bias U(±1/√fan_in), as PyTorch's nn.Linear initializes them. */
function uniformFanInPoint(architecture: MlpArchitecture, random: Random): number[] {
  const theta = new Array<number>(architecture.parameterCount).fill(0);
  for (const layer of architecture.layers) {
    const bound = 1 / Math.sqrt(layer.inputs);
    for (let k = 0; k < layer.units * layer.inputs; k++)
      theta[layer.weightOffset + k] = random.uniform(-bound, bound);
    if (layer.biasOffset >= 0)
      for (let k = 0; k < layer.units; k++)
        theta[layer.biasOffset + k] = random.uniform(-bound, bound);
  }
  return theta;
}

/** A generated dataset as rows, for the PyTorch reference. */
function moonsRows(samples: number, seed: number): { inputs: number[][]; targets: number[][] } {
  const data = generate({ generator: 'moons', samples, seed });
  return { inputs: rows(data.inputs, data.inputDim), targets: rows(data.targets, data.targetDim) };
}

/** `losslab analyze` in a process of its own, as a user runs it: wall time and result. */
export function analyze(
  folder: string,
  spec: object,
  threads: number,
): { wall: number; result: AnalysisResult } {
  const specPath = join(folder, 'case.loss.json');
  const out = join(folder, 'case.result.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const start = performance.now();
  const run = spawnSync(
    process.execPath,
    [cli, 'analyze', specPath, '--out', out, '--quiet', '--threads', String(threads)],
    { encoding: 'utf8' },
  );
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`analyze failed: ${run.stderr}`);
  return { wall, result: JSON.parse(readFileSync(out, 'utf8')) as AnalysisResult };
}

export function endToEndWorkload(withTorch: boolean): void {
  report('## 7. End to end at real sizes: `npm run analyze` as a user runs it, 1 and 2 threads');
  report(
    '(stage times from the result file: training, refinement and spectrum in thread-seconds, the rest wall time; PyTorch does the same stage at the same thread count, timed after a warm-up)',
  );
  const folder = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  for (const c of cases()) {
    report(`### ${c.title}`);
    for (const [name, text] of Object.entries(c.files ?? {}))
      writeFileSync(join(folder, name), text);
    for (const threads of THREAD_COUNTS) {
      const { wall, result } = analyze(folder, c.spec, threads);
      report(
        `${threads} thread${threads > 1 ? 's' : ''}: CLI wall ${fmt(wall)} s; ${stageTimes(result.timings)}`,
      );
      if (c.withoutAnalysis) {
        const bare = analyze(folder, c.withoutAnalysis, threads);
        report(
          `  the same file with the analysis off: ${fmt(bare.wall)} s → with / without ${ratio(wall, bare.wall)}`,
        );
      }
      if (!withTorch || !c.reference) continue;
      const stages = c.reference(result, threads);
      if (threads === 1) {
        // One thread: each stage's time is its wall time, on both sides.
        for (const stage of stages)
          report(
            `  PyTorch ${stage.stage.replace('Seconds', '')}: ${fmt(stage.seconds)} s → ours/PyTorch ${ratio(result.timings[stage.stage] ?? 0, stage.seconds)} (${stage.note})`,
          );
      } else {
        // More threads: training and spectrum are thread-seconds, so compare the wall time of
        // the whole CLI with PyTorch's stages alone (no loading, no process start, nothing else).
        const theirs = stages.reduce((sum, stage) => sum + stage.seconds, 0);
        report(
          `  PyTorch ${stages.map((stage) => stage.stage.replace('Seconds', '')).join(' + ')}: ${fmt(theirs)} s → our whole CLI / PyTorch's stages ${ratio(wall, theirs)}`,
        );
      }
    }
    report();
  }
  rmSync(folder, { recursive: true, force: true });
}
