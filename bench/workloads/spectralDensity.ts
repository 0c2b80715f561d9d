// Workload 8: the Hessian's spectral density (analysis.density) at P = 101,770, as a user
// runs it with the CLI, beside the 51×51 plane of the same model it should cost less than,
// and beside PyTorch doing the same extremes and density the best way it can (every probe in
// lockstep through batched double-backward, reorthogonalization as matrix products).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOT_CRITICAL_LANCZOS_STEPS } from '../../src/core/analysis/analyzePoint';
import { PROBE_SEED } from '../../src/core/analysis/density';
import { rademacherStart } from '../../src/core/linalg/lanczos';
import { densityDistance } from '../../src/core/linalg/slq';
import type { LayerSpec } from '../../src/core/vocabulary';
import type { AnalysisResult } from '../../src/protocol/result';
import { analyze, columns, mnistLike } from './endToEnd';
import { fmt, quick, ratio, report, seconds, torch, torchLayers } from '../shared';

const layers: LayerSpec[] = [
  { units: 128, activation: 'relu', bias: true },
  { units: 10, activation: 'linear', bias: true },
];

export function densityWorkload(withTorch: boolean): void {
  report(
    '## 8. Spectral density at P = 101,770: 784-128-10 relu, 1000 samples, cross-entropy, 10 Adam steps',
  );
  report(
    '(CLI stage times from the result files: the spectrum stage of a file without the density is the extremes alone; with it, the extremes and the density)',
  );
  const folder = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  const data = mnistLike();
  writeFileSync(join(folder, 'mnist.csv'), data.csv);
  const base = {
    data: { csv: 'mnist.csv', inputs: columns(784), targets: ['label'] },
    model: { layers },
    loss: 'cross-entropy',
    training: { runs: 1, optimizer: 'adam', learningRate: 0.001, epochs: 10 },
  };
  const files = {
    plane: {
      ...base,
      analysis: { hessian: 'off', slices: [{ type: 'plane', directions: 'random' }] },
    },
    extremes: { ...base, analysis: { slices: [] } },
    density: { ...base, analysis: { slices: [], density: true } },
  };
  let withDensity: AnalysisResult | null = null;
  for (const threads of [1, 2]) {
    const plane = analyze(folder, files.plane, threads).result.timings.slicesSeconds;
    const extremes = analyze(folder, files.extremes, threads).result.timings.spectrumSeconds;
    const run = analyze(folder, files.density, threads);
    const both = run.result.timings.spectrumSeconds;
    const density = run.result.runs[0].hessian!.density!;
    report(
      `${threads} thread${threads > 1 ? 's' : ''}: 51×51 plane ${fmt(plane)} s · extremes alone ${fmt(extremes)} s · extremes + density ${fmt(both)} s (${density.probes} probes × ${density.steps!.join(', ')} steps, standard error ${density.standardError!.toExponential(1)}) → (extremes + density) / plane ${ratio(both, plane)}`,
    );
    withDensity ??= run.result;
  }
  if (withTorch && withDensity) reference(withDensity, data);
  report();
  rmSync(folder, { recursive: true, force: true });
}

/** PyTorch's extremes and density from the same probes and step counts, on one thread. */
function reference(result: AnalysisResult, data: { inputs: number[][]; labels: number[] }): void {
  const run = result.runs[0];
  const density = run.hessian!.density!;
  if (run.verdict.kind !== 'not-critical')
    throw new Error(`the bench expects a point that is not critical, got ${run.verdict.kind}`);
  const p = run.parameters.length;
  const reference = torch({
    kind: 'density',
    threads: 1,
    repeats: quick ? 1 : 3,
    layers: torchLayers(784, layers),
    inputs: data.inputs,
    labels: data.labels,
    theta: run.parameters,
    probes: density.steps!.map((_, j) => Array.from(rademacherStart(p, PROBE_SEED, j))),
    steps: density.steps,
    // The verdict's Lanczos of a point that is not critical; the density's probe 0 goes on from it.
    extremeSteps: NOT_CRITICAL_LANCZOS_STEPS,
    sigma: density.sigma,
    grid: density.grid,
  });
  const ours = result.timings.spectrumSeconds;
  const distance = densityDistance(density.grid, density.density, reference.density);
  const eigenvalues = run.hessian!.eigenvalues;
  report(
    `PyTorch extremes + density (1 thread, the same probes and steps): ${seconds(reference.seconds)} → ours/PyTorch ${ratio(ours, reference.seconds.median)}`,
  );
  report(
    `agreement: L1 distance between the two densities ${distance.toExponential(1)}; λmin ${Math.abs(eigenvalues[0] - reference.values[0]).toExponential(1)}, λmax ${Math.abs(eigenvalues.at(-1)! - reference.values[1]).toExponential(1)} absolute`,
  );
}
