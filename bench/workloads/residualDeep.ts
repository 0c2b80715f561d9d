// Workload 15: a deep residual MLP (12 tanh layers of width 12, skips around layers 2 to 12)
// decided exactly, and its 41×41 filter-normalized plane, beside PyTorch doing each the best
// way it can: the dense Hessian by a loop of double-backward passes plus eigvalsh, and the
// plane by chunks of grid points through batched products (baddbmm).
import { generate } from '../../src/core/data/generators';
import { filterNormalizedDirection, linspace } from '../../src/core/analysis/sliceGeometry';
import { symmetrize } from '../../src/core/linalg/eigen';
import { symmetricEigenvalues } from '../../src/core/linalg/eigenvalues';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { mlpFilters } from '../../src/core/model/filters';
import { MlpObjective } from '../../src/core/model/mlp';
import { initialParameters } from '../../src/core/optim/init';
import { Random } from '../../src/core/rng';
import type { LayerSpec } from '../../src/core/vocabulary';
import type { GridOutcome, Job } from '../../src/engine/jobs';
import { runJobs } from '../../src/engine/pool';
import { rowsPerJob } from '../../src/engine/slicePlans';
import {
  quick,
  ratio,
  report,
  rows,
  seconds,
  summary,
  threads,
  timed,
  torch,
  torchLayers,
} from '../shared';
import { benchDataset, benchSpec } from './fixtures';

export async function residualWorkload(withTorch: boolean): Promise<void> {
  const width = 12;
  const depth = 12;
  const resolution = quick ? 11 : 41;
  const layers: LayerSpec[] = [
    { units: width, activation: 'tanh', bias: true },
    ...Array.from({ length: depth - 1 }, () => ({
      units: width,
      activation: 'tanh' as const,
      bias: true,
      residual: true,
    })),
    { units: 1, activation: 'linear', bias: true },
  ];
  const data = generate({ generator: 'moons', samples: 256, seed: 5 });
  const architecture = new MlpArchitecture(2, layers);
  const p = architecture.parameterCount;
  report(
    `## 15. A residual MLP: 2-${depth}×${width}-1 tanh with skips, P = ${p}, 256 moons points, mse`,
  );
  const objective = new MlpObjective(architecture, data.inputs, data.targets, data.samples, 'mse');
  const random = new Random(15);
  const theta = initialParameters('xavier', 1, p, architecture, random);

  // The exact verdict's work: the dense Hessian and all its eigenvalues (one run each).
  let matrix: Float64Array = new Float64Array(0);
  const dense = timed(() => {
    matrix = objective.hessian(theta);
  }, 1);
  symmetrize(matrix, p);
  let values: Float64Array = new Float64Array(0);
  const eig = timed(() => {
    values = symmetricEigenvalues(matrix, p);
  }, 1);
  report(
    `exact verdict, ours:    dense Hessian ${seconds(dense)} + eigenvalues ${seconds(eig)} = ${(dense.median + eig.median).toPrecision(3)} s`,
  );
  const reference = withTorch
    ? torch({
        kind: 'exact',
        threads,
        repeats: 1,
        layers: torchLayers(2, layers),
        inputs: rows(data.inputs, 2),
        targets: rows(data.targets, 1),
        theta: Array.from(theta),
      })
    : null;
  if (reference) {
    const theirs = reference.hessian.median + reference.eigvalsh.median;
    const scale = Math.max(Math.abs(values[0]), Math.abs(values[p - 1]));
    const agreement = Math.max(
      Math.abs(values[0] - reference.values[0]),
      Math.abs(values[p - 1] - reference.values[1]),
    );
    report(
      `exact verdict, PyTorch: dense Hessian ${seconds(reference.hessian)} (double-backward, row by row) + eigvalsh ${seconds(reference.eigvalsh)} → ratio ours/PyTorch ${ratio(dense.median + eig.median, theirs)} (Hessian ${ratio(dense.median, reference.hessian.median)}, eigenvalues ${ratio(eig.median, reference.eigvalsh.median)}); λmin and λmax agree to ${(agreement / scale).toExponential(1)}·max|λ|`,
    );
  }

  // The plane, on the worker pool as the engine runs it.
  const filters = mlpFilters(architecture);
  const dx = filterNormalizedDirection(filters, theta, random, false);
  const dy = filterNormalizedDirection(filters, theta, random, false);
  const coords = linspace(-1, 1, resolution);
  const dataset = benchDataset(data, 2, 1);
  const step = rowsPerJob(resolution, threads);
  const jobs: Job[] = [];
  for (let row = 0; row < resolution; row += step)
    jobs.push({
      kind: 'grid',
      slice: 0,
      row,
      center: theta,
      x: dx,
      y: dy,
      xs: coords,
      ys: coords.slice(row, row + step),
      curvature: false,
    });
  let losses: number[] = [];
  const times: number[] = [];
  for (let i = 0; i <= (quick ? 1 : 3); i++) {
    const start = performance.now();
    const results = (await runJobs(benchSpec(layers, 'mse'), dataset, p, jobs, {
      threads,
      parallel: 'always',
    })) as GridOutcome[];
    if (i > 0) times.push((performance.now() - start) / 1000);
    const grid: (number | null)[][] = [];
    for (const r of results) r.losses.forEach((line, j) => (grid[r.row + j] = line));
    losses = grid.flat() as number[];
  }
  const ours = summary(times);
  report(`${resolution}×${resolution} plane, ours:    ${seconds(ours)} (${threads} threads)`);
  if (withTorch) {
    const plane = torch({
      kind: 'plane',
      threads,
      repeats: 1,
      layers: torchLayers(2, layers),
      loss: 'mse',
      inputs: rows(data.inputs, 2),
      targets: rows(data.targets, 1),
      labels: [],
      center: Array.from(theta),
      dx: Array.from(dx),
      dy: Array.from(dy),
      coords,
    });
    const sample = [losses[0], losses[losses.length >> 1], losses[losses.length - 1]];
    const agreement = Math.max(
      ...sample.map((v, i) => Math.abs(v - plane.sample[i]) / Math.abs(plane.sample[i])),
    );
    report(
      `${resolution}×${resolution} plane, PyTorch: ${seconds(plane.seconds)} (batched, ${plane.chunk} points per product) → ratio ours/PyTorch ${ratio(ours.median, plane.seconds.median)}; losses agree to ${agreement.toExponential(1)}`,
    );
  }
  report();
}
