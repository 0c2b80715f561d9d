// Workload 9: tr(H) beyond the exact limit, ours beside PyHessian's, run unmodified from a
// checkout of its repository (PYHESSIAN=/path/to/PyHessian; the row is skipped without it).
// Both get the same network, data and weights, and PyHessian as many Hessian-vector products
// as our whole spectrum took (Lanczos steps included), so the comparison is of estimators.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePoint } from '../../src/core/analysis/analyzePoint';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import { Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import { fmt, ratio, report, rows, timed, torch, torchLayers } from '../shared';
import { benchSpec } from './fixtures';

/** Seeds of PyHessian's estimate: its error is random, so the typical one is reported. */
const SEEDS = 10;

export function pyhessianWorkload(withTorch: boolean): void {
  report('## 9. tr(H) beyond the exact limit: 4-30-30-1 tanh (P = 1111), 256 samples, MSE');
  const checkout = process.env.PYHESSIAN;
  if (!withTorch || !checkout || !existsSync(join(checkout, 'pyhessian', 'hessian.py'))) {
    report('skipped: set PYHESSIAN to a checkout of github.com/amirgholami/PyHessian');
    report();
    return;
  }
  const layers: LayerSpec[] = [
    { units: 30, activation: 'tanh', bias: true },
    { units: 30, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const random = new Random(8);
  const samples = 256;
  const architecture = new MlpArchitecture(4, layers);
  const inputs = Float64Array.from({ length: samples * 4 }, () => random.normal());
  const targets = Float64Array.from({ length: samples }, () => random.normal());
  const objective = new MlpObjective(architecture, inputs, targets, samples, 'mse');
  const theta = Float64Array.from(
    { length: architecture.parameterCount },
    () => random.normal() / Math.sqrt(30),
  );
  // The verdict by Lanczos: 1111 parameters, with exact spectra only up to 1000.
  const analysis = { ...benchSpec(layers, 'mse').analysis, hessian: 'lanczos' as const };
  const context = {
    lossLowerBound: 0,
    lossScale: 1,
    architecture: null,
    weightDecay: 0,
    dataset: { inputs, samples } as never,
  };
  const point = analyzePoint(objective, theta, analysis, context);
  // Warmed up and repeated (PyHessian's torch is warm after its first seed too).
  const seconds = timed(() => analyzePoint(objective, theta, analysis, context)).median;
  const ours = { seconds, trace: point.hessian!.trace! };
  const peer = torch({
    kind: 'pyhessian-trace',
    threads: 1,
    pyhessian: checkout,
    layers: torchLayers(4, layers),
    inputs: rows(inputs, 4),
    targets: rows(targets, 1),
    theta: Array.from(theta),
    probes: point.hessianProducts,
    seeds: SEEDS,
  });
  const exact: number = peer.exact;
  const errors = (peer.estimates as { value: number; standardError: number }[])
    .map((e) => Math.abs(e.value - exact))
    .sort((a, b) => a - b);
  const medianError = errors[errors.length >> 1];
  const meanStandardError =
    peer.estimates.reduce((sum: number, e: { standardError: number }) => sum + e.standardError, 0) /
    SEEDS;
  const ourError = Math.abs(ours.trace.value - exact);
  report(`exact tr(H) (PyTorch's dense Hessian): ${exact.toPrecision(6)}`);
  report(
    `ours:      ${ours.trace.value.toPrecision(6)} ± ${fmt(ours.trace.standardError ?? 0)}, off by ${fmt(ourError)}; ${point.hessianProducts} products (the verdict's Lanczos and ${ours.trace.probes} deflated probes), λmin, λmax and the verdict included: ${fmt(ours.seconds)} s`,
  );
  report(
    `PyHessian: the same ${point.hessianProducts} products, ${SEEDS} seeds: median error ${fmt(medianError)} (± ${fmt(meanStandardError)} on average), ${fmt(peer.seconds)} s each (median)`,
  );
  report(
    `error ours/PyHessian ${ratio(ourError, medianError)}, time ${ratio(ours.seconds, peer.seconds)} (1 thread)`,
  );
  report();
}
