// Fills in every default of a schema-valid .loss.json value (the defaults the schema
// documents), producing the ResolvedSpec the engine runs.
import type {
  Activation,
  LayerNormName,
  GeneratorName,
  AnalysisSpec,
  DataSpec,
  DensitySpec,
  HessianMode,
  InitName,
  LossName,
  ModelSpec,
  OptimizerName,
  ResolvedSpec,
  SliceSpec,
  TorchDtype,
  TrainingSpec,
} from '../vocabulary';
import { OPTIMIZERS, optimizerSettings } from '../optim/optimizers';

/** The exact-Hessian limit of "auto" (parameters); measured in bench/ (docs/PERFORMANCE.md). */
export const DEFAULT_EXACT_LIMIT = 2000;
/**
 * Spectral density: at most 20 Rademacher probes of at most 80 Lanczos steps, Gaussians 1% of
 * the spectrum's range wide, both counts stopping once the density is settled to 0.01 (L1).
 */
export const DEFAULT_DENSITY: DensitySpec = {
  probes: 20,
  iterations: 80,
  broadening: 0.01,
  tolerance: 0.01,
};
export const DEFAULT_GRADIENT_TOLERANCE = 1e-8;
export const DEFAULT_EIGENVALUE_TOLERANCE = 1e-7;
export const DEFAULT_STOP_GRADIENT_NORM = 1e-10;

/* eslint-disable @typescript-eslint/no-explicit-any -- the input is schema-valid JSON */
export function resolveSpec(
  raw: any,
  fileName: string,
  exactLimitDefault = DEFAULT_EXACT_LIMIT,
): Omit<ResolvedSpec, 'points'> & { rawPoints: any[] } {
  const model = resolveModel(raw.model);
  return {
    name:
      typeof raw.name === 'string' && raw.name.trim()
        ? raw.name
        : fileName.replace(/\.loss\.json$/i, ''),
    data: resolveData(raw.data),
    model,
    ...resolveLoss(raw.loss, model),
    weightDecay: raw.weightDecay ?? 0,
    training: resolveTraining(raw.training ?? {}, model),
    rawPoints: raw.points ?? [],
    analysis: resolveAnalysis(
      raw.analysis ?? {},
      exactLimitDefault,
      model.kind === 'pytorch' ? PRECISION_SCALE[model.dtype] : 1,
    ),
  };
}

/**
 * How much looser the default tolerances are in each precision: √(ε/ε₆₄), so that a tolerance
 * keeps about half the digits of its precision, as 1e-8 does in float64. A gradient computed
 * in float32 has rounding errors near 1e-7 of its terms: 1e-8 could never be met.
 */
export const PRECISION_SCALE: Record<TorchDtype, number> = {
  float64: 1,
  float32: Math.sqrt(2 ** -23 / 2 ** -52),
};

/** The engine's loss by name, or a Python function of the module's (in its file by default). */
function resolveLoss(raw: any, model: ModelSpec): Pick<ResolvedSpec, 'loss' | 'lossFunction'> {
  if (typeof raw === 'object' && raw !== null)
    return {
      loss: 'pytorch',
      lossFunction: {
        name: raw.pytorch,
        file: raw.file ?? (model.kind === 'pytorch' ? model.file : ''),
      },
    };
  return { loss: (raw ?? 'mse') as LossName, lossFunction: null };
}

function resolveData(raw: any): DataSpec {
  const normalize = raw.normalize ?? 'none';
  if ('generator' in raw) {
    return {
      kind: 'generator',
      generator: raw.generator as GeneratorName,
      samples: raw.samples,
      noise: raw.noise,
      seed: raw.seed ?? 0,
      slope: raw.slope,
      intercept: raw.intercept,
      normalize,
    };
  }
  if ('csv' in raw)
    return { kind: 'csv', csv: raw.csv, inputs: raw.inputs, targets: raw.targets, normalize };
  if ('npz' in raw) return { kind: 'npz', npz: raw.npz, inputs: raw.inputs, targets: raw.targets };
  if ('pytorch' in raw) return { kind: 'pytorch', file: raw.pytorch.file, load: raw.pytorch.load };
  return { kind: 'inline', inputs: raw.inputs, targets: raw.targets, normalize };
}

function resolveModel(raw: any): ModelSpec {
  if ('pytorch' in raw) {
    const { file, build, args, dtype, device } = raw.pytorch;
    return {
      kind: 'pytorch',
      file,
      build,
      args: args ?? {},
      dtype: dtype ?? 'float64',
      device: device ?? 'cpu',
      module: null,
    };
  }
  if ('expression' in raw)
    return { kind: 'expression', expression: raw.expression, parameters: raw.parameters };
  const defaultBias = raw.bias ?? true;
  const layers = raw.layers as any[];
  return {
    kind: 'mlp',
    layers: layers.map((layer, l) => ({
      units: layer.units,
      activation: (layer.activation ?? (l === layers.length - 1 ? 'linear' : 'tanh')) as Activation,
      bias: layer.bias ?? defaultBias,
      ...(layer.residual ? { residual: layer.residual === 1 ? true : layer.residual } : {}),
      ...(layer.norm ? { norm: layer.norm as LayerNormName } : {}),
    })),
  };
}

/** A declared MLP starts as torch.nn.init would; a module starts as its own code does. */
const DEFAULT_INIT: Record<ModelSpec['kind'], InitName> = {
  mlp: 'xavier',
  expression: 'uniform',
  pytorch: 'module',
};

function resolveTraining(raw: any, model: ModelSpec): TrainingSpec {
  const optimizer = (raw.optimizer ?? 'gd') as OptimizerName;
  const defaults = OPTIMIZERS[optimizer];
  const batchSize =
    raw.batchSize === undefined
      ? defaults.batchSize
      : raw.batchSize === 'full'
        ? null
        : raw.batchSize;
  return {
    runs: raw.runs ?? 8,
    seed: raw.seed ?? 0,
    init: (raw.init ?? DEFAULT_INIT[model.kind]) as InitName,
    initScale: raw.initScale ?? 1,
    optimizer,
    learningRate: raw.learningRate ?? defaults.learningRate,
    settings: optimizerSettings(optimizer, raw),
    batchSize,
    epochs: raw.epochs ?? 1000,
    stopAt: {
      gradientNorm:
        raw.stopAt?.gradientNorm ??
        DEFAULT_STOP_GRADIENT_NORM * (model.kind === 'pytorch' ? PRECISION_SCALE[model.dtype] : 1),
      loss: raw.stopAt?.loss ?? null,
    },
    noise: raw.noise ? { scale: raw.noise.scale, every: raw.noise.every ?? 100 } : null,
    ...(raw.continuation
      ? { continuation: { from: raw.continuation.from, steps: raw.continuation.steps } }
      : {}),
    from: raw.from ?? [],
  };
}

function resolveAnalysis(
  raw: any,
  exactLimitDefault: number,
  precisionScale: number,
): AnalysisSpec {
  return {
    hessian: (raw.hessian ?? 'auto') as HessianMode,
    refine: raw.refine ?? true,
    equivalence: raw.equivalence ?? true,
    tolerance: {
      gradient: raw.tolerance?.gradient ?? DEFAULT_GRADIENT_TOLERANCE * precisionScale,
      eigenvalue: raw.tolerance?.eigenvalue ?? DEFAULT_EIGENVALUE_TOLERANCE * precisionScale,
    },
    exactLimit: raw.exactLimit ?? exactLimitDefault,
    slices: (raw.slices ?? []).map(resolveSlice),
    automaticSlices: raw.slices === undefined,
    density:
      raw.density === undefined || raw.density === false
        ? null
        : {
            probes: raw.density?.probes ?? DEFAULT_DENSITY.probes,
            iterations: raw.density?.iterations ?? DEFAULT_DENSITY.iterations,
            broadening: raw.density?.broadening ?? DEFAULT_DENSITY.broadening,
            tolerance: raw.density?.tolerance ?? DEFAULT_DENSITY.tolerance,
          },
    paths: raw.paths ?? 'twins',
    search: {
      starts: raw.search?.starts ?? 0,
      seed: raw.search?.seed ?? 0,
      scale: raw.search?.scale ?? 1,
    },
  };
}

function resolveSlice(raw: any): SliceSpec {
  if (raw.type === 'line') {
    return {
      type: 'line',
      from: raw.from,
      to: raw.to,
      steps: raw.steps ?? 101,
      margin: raw.margin ?? 0.25,
      align: raw.align ?? false,
      curvature: raw.curvature ?? false,
      ...(raw.smoothing ? { smoothing: raw.smoothing } : {}),
    };
  }
  if (raw.type === 'axis') {
    return {
      type: 'axis',
      parameter: raw.parameter ?? null,
      center: raw.center ?? null,
      range: raw.range ?? null,
      steps: raw.steps ?? 201,
      curvature: raw.curvature ?? false,
      ...(raw.smoothing ? { smoothing: raw.smoothing } : {}),
    };
  }
  return {
    type: 'plane',
    directions: raw.directions,
    center: raw.center ?? null,
    through: raw.through ?? null,
    axes: raw.axes ?? null,
    range: raw.range ?? null,
    resolution: raw.resolution ?? 51,
    span: raw.span ?? null,
    seed: raw.seed ?? 0,
    includeBias: raw.includeBias ?? false,
    curvature: raw.curvature ?? false,
    ...(raw.smoothing ? { smoothing: raw.smoothing } : {}),
  };
}
