// Workload 16: a Monte Carlo smoothed plane (issue: homotopy) at a size people bring — a
// 2-32-32-1 tanh network (P = 1,185) on 1,000 moons points — as the engine computes it: L_σ on
// a 21×21 filter-normalized plane over 128 perturbations on the worker pool, then the critical
// points of L_σ in the plane. Beside it, PyTorch's best way to compute the same grid: the mean
// of one batched plane (baddbmm, best chunk) per perturbation, over the same perturbations.
// No tool we know finds a smoothed loss's critical points: that stage is reported alone.
import { generate } from '../../src/core/data/generators';
import { smoothingRule } from '../../src/core/analysis/smoothing';
import { planeCriticalPoints } from '../../src/core/analysis/smoothedCriticalPoints';
import { filterNormalizedDirection, linspace } from '../../src/core/analysis/sliceGeometry';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { mlpFilters } from '../../src/core/model/filters';
import { MlpObjective } from '../../src/core/model/mlp';
import { initialParameters } from '../../src/core/optim/init';
import { Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import type { GridOutcome, Job } from '../../src/engine/jobs';
import { runJobs } from '../../src/engine/pool';
import { rowsPerJob } from '../../src/engine/slicePlans';
import { fmt, quick, ratio, report, rows, threads, torch, torchLayers } from '../shared';
import { benchDataset, benchSpec } from './fixtures';

export async function smoothedPlaneWorkload(withTorch: boolean): Promise<void> {
  const layers: LayerSpec[] = [
    { units: 32, activation: 'tanh', bias: true },
    { units: 32, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const samples = quick ? 200 : 1000;
  const resolution = quick ? 7 : 21;
  const sigma = 0.1;
  const data = generate({ generator: 'moons', samples, noise: 0.2, seed: 16 });
  const architecture = new MlpArchitecture(2, layers);
  const p = architecture.parameterCount;
  report(
    `## 16. A smoothed plane by Monte Carlo: 2-32-32-1 tanh, P = ${p}, ${samples} moons points, mse, σ = ${sigma}, 128 perturbations`,
  );
  const objective = new MlpObjective(architecture, data.inputs, data.targets, samples, 'mse');
  const random = new Random(16);
  const theta = initialParameters('xavier', 1, p, architecture, random);
  const filters = mlpFilters(architecture);
  const plane = {
    center: theta,
    x: filterNormalizedDirection(filters, theta, random, false),
    y: filterNormalizedDirection(filters, theta, random, false),
  };
  const coords = linspace(-1, 1, resolution);
  const seed = 0x5eed;
  const dataset = benchDataset(data, 2, 1);
  const step = rowsPerJob(resolution, threads);
  const jobs: Job[] = [];
  for (let row = 0; row < resolution; row += step)
    jobs.push({
      kind: 'grid',
      slice: 0,
      row,
      ...plane,
      xs: coords,
      ys: coords.slice(row, row + step),
      curvature: false,
      smoothing: { sigmas: [sigma], seed, on: 'plane' },
    });
  // One run each: a stage takes tens of seconds here.
  let start = performance.now();
  const outcomes = (await runJobs(benchSpec(layers, 'mse'), dataset, p, jobs, {
    threads,
    parallel: 'always',
  })) as GridOutcome[];
  const gridSeconds = (performance.now() - start) / 1000;
  const grid: (number | null)[][] = [];
  for (const o of outcomes) o.smoothedRows![0].loss.forEach((line, j) => (grid[o.row + j] = line));
  const rule = smoothingRule(p, seed);
  start = performance.now();
  const points = planeCriticalPoints(objective, plane, coords, coords, grid, sigma, rule);
  const searchSeconds = (performance.now() - start) / 1000;
  const kinds = points.map((q) => q.kind).join(', ') || 'none';
  report(
    `ours: L_σ on the ${resolution}×${resolution} grid ${fmt(gridSeconds)} s (${threads} threads) + its critical points in the plane ${fmt(searchSeconds)} s (1 thread: ${points.length} found, ${kinds}) = ${fmt(gridSeconds + searchSeconds)} s`,
  );
  if (!withTorch) return report();
  const reference = torch({
    kind: 'smoothed-plane',
    threads,
    repeats: 1,
    layers: torchLayers(2, layers),
    inputs: rows(data.inputs, 2),
    targets: rows(data.targets, 1),
    center: Array.from(theta),
    dx: Array.from(plane.x),
    dy: Array.from(plane.y),
    coords,
    sigma,
    perturbations: rule.offsets.map((e) => Array.from(e)),
  });
  const flat = grid.flat() as number[];
  const sample = [flat[0], flat[flat.length >> 1], flat[flat.length - 1]];
  const agreement = Math.max(
    ...sample.map((v, i) => Math.abs(v - reference.sample[i]) / Math.abs(reference.sample[i])),
  );
  report(
    `PyTorch: L_σ on the grid ${fmt(reference.seconds.median)} s (a batched plane per perturbation, ${reference.chunk} points per product) → grid ratio ours/PyTorch ${ratio(gridSeconds, reference.seconds.median)}; L_σ agrees to ${agreement.toExponential(1)}`,
  );
  report();
}
