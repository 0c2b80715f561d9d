// The .loss.json file after validation, with every default filled in.
import type { GeneratorName } from '../data/generators';

export type LossName = 'mse' | 'bce' | 'cross-entropy';
export type Activation = 'linear' | 'tanh' | 'sigmoid' | 'relu' | 'softplus';
export type InitName = 'xavier' | 'he' | 'normal' | 'uniform';
export type OptimizerName = 'gd' | 'sgd' | 'momentum' | 'adam';
export type HessianMode = 'auto' | 'exact' | 'lanczos' | 'off';

export type DataSpec =
  | {
      kind: 'generator';
      generator: GeneratorName;
      samples?: number;
      noise?: number;
      seed: number;
      slope?: number;
      intercept?: number;
      normalize: 'none' | 'standardize';
    }
  | {
      kind: 'inline';
      inputs: number[][];
      targets: number[][] | 'inputs';
      normalize: 'none' | 'standardize';
    }
  | {
      kind: 'csv';
      csv: string;
      inputs: string[];
      targets: string[] | 'inputs';
      normalize: 'none' | 'standardize';
    };

export interface LayerSpec {
  units: number;
  activation: Activation;
  bias: boolean;
}

export type ModelSpec =
  | { kind: 'mlp'; layers: LayerSpec[] }
  | { kind: 'expression'; expression: string; parameters: string[] };

export interface TrainingSpec {
  runs: number;
  seed: number;
  init: InitName;
  initScale: number;
  optimizer: OptimizerName;
  learningRate: number;
  momentum: number;
  /** Rows per step; null for the full batch. */
  batchSize: number | null;
  epochs: number;
  stopAt: { gradientNorm: number; loss: number | null };
  from: string[];
}

export interface PointSpec {
  name: string;
  /** θ in the model's parameter order. */
  parameters: number[];
}

export type SliceSpec =
  | { type: 'line'; from: string; to: string; steps: number; margin: number; align: boolean }
  | {
      type: 'plane';
      directions: 'random' | 'hessian' | 'points' | 'trajectory';
      center: string | null;
      through: string[] | null;
      resolution: number;
      /** Half-width of the grid; null: 1 for random and hessian, fitted to the points or path otherwise. */
      span: number | null;
      seed: number;
      includeBias: boolean;
    };

export interface AnalysisSpec {
  hessian: HessianMode;
  refine: boolean;
  equivalence: boolean;
  tolerance: { gradient: number; eigenvalue: number };
  exactLimit: number;
  slices: SliceSpec[];
  search: { starts: number; seed: number; scale: number };
  /** "twins": one path per class with a permuted twin; or explicit pairs of ids. */
  paths: 'twins' | 'none' | { from: string; to: string }[];
}

export interface ResolvedSpec {
  name: string;
  data: DataSpec;
  model: ModelSpec;
  loss: LossName;
  weightDecay: number;
  training: TrainingSpec;
  points: PointSpec[];
  analysis: AnalysisSpec;
}
