// The words every folder of core shares: what a .loss.json file says once it is validated
// and every default is filled in (ResolvedSpec), and the names its choices take. It imports
// nothing of core, so that any folder can use it without a cycle (ESLint holds the rule).
import {
  LOSS_NAMES,
  type LossChoice,
  type LossFunction,
  type LossName,
  type ModuleUnitLayer,
  type PlaneDirection,
  type PointWeights,
} from '../protocol/result';

export { LOSS_NAMES };
export type { LossChoice, LossFunction, LossName, ModuleUnitLayer, PlaneDirection };

// Each union comes with its values, so a test can hold the schema's enums to them. A name
// added here needs its entry in the table that gives it meaning (the compiler says where).
/** The activations, in the schema's order; what each is: ACTIVATIONS (model/activations.ts). */
export const ACTIVATION_NAMES = ['linear', 'tanh', 'sigmoid', 'relu', 'softplus', 'silu'] as const;
export type Activation = (typeof ACTIVATION_NAMES)[number];
/** The built-in datasets (data/generators.ts). */
export const GENERATOR_NAMES = [
  'xor',
  'circles',
  'moons',
  'spirals',
  'gaussians',
  'sine',
  'linear',
] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];
export const NORMALIZATIONS = ['none', 'standardize'] as const;
export type Normalization = (typeof NORMALIZATIONS)[number];
export const INIT_NAMES = ['xavier', 'he', 'normal', 'uniform', 'module'] as const;
export type InitName = (typeof INIT_NAMES)[number];
/** The optimizers, in the schema's order; what each does: OPTIMIZERS (optim/optimizers.ts). */
export const OPTIMIZER_NAMES = ['gd', 'sgd', 'momentum', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];
export const HESSIAN_MODES = ['auto', 'exact', 'lanczos', 'off'] as const;
export type HessianMode = (typeof HESSIAN_MODES)[number];
export const SLICE_TYPES = ['line', 'plane', 'axis'] as const;
export const PATH_MODES = ['twins', 'none'] as const;

export type DataSpec =
  | {
      kind: 'generator';
      generator: GeneratorName;
      samples?: number;
      noise?: number;
      seed: number;
      slope?: number;
      intercept?: number;
      normalize: Normalization;
    }
  | {
      kind: 'inline';
      inputs: number[][];
      targets: number[][] | 'inputs';
      normalize: Normalization;
    }
  | {
      kind: 'csv';
      csv: string;
      inputs: string[];
      targets: string[] | 'inputs';
      normalize: Normalization;
    }
  /** Arrays of any shape, read by the PyTorch worker (PyTorch models only). */
  | { kind: 'npz'; npz: string; inputs: string; targets: string }
  /** A function of a Python file returning (inputs, targets), run by the PyTorch worker. */
  | { kind: 'pytorch'; file: string; load: string };

/** The data sources only the PyTorch worker reads: the engine learns their shapes from it. */
export type WorkerDataSpec = Extract<DataSpec, { kind: 'npz' | 'pytorch' }>;

/** Normalizations a declared layer may apply to its output. */
export const LAYER_NORMS = ['layer'] as const;
export type LayerNormName = (typeof LAYER_NORMS)[number];

export interface LayerSpec {
  units: number;
  activation: Activation;
  bias: boolean;
  /**
   * A skip connection. `true` (or 1): the layer's input is added to its output,
   * a = act(W·x + b) + x. A number k: the output of the layer k below is added, a skip around
   * k layers (a block of k layers, as in a ResNet's two-layer blocks). Widths must match.
   */
  residual?: boolean | number;
  /** Layer normalization of the layer's output (after the activation and the skip). */
  norm?: LayerNormName;
}

export type ModelSpec =
  | { kind: 'mlp'; layers: LayerSpec[] }
  | { kind: 'expression'; expression: string; parameters: string[] }
  /** A torch.nn.Module built by `build(**args)` of a Python file (paths relative to the spec). */
  | PytorchModelSpec;

export const TORCH_DTYPES = ['float64', 'float32'] as const;
export type TorchDtype = (typeof TORCH_DTYPES)[number];
export const TORCH_DEVICES = ['cpu', 'cuda', 'auto'] as const;
export type TorchDevice = (typeof TORCH_DEVICES)[number];

export interface PytorchModelSpec {
  kind: 'pytorch';
  file: string;
  build: string;
  args: Record<string, unknown>;
  /** The precision PyTorch computes in, and where. */
  dtype: TorchDtype;
  device: TorchDevice;
  /** What the PyTorch worker found when it loaded the module (null until then: the editor). */
  module: ModuleShape | null;
}

/** A PyTorch module as its worker describes it (engine/torch). */
export interface ModuleShape {
  /** The module's class, e.g. "Sequential", and the torch version that loaded it. */
  className: string;
  torch: string;
  parameterCount: number;
  /** One name per scalar of θ, in module.parameters() order: "0.weight[1][0]". */
  parameterNames: string[];
  /** The parameters' tensors in θ order, named as in the state_dict. */
  tensors: { name: string; shape: number[] }[];
  /** One row's input and output shapes. */
  inputShape: number[];
  outputShape: number[];
  /** Where the worker computes ("cuda:0", "cpu"). */
  device: string;
  /** The module as a declared MLP (the same θ order), when it is an nn.Sequential of Linear layers and activations. */
  sequential: LayerSpec[] | null;
  /** Why it is not one, in words (null when it is). */
  notSequential: string | null;
  /**
   * Where its permutable units (hidden units, channels) sit, when it is a plain stack of Linear
   * layers and convolutions (python/losslab_units.py); null otherwise.
   */
  permutable: ModuleUnitLayer[] | null;
  /** Why its units cannot be permuted, in words (null when they can). */
  notPermutable: string | null;
}

export interface TrainingSpec {
  runs: number;
  seed: number;
  init: InitName;
  initScale: number;
  optimizer: OptimizerName;
  learningRate: number;
  /** The optimizer's own settings (momentum, beta1, …), each one it uses given a value. */
  settings: Readonly<Record<string, number>>;
  /** Rows per step; null for the full batch. */
  batchSize: number | null;
  epochs: number;
  stopAt: { gradientNorm: number; loss: number | null };
  /** Perturbed gradient descent: a uniform kick of half-width `scale` every `every` epochs (null: none). */
  noise: { scale: number; every: number } | null;
  /** Continuation: smoothed stages from σ = from down in `steps` stages, then plain (null: none). */
  continuation?: { from: number; steps: number } | null;
  from: string[];
}

export interface PointSpec {
  name: string;
  /** θ in the model's parameter order. */
  parameters: number[];
  /** Where θ came from, when the point names a weight file. */
  weights?: PointWeights;
}

export type SliceSpec =
  | {
      type: 'line';
      from: string;
      to: string;
      steps: number;
      margin: number;
      align: boolean;
      curvature: CurvatureOption;
      /** σ of each Gaussian smoothing of the loss along the slice (absent: none). */
      smoothing?: number[];
    }
  | {
      type: 'axis';
      /** Null: the first parameter. */
      parameter: string | null;
      /** Holds the other parameters (null: the first run or point). */
      center: string | null;
      /** Null: fitted to every run, point and training path with a 25% margin. */
      range: [number, number] | null;
      steps: number;
      curvature: CurvatureOption;
      smoothing?: number[];
    }
  | PlaneSpec;

/**
 * What a slice records of the Hessian at every grid point: nothing (false), λmin (true), or
 * λmin and Li et al.'s non-convexity ratio |λmin/λmax| ("ratio").
 */
export type CurvatureOption = boolean | 'ratio';

/** A plane slice as resolved: the keys its kind of plane does not read are null. */
export type PlaneSpec = {
  type: 'plane';
  directions: PlaneDirection;
  center: string | null;
  through: string[] | null;
  /** Parameter planes: the two parameters (null: the first two). */
  axes: [string, string] | null;
  /** Parameter planes: the grid's extent on each axis (null: fitted like an axis slice's). */
  range: { x: [number, number]; y: [number, number] } | null;
  resolution: number;
  /** Half-width of the grid; null: 1 for random and hessian, fitted to the points or path otherwise. */
  span: number | null;
  seed: number;
  includeBias: boolean;
  curvature: CurvatureOption;
  smoothing?: number[];
};

/** analysis.density resolved: the most probes and steps, the Gaussians' width, when to stop early. */
export interface DensitySpec {
  probes: number;
  iterations: number;
  broadening: number;
  tolerance: number;
}

export interface AnalysisSpec {
  hessian: HessianMode;
  refine: boolean;
  equivalence: boolean;
  tolerance: { gradient: number; eigenvalue: number };
  exactLimit: number;
  slices: SliceSpec[];
  /** Spectral density by stochastic Lanczos quadrature for every run and point (null: off). */
  density: DensitySpec | null;
  /** True when the file does not mention `slices`: the engine then chooses one (automatic.ts). */
  automaticSlices: boolean;
  search: { starts: number; seed: number; scale: number };
  /** "twins": one path per class with a permuted twin; or explicit pairs of ids. */
  paths: (typeof PATH_MODES)[number] | { from: string; to: string }[];
}

export interface ResolvedSpec {
  name: string;
  data: DataSpec;
  model: ModelSpec;
  loss: LossChoice;
  /** The Python function of "pytorch" losses; null for the engine's own. */
  lossFunction: LossFunction | null;
  weightDecay: number;
  training: TrainingSpec;
  points: PointSpec[];
  analysis: AnalysisSpec;
}
