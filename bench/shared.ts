// What every workload of the benchmark shares: timing with a warm-up, the PyTorch reference
// process, number formatting and the report.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LayerSpec } from '../src/core/vocabulary';
import type { AnalysisResult } from '../src/protocol/result';

export interface Timing {
  median: number;
  min: number;
  max: number;
}

export const quick = process.argv.includes('quick');
export const repeats = quick ? 3 : 7;
export const threads = availableParallelism();
const torchScript = join(__dirname, '..', 'bench', 'reference_torch.py');

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Median, min and max of already measured times. */
export function summary(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted[sorted.length - 1] };
}

export function timed(fn: () => void, count = repeats): Timing {
  // Warm-up: V8 compiles hot functions in tiers; call until they settle (20 calls or 0.3 s).
  const warmUntil = performance.now() + 300;
  for (let k = 0; k < 20 && (k === 0 || performance.now() < warmUntil); k++) fn();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn();
    times.push((performance.now() - start) / 1000);
  }
  return summary(times);
}

/** The first Python that can import torch (Debian's python3-torch lives in /usr/bin/python3). */
export const python = ['python3', '/usr/bin/python3'].find(
  (candidate) => spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0,
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function torch(job: { kind: string; threads?: number; [field: string]: unknown }): any {
  // OpenBLAS and MKL keep thread pools of their own, as large as the machine, whatever
  // torch.set_num_threads says: on two cores that oversubscribes them and made PyTorch's plane
  // take from 2 s to 11 s on the same job. The reference gets the threads its job names.
  const threads = String(job.threads ?? 1);
  const result = spawnSync(python as string, [torchScript], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
    input: JSON.stringify(job),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`PyTorch reference failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

export const fmt = (x: number) =>
  x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toExponential(2);
export const seconds = (t: Timing) => `${fmt(t.median)} s (${fmt(t.min)}–${fmt(t.max)})`;
export const ratio = (ours: number, reference: number) => `${(ours / reference).toPrecision(2)}×`;

/** Layers for the PyTorch reference: [fan_in, units, activation]. */
/** The layers as the reference reads them: [fan_in, units, activation, residual]. */
export function torchLayers(
  inputDim: number,
  layers: LayerSpec[],
): [number, number, string, boolean][] {
  if (layers.some((layer) => layer.norm))
    throw new Error('the PyTorch reference of the bench has no layer norm');
  let fanIn = inputDim;
  return layers.map((layer) => {
    const entry: [number, number, string, boolean] = [
      fanIn,
      layer.units,
      layer.activation,
      layer.residual === true,
    ];
    fanIn = layer.units;
    return entry;
  });
}

export function rows(values: Float64Array, width: number): number[][] {
  return Array.from({ length: values.length / width }, (_, n) =>
    Array.from(values.subarray(n * width, (n + 1) * width)),
  );
}

export const report = (line = '') => console.log(line);

/** A new folder holding copies of `files` (its name there → the path to copy). */
export function benchFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(folder, name));
  return folder;
}

/**
 * `losslab analyze` on `spec`, written into `folder`, as a user runs it (with the Python that
 * has torch): its result and the wall time of the whole process.
 */
export function analyzeInFolder(
  folder: string,
  spec: object,
  env: Record<string, string> = {},
): { result: AnalysisResult; wall: number } {
  const specPath = join(folder, 'bench.loss.json');
  const resultPath = join(folder, 'bench.result.json');
  writeFileSync(specPath, JSON.stringify(spec));
  const start = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      join(__dirname, 'cli.js'),
      'analyze',
      specPath,
      '--out',
      resultPath,
      '--quiet',
      ...(python ? ['--python', python] : []),
    ],
    { encoding: 'utf8', env: { ...process.env, ...env } },
  );
  const wall = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`analyze failed: ${run.stderr}`);
  return { result: JSON.parse(readFileSync(resultPath, 'utf8')) as AnalysisResult, wall };
}

/** The digits-cnn example's module, data and weights in a folder of their own, and its spec. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a .loss.json, read as written
export function digitsCnnExample(): { folder: string; example: any } {
  const examples = join(__dirname, '..', 'examples');
  const folder = benchFolder(
    Object.fromEntries(
      ['py', 'npz', 'safetensors'].map((suffix) => [
        `digits-cnn.${suffix}`,
        join(examples, `digits-cnn.${suffix}`),
      ]),
    ),
  );
  const example = JSON.parse(readFileSync(join(examples, 'digits-cnn.loss.json'), 'utf8'));
  return { folder, example };
}
