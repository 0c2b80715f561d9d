// The shape of a multilayer perceptron: its layers' sizes and activations, where each layer's
// weights and bias sit in θ (FORMAT.md §1.2: per layer, W (units × inputs, row-major) then b),
// and the names of the parameters. A leaf: the objective, the Hessian, the analysis and the
// weight files all read it, and it reads none of them.
import type { Activation, LayerSpec } from '../vocabulary';

export interface LayerLayout {
  inputs: number;
  units: number;
  activation: Activation;
  /** Offset of W in θ. */
  weightOffset: number;
  /** Offset of b in θ, or -1 when the layer has no bias. */
  biasOffset: number;
  /** Some layer's output is added to its activation's output (a skip connection). */
  residual: boolean;
  /** The layer whose output the skip adds (l − k for a skip around k layers), or −1. */
  skipFrom: number;
  /** The layers above whose skips add this layer's output to their own (empty: none). */
  skippedBy: number[];
  /**
   * Offset of the layer norm's gain γ in θ (its shift β follows, `units` each), or −1 when
   * the layer is not normalized. They come right after the layer's W and b.
   */
  normOffset: number;
}

/** The parameters of a layer in θ: W, then b, then γ and β of its norm. */
export const layerParameterCount = (layer: LayerLayout): number =>
  layer.units * layer.inputs +
  (layer.biasOffset >= 0 ? layer.units : 0) +
  (layer.normOffset >= 0 ? 2 * layer.units : 0);

export class MlpArchitecture {
  readonly layers: LayerLayout[];
  readonly parameterCount: number;

  constructor(
    readonly inputDim: number,
    layers: LayerSpec[],
  ) {
    let offset = 0;
    let inputs = inputDim;
    this.layers = layers.map((layer, l) => {
      const skip = skipLength(layer);
      const skipFrom = skip > 0 ? l - skip : -1;
      const residual = skip > 0;
      if (
        residual &&
        (skipFrom < 0 || l === layers.length - 1 || layer.units !== layers[skipFrom].units)
      )
        throw new Error(
          `layer ${l + 1} cannot be residual: only a hidden layer above the first, as wide as the layer ${skip} below, adds that layer's output to its own`,
        );
      const weightOffset = offset;
      offset += layer.units * inputs;
      if (layer.norm && l === layers.length - 1)
        throw new Error(
          `layer ${l + 1} cannot be normalized: it is the output layer; layer norm goes on hidden layers`,
        );
      const biasOffset = layer.bias ? offset : -1;
      if (layer.bias) offset += layer.units;
      const normOffset = layer.norm === 'layer' ? offset : -1;
      if (normOffset >= 0) offset += 2 * layer.units;
      const layout = {
        inputs,
        units: layer.units,
        activation: layer.activation,
        weightOffset,
        biasOffset,
        residual,
        skipFrom,
        skippedBy: layers.flatMap((other, s) =>
          skipLength(other) > 0 && s - skipLength(other) === l ? [s] : [],
        ),
        normOffset,
      };
      inputs = layer.units;
      return layout;
    });
    this.parameterCount = offset;
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1].units;
  }

  /**
   * Writes layer l's weights (units × inputs, row i the incoming weights of unit i) and bias
   * into θ at the layer's offsets: the one definition of the parameter order.
   */
  writeLayer(theta: Float64Array, l: number, weights: number[][], bias: number[] | null): void {
    const layer = this.layers[l];
    weights.forEach((row, i) => theta.set(row, layer.weightOffset + i * layer.inputs));
    if (bias && layer.biasOffset >= 0) theta.set(bias, layer.biasOffset);
  }

  /** The index in θ of a parameter named as parameterNames() names it, or −1. */
  parameterIndex(name: string): number {
    const norm = /^layer(\d+)\.norm\.(weight|bias)\[(\d+)\]$/.exec(name);
    if (norm) {
      const layer = this.layers[Number(norm[1]) - 1];
      const unit = Number(norm[3]);
      if (!layer || layer.normOffset < 0 || unit >= layer.units) return -1;
      return layer.normOffset + (norm[2] === 'bias' ? layer.units : 0) + unit;
    }
    const parsed = parseParameterName(name);
    const layer = parsed ? this.layers[parsed.layer - 1] : undefined;
    if (!parsed || !layer || parsed.unit >= layer.units) return -1;
    if (parsed.input === null) return layer.biasOffset >= 0 ? layer.biasOffset + parsed.unit : -1;
    return parsed.input < layer.inputs
      ? layer.weightOffset + parsed.unit * layer.inputs + parsed.input
      : -1;
  }

  parameterNames(): string[] {
    const names: string[] = [];
    this.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.units; i++) {
        for (let j = 0; j < layer.inputs; j++) names.push(`layer${l + 1}.weight[${i}][${j}]`);
      }
      if (layer.biasOffset >= 0)
        for (let i = 0; i < layer.units; i++) names.push(`layer${l + 1}.bias[${i}]`);
      if (layer.normOffset >= 0)
        for (const part of ['weight', 'bias'])
          for (let i = 0; i < layer.units; i++) names.push(`layer${l + 1}.norm.${part}[${i}]`);
    });
    return names;
  }
}

/** How many layers a layer's skip goes around: 0 for none, 1 for `true`. */
export function skipLength(layer: LayerSpec): number {
  return layer.residual === true ? 1 : typeof layer.residual === 'number' ? layer.residual : 0;
}

/**
 * "layer2.weight[3][1]" → layer 2 (1-based), unit 3, input 1; "layer2.bias[3]" → input null;
 * null for any other name (a layer norm's "layer2.norm.weight[3]" among them). The one reader of the names parameterNames() writes.
 */
export function parseParameterName(
  name: string,
): { layer: number; unit: number; input: number | null } | null {
  const match = /^layer(\d+)\.(?:weight\[(\d+)\]\[(\d+)\]|bias\[(\d+)\])$/.exec(name);
  if (!match) return null;
  return match[4] !== undefined
    ? { layer: Number(match[1]), unit: Number(match[4]), input: null }
    : { layer: Number(match[1]), unit: Number(match[2]), input: Number(match[3]) };
}
