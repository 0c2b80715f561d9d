// The benchmark: our engine side by side with a PyTorch reference (float64, same data, same
// starting points, same thread count) when Debian's python3-torch is installed. Every figure
// is a median over repetitions after a warm-up, with its spread; comparisons are ratios
// (ours / PyTorch), because the machine is shared and absolute times drift.
//
//   npm run bench            all workloads
//   npm run bench -- quick   fewer repetitions and a smaller grid
//   npm run bench -- slices  one workload (xor, train, mlp, exact, lanczos, slices, examples, cli,
//                            density)
import { cpus } from 'node:os';
import { densityWorkload } from './workloads/spectralDensity';
import { endToEndWorkload } from './workloads/endToEnd';
import { examplesWorkload } from './workloads/examplesCli';
import { exactLimitWorkload } from './workloads/exactSpectrum';
import { lanczosWorkload } from './workloads/lanczosExtremes';
import { mlpWorkload } from './workloads/mlpDerivatives';
import { sliceWorkload } from './workloads/planeGrid';
import { trainingWorkload } from './workloads/adamTraining';
import { xorWorkload } from './workloads/xorRuns';
import { python, report, threads } from './shared';

/** The workloads in report order, by the name that runs one alone (`npm run bench -- slices`). */
const WORKLOADS: [name: string, run: (withTorch: boolean) => void | Promise<void>][] = [
  ['xor', xorWorkload],
  ['train', trainingWorkload],
  ['mlp', mlpWorkload],
  ['exact', exactLimitWorkload],
  ['lanczos', lanczosWorkload],
  ['slices', sliceWorkload],
  ['examples', () => examplesWorkload()],
  ['cli', endToEndWorkload],
  ['density', densityWorkload],
];
const only = WORKLOADS.map(([name]) => name).find((name) => process.argv.includes(name));

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
  for (const [name, run] of WORKLOADS) if (!only || only === name) await run(withTorch);
}

void main();
