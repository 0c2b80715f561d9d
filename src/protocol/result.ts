// The result file (FORMAT.md §3). Every field here is read by scripts and by the panel,
// so it only grows: new fields are optional additions, nothing is renamed.

export const VERDICT_KINDS = [
  'minimum',
  'saddle',
  'maximum',
  'degenerate',
  'not-critical',
] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];
export const LOSS_NAMES = ['mse', 'bce', 'cross-entropy', 'huber'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
/** One Linear layer or convolution of a module, as the search of permuted twins sees it. */
export interface ModuleUnitLayer {
  /** State_dict names of its weight (units × inputs·block, row-major) and bias. */
  weight: string;
  bias: string | null;
  /** Per-unit tensors that move with its units: a BatchNorm's gain and shift right after it. */
  perUnit: string[];
  units: number;
  /** Units of the layer below (the input's columns for the first layer). */
  inputs: number;
  /** Weight columns per unit below: a kernel, or a channel's positions after a Flatten. */
  block: number;
  /** Whether its units may be negated (all odd up to the next layer) or rescaled (homogeneous). */
  sign: boolean;
  rescale: boolean;
}

/** A loss computed by a Python function of the module's (`"loss": {"pytorch": "loss_fn"}`). */
export interface LossFunction {
  /** The Python file, relative to the .loss.json (the model's file unless the file names another). */
  file: string;
  name: string;
}
/** How a result names its loss: "mse", or "loss_fn() of model.py" for a Python one. */
export function lossText(result: Pick<AnalysisResult, 'loss' | 'lossFunction'>): string {
  return result.loss === 'pytorch' && result.lossFunction
    ? `${result.lossFunction.name}() of ${result.lossFunction.file}`
    : result.loss;
}

/** The loss of a file: one of the engine's, or "pytorch": a function of the module's (lossFunction). */
export type LossChoice = LossName | 'pytorch';
export const PLANE_DIRECTIONS = [
  'random',
  'hessian',
  'points',
  'trajectory',
  'parameters',
] as const;
export type PlaneDirection = (typeof PLANE_DIRECTIONS)[number];
export type VerdictMethod = 'exact' | 'lanczos' | 'probe' | 'none';
/** Why a point is not critical, when the evidence shows more than a large gradient. */
export const NOT_CRITICAL_CAUSES = [
  'still-descending',
  'diverging',
  'gradient-flat',
  'plateau',
] as const;
export type NotCriticalCause = (typeof NOT_CRITICAL_CAUSES)[number];

export interface Verdict {
  kind: VerdictKind;
  /** Number of negative Hessian eigenvalues; null when the spectrum is unknown or partial. */
  index: number | null;
  /** Number of eigenvalues treated as zero; null when unknown. */
  nullity: number | null;
  method: VerdictMethod;
  reason: string;
  /** Not-critical verdicts: what the evidence shows (the reason starts with it in words). */
  cause?: NotCriticalCause;
  /** Absolute thresholds actually used, so a reader can check the verdict. */
  tolerance: {
    /** ‖∇L‖ at or below this counts as critical. */
    gradient: number;
    /** |λ| at or below this counts as zero (null when no spectrum was computed). */
    eigenvalue: number | null;
    /** The precision the evidence was computed in, when not float64 (a PyTorch module's dtype). */
    precision?: 'float32';
  };
}

/** Named by what the mapping took: hidden units permuted, negated, rescaled, or a join of those. */
export type EquivalenceRelation =
  | 'identical'
  | 'permutation'
  | 'sign'
  | 'permutation+sign'
  | 'rescaling'
  | 'permutation+rescaling'
  | 'sign+rescaling'
  | 'permutation+sign+rescaling'
  | 'function';

export interface Equivalence {
  id: string;
  relation: EquivalenceRelation;
  /** Per hidden layer: unit i of this network ↔ unit permutation[l][i] of the other. */
  permutation?: number[][];
  /** Per hidden layer: the sign applied to this network's unit i (when some are −1). */
  signs?: number[][];
  /** Per hidden layer: c when this network's relu unit i is c × (incoming) its partner's (when some c ≠ 1). */
  scales?: number[][];
  /** Euclidean distance between the two parameter vectors after the mapping. */
  distance: number;
}

export interface LossCurve {
  epoch: number[];
  loss: number[];
}

export interface HessianSummary {
  /** Ascending; all of them when exact, else the Ritz values at both ends (Lanczos). */
  eigenvalues: number[];
  /** True when `eigenvalues` is the whole spectrum. */
  complete: boolean;
  /**
   * Lanczos: each Ritz value's residual bound |β·s| (the distance to an eigenvalue is at most
   * that), same order, and whether it is within the eigenvalue tolerance (a converged
   * eigenvalue). An unconverged smallest value still bounds λmin from above.
   */
  residuals?: number[];
  converged?: boolean[];
  /** tr(H), the sum of the curvatures (older results: absent). */
  trace?: TraceEstimate;
  /** max |H − Hᵀ| / max |H| of the dense Hessian before symmetrization (exact method only). */
  asymmetry?: number;
  /** With analysis.density: the eigenvalue density by stochastic Lanczos quadrature. */
  density?: SpectralDensity;
  /**
   * Hessian-vector products the spectrum, trace and density took at this point (a dense
   * Hessian counts as P): what they cost, in the unit every method shares (older results:
   * absent).
   */
  hessianVectorProducts?: number;
}

/** tr(H): exact from the dense Hessian, or Hutchinson's estimate over Rademacher probes. */
export interface TraceEstimate {
  value: number;
  method: 'exact' | 'hutchinson';
  /** Hutchinson: probes (one product H·v each) and the standard error (null from one probe). */
  probes?: number;
  standardError?: number | null;
  /** Deflated by the verdict's Lanczos basis of this many vectors, whose part is exact. */
  deflated?: number;
}

/**
 * The Hessian's eigenvalue density (1/P) Σ δ(t − λ), estimated by stochastic Lanczos
 * quadrature over Rademacher probes and broadened by Gaussians of width `sigma`.
 */
export interface SpectralDensity {
  method: 'slq';
  /** Probes used: at most `analysis.density.probes`, fewer once the standard error was within the tolerance. */
  probes: number;
  /** Lanczos steps of the longest probe. */
  iterations: number;
  /** Lanczos steps of each probe (older results: absent, every probe took `iterations`). */
  steps?: number[];
  /** The settings it ran with (older results: absent). */
  broadening?: number;
  tolerance?: number;
  /** Estimated L1 standard error of the density over the probes; null from one probe. */
  standardError?: number | null;
  /**
   * False when the probes ran out before the standard error came within the tolerance: the
   * density is rougher than asked (older results: absent). `suggestedProbes` would settle it.
   */
  settled?: boolean;
  suggestedProbes?: number;
  /** Standard deviation of the Gaussian broadening (in eigenvalue units). */
  sigma: number;
  grid: number[];
  density: number[];
  /** Within the exact limit: all eigenvalues broadened alike, and ∫|SLQ − exact| (0 to 2). */
  exact?: { density: number[]; distance: number };
}

export interface RunTraining {
  epochs: number;
  stopReason: 'epochs' | 'gradientNorm' | 'loss' | 'diverged';
  /** The named point the run started from, when `training.from` gave one. */
  from?: string;
}

/**
 * How refinement moved a trained endpoint to the critical point it was heading for — or why
 * it did not: training had not come near one (`skipped`), the work budget ran out (`budget`),
 * or the critical point it reached lies beyond the trust radius (`accepted` false).
 */
export interface RunRefinement {
  status: 'converged' | 'gradient-flat' | 'stalled' | 'iterations' | 'budget' | 'skipped';
  iterations: number;
  /** ‖θ_refined − θ_trained‖ */
  distance: number;
  lossBefore: number;
  lossAfter: number;
  gradientNormBefore: number;
  gradientNormAfter: number;
  /** ‖H∇L‖/(‖H‖‖∇L‖) where refinement stopped short (near 0: gradient-flat). */
  flatness?: number;
  /** Whether the refined point replaced the run's own (converged within the trust radius). */
  accepted?: boolean;
  /** The farthest a refinement may move the run and still be its critical point. */
  trustRadius?: number;
  /** Hessian-vector products it could spend and spent. */
  budget?: { hessianVectorProducts: number; used: number };
  /** A critical point reached from the run beyond the trust radius: another point, not the run's. */
  reached?: {
    loss: number;
    gradientNorm: number;
    distance: number;
    verdict: VerdictKind;
    index: number | null;
  };
}

/** A point read from a weight file: the file (relative to the spec) and its tensors in θ order. */
export interface PointWeights {
  file: string;
  tensors: string[];
}

export interface RunResult {
  id: string;
  kind: 'run' | 'point';
  name?: string;
  /** Points from a weight file: where θ came from. */
  weights?: PointWeights;
  seed?: number;
  loss: number;
  gradientNorm: number;
  parameters: number[];
  curve?: LossCurve;
  training?: RunTraining;
  /** Trained runs with analysis.refine: how the endpoint was moved before it was judged. */
  refinement?: RunRefinement;
  verdict: Verdict;
  hessian: HessianSummary | null;
  equivalentTo: Equivalence | null;
}

/** A critical point reached by the search from random starts, with how many starts found it. */
export interface SearchCriticalPoint {
  id: string;
  source: 'search';
  loss: number;
  gradientNorm: number;
  parameters: number[];
  verdict: Verdict;
  hessian: HessianSummary | null;
  /** Starts that converged here (up to the symmetries found). */
  count: number;
  /** Indices of those starts. */
  starts: number[];
}

export interface SearchSummary {
  starts: number;
  /** Starts whose refinement reached a critical point. */
  converged: number;
  gradientFlat: number;
  /** Starts that stalled or ran out of iterations. */
  failed: number;
  distinct: number;
}

export type CriticalPoint = PathCriticalPoint | SearchCriticalPoint;

/** A critical point found between two minima (FORMAT §3 criticalPoints). */
export interface PathCriticalPoint {
  id: string;
  source: 'path';
  /** The two minima the path joins. */
  between: [string, string];
  loss: number;
  gradientNorm: number;
  parameters: number[];
  verdict: Verdict;
  hessian: HessianSummary | null;
  /** Saddle loss − mean of the two endpoint losses. */
  barrier: number;
  /** The same on the straight line between the endpoints, for comparison. */
  straightLineBarrier: number;
  /** The minimum-energy path found (string method with a climbing image). */
  path: { losses: number[]; iterations: number; settled: boolean };
  /** How refinement moved the path's highest image to the critical point. */
  refinement: { status: RunRefinement['status']; iterations: number; distance: number };
}

/**
 * A run's training path on a slice, sampled (at most about 64 epochs, evenly spaced, the
 * first and the last included): where each sample projects, how far it lies off the slice,
 * and the training loss there. Rounded to 7 significant digits: it is drawn, not computed on.
 */
export interface SlicePath {
  id: string;
  epoch: number[];
  /** Plane: α; line: t; axis: the parameter's value. */
  x: number[];
  /** Plane only: β. */
  y?: number[];
  /** Euclidean distance in parameter space from the slice (0: on it). */
  distance: number[];
  loss: number[];
}

/** Why the engine drew this slice when the file declared none, and how to pin it. */
export interface AutomaticSlice {
  reason: string;
  /** The entry of `analysis.slices` that gives this same slice. */
  spec: Record<string, unknown>;
  /**
   * What it was planned to cost, in whole-dataset loss evaluations (a Hessian-vector product
   * being worth about 6): its grid, the products its axes take (a dense Hessian counting as
   * P), and the budget, as much as training and the verdicts took (or a negligible grid).
   */
  estimate: { gridLosses: number; directionProducts: number; budget: number };
}

/** A point drawn on a plane: where it projects, and how far it is from the plane. */
export interface SliceMarker {
  id: string;
  x: number;
  y: number;
  /** Euclidean distance in parameter space from the plane (0: on it). */
  distance: number;
  verdict: VerdictKind;
}

/**
 * The Hessian's smallest eigenvalue λmin at every grid point of a slice that asked for its
 * curvature: where it is negative, the loss is not convex there. A value within the
 * eigenvalue tolerance of 0 (relative to that point's largest |λ|) is recorded as 0; null
 * where the Hessian is not finite.
 */
export interface SliceCurvature<Grid> {
  /** The same shape as the slice's loss. */
  lambdaMin: Grid;
  /** Grid points where λmin < 0, and all grid points with a finite Hessian. */
  negative: number;
  points: number;
  /** The least and the greatest λmin on the grid (null when none is finite). */
  least: number | null;
  greatest: number | null;
  /** The relative eigenvalue tolerance that decided what counts as 0. */
  tolerance: number;
  /**
   * With `"curvature": "ratio"`: Li et al.'s non-convexity ratio |λmin/λmax| at every grid
   * point (null where λmax is 0 or the Hessian is not finite), and its range and median on
   * the grid (a range alone hides where most of the plane is).
   */
  ratio?: Grid;
  ratioRange?: { least: number; greatest: number; median?: number } | null;
}

/** How a smoothing was computed: Gauss–Hermite quadrature (P ≤ 2) or Monte Carlo. */
export type SmoothingMethod = 'quadrature' | 'monte-carlo';

/**
 * The kind of a smoothed critical point. `unresolved` (Monte Carlo only): a curvature lies
 * within 3 standard errors of 0, so its sign, and the kind, are not claimed.
 */
export type SmoothedPointKind = 'minimum' | 'saddle' | 'maximum' | 'degenerate' | 'unresolved';

/** A critical point of a smoothed loss L_σ along a 1-D slice. */
export interface SmoothedCriticalPoint {
  /** Where along the line: θ = origin + t·direction. */
  t: number;
  loss: number;
  /** d²L_σ/dt² there: > 0 a minimum, < 0 a maximum along the line. */
  curvature: number;
  kind: Exclude<SmoothedPointKind, 'saddle'>;
  /** |dL_σ/dt| there (the proof it is critical along the line). */
  slope: number;
  /**
   * Monte Carlo: the point is the Monte Carlo mean's critical point; these are the standard
   * errors of where L_σ's own lies (delta method) and of the curvature.
   */
  uncertainty?: { t: number; curvature: number };
}

/** A critical point of L_σ restricted to a plane slice, in the plane's coordinates. */
export interface SmoothedPlaneCriticalPoint {
  x: number;
  y: number;
  loss: number;
  /** Of the 2 × 2 Hessian of L_σ in the plane, ascending: their signs give the kind. */
  eigenvalues: [number, number];
  kind: SmoothedPointKind;
  /** |∇L_σ| in the plane's coordinates there (the proof it is critical in the plane). */
  gradient: number;
  /** Monte Carlo: standard errors of the location (delta method) and of each eigenvalue. */
  uncertainty?: { x: number; y: number; eigenvalues: [number, number] };
}

/** One σ's smoothed loss along a line, as the result file has it. */
export interface SmoothedCurve {
  sigma: number;
  method: SmoothingMethod;
  /** Nodes per parameter (quadrature) or perturbations (Monte Carlo). */
  samples: number;
  /** L_σ at each grid point (null where not finite). */
  loss: (number | null)[];
  /**
   * Quadrature: |L_σ by 20 nodes − by 24 nodes| (rounding only, for polynomials up to degree
   * 39); Monte Carlo: the standard error of the mean over the perturbations.
   */
  error: (number | null)[];
  /** The critical points of L_σ along the line (Monte Carlo: with their uncertainty). */
  criticalPoints?: SmoothedCriticalPoint[];
}

/** One σ's smoothed loss on a plane: the curve's fields as grids, loss[j][i] at (x[i], y[j]). */
export interface SmoothedSurface {
  sigma: number;
  method: SmoothingMethod;
  samples: number;
  loss: (number | null)[][];
  error: (number | null)[][];
  criticalPoints: SmoothedPlaneCriticalPoint[];
}

export interface LineSlice {
  type: 'line';
  from: string;
  to: string;
  /** True when `to` was first mapped onto `from` by the symmetries found. */
  aligned: boolean;
  /** The mapping used when aligned (per hidden layer), if any. */
  permutation?: number[][];
  signs?: number[][];
  scales?: number[][];
  /** The margin used beyond both ends: the asked one, adjusted so that 0 and 1 are grid points. */
  margin: number;
  /** 0 at `from` and 1 at `to`, both on the grid. */
  t: number[];
  /** null where the loss is not finite. */
  loss: (number | null)[];
  /** max loss on [0, 1] − mean of the endpoint losses. */
  barrier: number | null;
  /** Where on (0, 1) that maximum lies, refined between the samples (absent: at an end). */
  peak?: { t: number; loss: number };
  nonFinite: number;
  curvature?: SliceCurvature<(number | null)[]>;
  /** With `"smoothing"`: L_σ along the line for each σ, in the slice's `t`. */
  smoothing?: SmoothedCurve[];
  paths?: SlicePath[];
  automatic?: AutomaticSlice;
}

/** The loss along one of the model's own parameters, the others held at `center`'s values. */
export interface AxisSlice {
  type: 'axis';
  /** The parameter's name (parameterNames). */
  parameter: string;
  center: string;
  /** The parameter's values. */
  x: number[];
  /** null where the loss is not finite. */
  loss: (number | null)[];
  /** Every run, point and saddle: its value of the parameter, and how far off the line it lies. */
  markers: Array<Omit<SliceMarker, 'y'> & { loss: number }>;
  nonFinite: number;
  curvature?: SliceCurvature<(number | null)[]>;
  /** With `"smoothing"`: L_σ along the axis for each σ, in the parameter's values `x`. */
  smoothing?: SmoothedCurve[];
  paths?: SlicePath[];
  automatic?: AutomaticSlice;
}

export interface PlaneSlice {
  type: 'plane';
  directions: PlaneDirection;
  center: string;
  through?: string[];
  x: number[];
  y: number[];
  /** loss[j][i] at (x[i], y[j]); null where not finite. */
  loss: (number | null)[][];
  markers: SliceMarker[];
  nonFinite: number;
  curvature?: SliceCurvature<(number | null)[][]>;
  /** With `"smoothing"`: L_σ on the grid for each σ, with its critical points in the plane. */
  smoothing?: SmoothedSurface[];
  /**
   * Hessian planes: the eigenvalues whose eigenvectors are the axes. Beyond 200 parameters
   * (or the exact limit) they are Lanczos Ritz values, with their residual bounds and whether
   * both are within the eigenvalue tolerance.
   */
  eigenvalues?: {
    x: number;
    y: number;
    residuals?: { x: number; y: number };
    converged?: boolean;
  };
  /** Trajectory planes: the run's path projected, and the variance the two axes explain. */
  path?: { epoch: number[]; x: number[]; y: number[]; distance: number[] };
  explainedVariance?: [number, number];
  /** Parameter planes: the two parameters on the axes (x and y are their values). */
  axes?: { x: string; y: string };
  /** Every run's training path, projected. */
  paths?: SlicePath[];
  automatic?: AutomaticSlice;
}

export type Slice = LineSlice | PlaneSlice | AxisSlice;

export interface ResultClass {
  representative: string;
  members: string[];
  verdict: VerdictKind;
  loss: number;
}

export interface DataSummary {
  samples: number;
  inputs: number;
  targets: number;
  /** Per input column, when `normalize` is "standardize". */
  standardization?: { mean: number[]; std: number[] };
}

/**
 * The model the file declared, defaults filled in: what a front end asks when it needs the
 * kind (a multilayer perceptron's runs export as a PyTorch state_dict).
 */
export type ModelSummary =
  | {
      kind: 'mlp';
      /** As the file declares them: a skip's length (`true` is 1) and a norm when present. */
      layers: {
        units: number;
        activation: string;
        bias: boolean;
        residual?: boolean | number;
        norm?: string;
      }[];
    }
  | { kind: 'expression'; expression: string; parameters: string[] }
  | {
      kind: 'pytorch';
      /** The module file (relative to the spec), its build function and arguments. */
      file: string;
      build: string;
      args: Record<string, unknown>;
      /** The module's class and the torch version that ran it. */
      module: string;
      torch: string;
      /** Every quantity is computed in this precision (sums over the data in float64). */
      dtype: 'float64' | 'float32';
      /** Where: "cpu", "cuda:0" (absent in results written before it was added). */
      device?: string;
      /** One row's input and output shapes. */
      inputShape: number[];
      outputShape: number[];
      /** The parameter tensors in θ order, with their state_dict names. */
      tensors: { name: string; shape: number[] }[];
      /**
       * Hidden-unit permutations (and tanh signs) are searched when the module is an
       * nn.Sequential of Linear layers and elementwise activations: `layers` says it as the
       * declared MLP it equals. A plain stack of Linear layers and convolutions (with
       * activations, pooling, Flatten, BatchNorm after a layer) has its hidden units and
       * channels permuted: `units` lists its hidden layers, what moves with each unit and
       * whether signs or scales may change. Otherwise `unavailable` says why not.
       */
      equivalence:
        | { available: true; layers: { units: number; activation: string; bias: boolean }[] }
        | {
            available: true;
            units: ModuleUnitLayer[];
          }
        | { available: false; unavailable: string };
    };

/** One shard of a result computed on several machines (losslab analyze --shard, then merge). */
export interface ShardRecord {
  /** 0-based, of `count`. */
  index: number;
  count: number;
  /** Where it ran, how long its process took, and its runs, points and search starts. */
  host: string;
  seconds: number;
  runs: number;
  points: number;
  starts: number;
  /** The part file it wrote, and its log when a scheduler ran it. */
  part: string;
  log?: string;
}

export interface AnalysisResult {
  format: 'loss-landscape-result';
  version: 1;
  name: string;
  source: string;
  specHash: string;
  parameterCount: number;
  /** Parameter names in θ order (layer.weight[i][j], layer.bias[i], or expression names). */
  parameterNames: string[];
  loss: LossChoice;
  /** With "loss": "pytorch": the Python function that computed it. */
  lossFunction?: LossFunction;
  /** Absent in results written before it was added. */
  model?: ModelSummary;
  data: DataSummary;
  runs: RunResult[];
  classes: ResultClass[];
  slices: Slice[];
  criticalPoints: CriticalPoint[];
  /** Present when analysis.search ran. */
  search?: SearchSummary;
  warnings: string[];
  timings: Timings;
  engine: { version: string; threads: number };
  /** When the runs were split over machines: each shard, in order (absent otherwise). */
  shards?: ShardRecord[];
}

/**
 * Where the time went. `totalSeconds` is the wall-clock time of the whole analysis; the stages
 * that run on worker threads (training, refinement, spectrum, paths, search) add up the
 * threads' time, so on several threads they may add up to more than the total.
 */
export interface Timings {
  /** Reading and checking the spec, building the dataset. */
  loadSeconds: number;
  trainingSeconds: number;
  /** Newton-MR from where training stopped. */
  refinementSeconds: number;
  /** Gradients and Hessian spectra of the verdicts of runs and points. */
  spectrumSeconds: number;
  /** Grouping runs and points into classes of the same network. */
  equivalenceSeconds: number;
  /** Saddles between twins. */
  pathsSeconds: number;
  /** The search from random starts. */
  searchSeconds: number;
  slicesSeconds: number;
  totalSeconds: number;
  /** Wall-clock time of training, refining and judging together (kept for older readers). */
  trainingAndVerdictsSeconds: number;
}
