// The models and the spec several workloads share.
import { generate } from '../../src/core/data/generators';
import { MlpArchitecture } from '../../src/core/model/architecture';
import { MlpObjective } from '../../src/core/model/mlp';
import type { Dataset } from '../../src/core/data/dataset';
import type { LayerSpec, LossName, ResolvedSpec } from '../../src/core/vocabulary';

/** The 2-64-64-1 tanh MLP on 1000 moons points (workloads 2 and 3a). */
export function moonsMlp() {
  const layers: LayerSpec[] = [
    { units: 64, activation: 'tanh', bias: true },
    { units: 64, activation: 'tanh', bias: true },
    { units: 1, activation: 'linear', bias: true },
  ];
  const data = generate({ generator: 'moons', samples: 1000, seed: 3 });
  const architecture = new MlpArchitecture(2, layers);
  const objective = new MlpObjective(architecture, data.inputs, data.targets, data.samples, 'mse');
  return { layers, data, architecture, objective };
}

/** Generated rows as the engine's dataset, unnamed: what the worker pool is handed. */
export function benchDataset(
  data: { samples: number; inputs: Float64Array; targets: Float64Array },
  inputDim: number,
  targetDim: number,
): Dataset {
  const { samples, inputs, targets } = data;
  return { samples, inputDim, targetDim, inputs, targets, inputNames: [], targetNames: [] };
}

export function benchSpec(layers: LayerSpec[], loss: LossName): ResolvedSpec {
  return {
    name: 'bench',
    data: { kind: 'inline', inputs: [], targets: [], normalize: 'none' },
    model: { kind: 'mlp', layers },
    loss,
    lossFunction: null,
    weightDecay: 0,
    training: {
      runs: 0,
      seed: 0,
      init: 'xavier',
      initScale: 1,
      optimizer: 'gd',
      learningRate: 0.1,
      settings: {},
      batchSize: null,
      epochs: 0,
      stopAt: { gradientNorm: 0, loss: null },
      noise: null,
      from: [],
    },
    points: [],
    analysis: {
      hessian: 'off',
      refine: false,
      equivalence: false,
      tolerance: { gradient: 1e-8, eigenvalue: 1e-7 },
      exactLimit: 1000,
      slices: [],
      automaticSlices: false,
      density: null,
      search: { starts: 0, seed: 0, scale: 1 },
      paths: 'none',
    },
  };
}
