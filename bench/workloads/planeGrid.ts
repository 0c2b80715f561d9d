// Workload 5: a 51×51 plane of the loss on the worker pool, beside PyTorch's batched evaluation.
import { MlpArchitecture } from '../../src/core/model/architecture';
import { initialParameters } from '../../src/core/optim/init';
import { Random } from '../../src/core/rng';
import { filterNormalizedDirection, linspace } from '../../src/core/analysis/sliceGeometry';
import { mlpFilters } from '../../src/core/model/filters';
import type { LayerSpec, LossName } from '../../src/core/vocabulary';
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
  torch,
  torchLayers,
} from '../shared';
import { benchDataset, benchSpec } from './fixtures';

/** A 51×51 filter-normalized random plane, evaluated on the worker pool as the engine does. */
export async function sliceWorkload(withTorch: boolean): Promise<void> {
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
    const dx = filterNormalizedDirection(mlpFilters(architecture), center, random, false);
    const dy = filterNormalizedDirection(mlpFilters(architecture), center, random, false);
    const coords = linspace(-1, 1, resolution);
    const dataset = benchDataset({ samples, inputs, targets }, c.inputDim, c.layers.at(-1)!.units);
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
