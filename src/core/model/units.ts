// Where a network's permutable units sit in θ: the hidden units of an MLP's layers, the
// channels of a convolution. A unit owns its row of the layer's weight (its incoming weights,
// grouped in one block per unit below: one column after a Linear, a kernel after a
// convolution, a channel's positions after a Flatten), its bias, the per-unit tensors that
// follow it (a BatchNorm's gain and shift), and one column block of the next layer's weight
// (its outgoing weights). The search of permuted twins (analysis/equivalence.ts) reads only
// this, so declared MLPs and PyTorch stacks share it.
import type { ModelSpec, ModuleShape } from '../vocabulary';
import { ACTIVATIONS } from './activations';
import { MlpArchitecture } from './architecture';

export interface UnitLayer {
  units: number;
  /** Units of the layer below (the input's columns for the first layer). */
  inputs: number;
  /** Weight entries per (unit, unit below) pair. */
  block: number;
  weightOffset: number;
  /** −1 when the layer has no bias. */
  biasOffset: number;
  /** Offsets of per-unit vectors (length `units`) that move with the units. */
  perUnitOffsets: number[];
  /** May its units be negated, or rescaled by c > 0 (incoming × c, outgoing ÷ c)? */
  sign: boolean;
  rescale: boolean;
  /**
   * The layer whose units these are, moved together (a residual layer adds that layer's
   * output to its own: one residual stream); absent or −1 for a layer of its own units.
   */
  tiedTo?: number;
}

/** The layers in order; the last one's units (the outputs) are never permuted. */
export interface UnitNetwork {
  layers: UnitLayer[];
  parameterCount: number;
}

/** The index in θ of the weight joining unit i to unit c below, at position k of its block. */
export function weightIndex(layer: UnitLayer, i: number, c: number, k: number): number {
  return layer.weightOffset + (i * layer.inputs + c) * layer.block + k;
}

/** A declared MLP's units: one weight per pair, the activation's own symmetries. */
export function mlpUnits(architecture: MlpArchitecture): UnitNetwork {
  return {
    parameterCount: architecture.parameterCount,
    layers: architecture.layers.map((layer) => ({
      units: layer.units,
      inputs: layer.inputs,
      block: 1,
      weightOffset: layer.weightOffset,
      biasOffset: layer.biasOffset,
      // A norm's gain and shift move with their units.
      perUnitOffsets:
        layer.normOffset >= 0 ? [layer.normOffset, layer.normOffset + layer.units] : [],
      // A norm mixes a layer's units (their mean and spread): one unit alone cannot be negated
      // or rescaled through it. A residual stream's units are not rescaled: the skip carries
      // them unscaled.
      sign: ACTIVATIONS[layer.activation].signSymmetry && layer.normOffset < 0,
      rescale:
        ACTIVATIONS[layer.activation].scaleSymmetry &&
        layer.normOffset < 0 &&
        !layer.residual &&
        layer.skippedBy.length === 0,
      tiedTo: layer.skipFrom,
    })),
  };
}

/** A PyTorch stack's units, as its worker described them, with tensor names made offsets. */
export function moduleUnits(module: ModuleShape): UnitNetwork | null {
  if (!module.permutable) return null;
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const tensor of module.tensors) {
    offsets.set(tensor.name, offset);
    offset += tensor.shape.reduce((n, size) => n * size, 1);
  }
  const at = (name: string) => {
    const found = offsets.get(name);
    if (found === undefined) throw new Error(`the module has no parameter tensor '${name}'`);
    return found;
  };
  return {
    parameterCount: module.parameterCount,
    layers: module.permutable.map((layer) => ({
      units: layer.units,
      inputs: layer.inputs,
      block: layer.block,
      weightOffset: at(layer.weight),
      biasOffset: layer.bias === null ? -1 : at(layer.bias),
      perUnitOffsets: layer.perUnit.map(at),
      sign: layer.sign,
      rescale: layer.rescale,
    })),
  };
}

/** The units of a model whose units can be permuted; null for formulas and other modules. */
export function unitNetworkOf(model: ModelSpec, inputDim: number): UnitNetwork | null {
  if (model.kind === 'mlp') return mlpUnits(new MlpArchitecture(inputDim, model.layers));
  if (model.kind === 'pytorch' && model.module) {
    // An MLP-shaped stack is the declared MLP it equals: the same units, so the same answers.
    if (model.module.sequential)
      return mlpUnits(new MlpArchitecture(inputDim, model.module.sequential));
    return moduleUnits(model.module);
  }
  return null;
}
