// How filter normalization (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets")
// groups θ into filters. A filter is what produces one output unit or channel: a row of a
// linear layer's weights, one output channel of a convolution (in × kh × kw). A random
// direction is rescaled filter by filter to the norm of the same filter of θ, so a plane's
// coordinates are in units of the network's own weights, whatever the layer's scale.
import type { ModelSpec, ModuleShape } from '../vocabulary';
import { MlpArchitecture } from './architecture';

export interface FilterLayout {
  /** One filter: `length` contiguous weights from `offset`; `bias` its bias's index, or -1. */
  filters: { offset: number; length: number; bias: number }[];
  /**
   * Entries in no filter: a module's one-dimensional tensors (biases, normalization layers'
   * gains and shifts). Their direction is zero, or θ's own entries with biases included —
   * as the paper's code does (`ignore='biasbn'`, or a copy of the weights).
   */
  loose: { offset: number; length: number }[];
}

/** A declared MLP's filters: each unit's incoming weights, with its bias. */
export function mlpFilters(architecture: MlpArchitecture): FilterLayout {
  const filters = architecture.layers.flatMap((layer) =>
    Array.from({ length: layer.units }, (_, unit) => ({
      offset: layer.weightOffset + unit * layer.inputs,
      length: layer.inputs,
      bias: layer.biasOffset >= 0 ? layer.biasOffset + unit : -1,
    })),
  );
  // A norm's gain and shift are one-dimensional tensors, loose as in a module.
  const loose = architecture.layers
    .filter((layer) => layer.normOffset >= 0)
    .map((layer) => ({ offset: layer.normOffset, length: 2 * layer.units }));
  return { filters, loose };
}

/**
 * A module's filters, tensor by tensor in θ order: a tensor of two or more dimensions
 * (linear, convolution, embedding, attention projections) is one filter per index of its
 * first dimension, which is the output unit or channel in PyTorch's layout; a tensor of one
 * dimension or none is loose.
 */
export function moduleFilters(module: Pick<ModuleShape, 'tensors'>): FilterLayout {
  const layout: FilterLayout = { filters: [], loose: [] };
  let offset = 0;
  for (const { shape } of module.tensors) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (shape.length >= 2) {
      const length = size / shape[0];
      for (let k = 0; k < shape[0]; k++)
        layout.filters.push({ offset: offset + k * length, length, bias: -1 });
    } else {
      layout.loose.push({ offset, length: size });
    }
    offset += size;
  }
  return layout;
}

/**
 * The model's filters, or null for expression models (no units: a direction is scaled as a
 * whole). An nn.Sequential of Linear layers is the declared MLP it equals, with the same
 * filters, so both give the same plane.
 */
export function filterLayoutOf(model: ModelSpec, inputDim: number): FilterLayout | null {
  if (model.kind === 'mlp') return mlpFilters(new MlpArchitecture(inputDim, model.layers));
  if (model.kind === 'pytorch' && model.module) {
    return model.module.sequential
      ? mlpFilters(new MlpArchitecture(inputDim, model.module.sequential))
      : moduleFilters(model.module);
  }
  return null;
}
