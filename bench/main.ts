// The benchmark: our engine side by side with a PyTorch reference (float64, same data, same
// starting points, same thread count) when Debian's python3-torch is installed. Every figure
// is a median over repetitions after a warm-up, with its spread; comparisons are ratios
// (ours / PyTorch), because the machine is shared and absolute times drift.
//
//   npm run bench            all workloads
//   npm run bench -- quick   fewer repetitions and a smaller grid
//   npm run bench -- slices  one workload, or several (`-- xor cli`): xor, train, mlp, exact,
//                            lanczos, slices, examples, cli, density, pyhessian, pyhessian-cnn
//                            (PYHESSIAN=checkout), loss-landscape (LOSS_LANDSCAPE=checkout),
//                            resnet, round-trip, residual, smoothed
import { cpus } from 'node:os';
import { densityWorkload } from './workloads/spectralDensity';
import { endToEndWorkload } from './workloads/endToEnd';
import { examplesWorkload } from './workloads/examplesCli';
import { exactLimitWorkload } from './workloads/exactSpectrum';
import { lanczosWorkload } from './workloads/lanczosExtremes';
import { pyhessianWorkload } from './workloads/pyhessianTrace';
import { pyhessianModuleWorkload } from './workloads/pyhessianModule';
import { lossLandscapePlaneWorkload } from './workloads/lossLandscapePlane';
import { resnetWorkload } from './workloads/resnetEndToEnd';
import { mlpWorkload } from './workloads/mlpDerivatives';
import { sliceWorkload } from './workloads/planeGrid';
import { trainingWorkload } from './workloads/adamTraining';
import { xorWorkload } from './workloads/xorRuns';
import { roundTripWorkload } from './workloads/roundTrip';
import { residualWorkload } from './workloads/residualDeep';
import { smoothedPlaneWorkload } from './workloads/smoothedPlane';
import { python, report, threads, torch } from './shared';

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
  ['pyhessian', pyhessianWorkload],
  ['pyhessian-cnn', pyhessianModuleWorkload],
  ['loss-landscape', lossLandscapePlaneWorkload],
  ['resnet', resnetWorkload],
  ['round-trip', roundTripWorkload],
  ['residual', residualWorkload],
  ['smoothed', smoothedPlaneWorkload],
];
/** The workloads named on the command line (`npm run bench -- xor cli`); none named: all. */
const only = WORKLOADS.map(([name]) => name).filter((name) => process.argv.includes(name));

async function main(): Promise<void> {
  const withTorch = python !== undefined;
  report(`# Loss Landscape Lab benchmark — ${new Date().toISOString().slice(0, 10)}`);
  report(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${threads} threads, Node ${process.version}`,
  );
  if (withTorch) {
    // PyTorch's matrix products are as fast as the BLAS it loads (Debian's: the system one).
    const { torch: version, blas } = torch({ kind: 'info', threads: 1 });
    report(
      `reference: PyTorch ${version} (python3-torch) with ${blas}, float64, same data and starting points`,
    );
    if (!/OpenBLAS|MKL/.test(blas))
      report(
        '  (the reference BLAS multiplies 6× slower than OpenBLAS: apt-get install libopenblas0-pthread gives PyTorch its best, and the ratios below are against that)',
      );
  } else report('reference: PyTorch not installed (apt-get install python3-torch) — ours only');
  report();
  for (const [name, run] of WORKLOADS)
    if (only.length === 0 || only.includes(name)) await run(withTorch);
}

void main();
