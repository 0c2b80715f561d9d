// The kernels, one entry each: its WebAssembly version (SIMD, in wasm.ts; it declines a call
// too small to pay for copying into the module's memory, or a machine without SIMD) and its
// JavaScript twin, which gives the same results bit for bit. The choice is made here, once:
// callers use the functions below and never see which ran.
import { jsAccumulateWeightGradient, jsMultiplyByWeights, jsPropagateDownAdd } from './matrix';
import { jsTanh } from './tanh';
import { jsTridiagonalize } from './tridiagonalize';
import {
  wasmAccumulateWeightGradient,
  wasmForward,
  wasmMultiplyByWeights,
  wasmPropagateDownAdd,
  wasmTanh,
  wasmTridiagonalize,
  type ForwardLayer,
  type LayerOutputs,
  type WeightLayout,
} from './wasm';

export type { ForwardLayer, LayerOutputs };

interface Kernel<Args extends unknown[]> {
  /** False when it declined the call. */
  wasm(...args: Args): boolean;
  js(...args: Args): void;
}

/** Every kernel with a WebAssembly twin; the tests run each pair against each other. */
export const KERNELS = {
  multiplyByWeights: {
    wasm: wasmMultiplyByWeights,
    js: jsMultiplyByWeights,
  } satisfies Kernel<Parameters<typeof jsMultiplyByWeights>>,
  propagateDownAdd: {
    wasm: wasmPropagateDownAdd,
    js: jsPropagateDownAdd,
  } satisfies Kernel<Parameters<typeof jsPropagateDownAdd>>,
  accumulateWeightGradient: {
    wasm: wasmAccumulateWeightGradient,
    js: jsAccumulateWeightGradient,
  } satisfies Kernel<Parameters<typeof jsAccumulateWeightGradient>>,
  /** The matrix is left unchanged (the JavaScript reduction works on a copy). */
  tridiagonalize: {
    wasm: wasmTridiagonalize,
    js: (matrix: Float64Array, n: number, d: Float64Array, e: Float64Array) =>
      jsTridiagonalize(Float64Array.from(matrix), n, d, e),
  } satisfies Kernel<[Float64Array, number, Float64Array, Float64Array]>,
  tanh: { wasm: wasmTanh, js: jsTanh } satisfies Kernel<Parameters<typeof jsTanh>>,
  /** The JavaScript pass also leaves every layer's z and a in `outputs`; callers use the top. */
  forward: { wasm: wasmForward, js: jsForward } satisfies Kernel<Parameters<typeof jsForward>>,
};

/** The forward pass layer by layer, each product and activation its own kernel call. */
function jsForward(
  params: Float64Array,
  layers: readonly ForwardLayer[],
  input: Float64Array,
  rows: number,
  from: number,
  outputs: LayerOutputs[],
): void {
  for (let l = from; l < layers.length; l++) {
    multiplyByWeights(
      params,
      layers[l],
      l > 0 ? outputs[l - 1].a : input,
      rows,
      outputs[l].z,
      false,
    );
    layers[l].activate(outputs[l].z, outputs[l].a, rows * layers[l].units);
  }
}

/** The kernel as one function: WebAssembly when it takes the call, else JavaScript. */
function dispatch<Args extends unknown[]>(kernel: Kernel<Args>): (...args: Args) => void {
  return (...args) => {
    if (!kernel.wasm(...args)) kernel.js(...args);
  };
}

const multiplyByWeights = dispatch(KERNELS.multiplyByWeights);

/** A product of a layer's weights (read from θ = `params` at its offsets) with `rows` rows. */
type LayerProduct = (
  params: Float64Array,
  layer: WeightLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
) => void;

/** out[n,i] = Σ_j input[n,j]·W[i,j] + b[i]. */
export const affine: LayerProduct = (params, layer, input, rows, out) =>
  multiplyByWeights(params, layer, input, rows, out, false);

/** out[n,i] += Σ_j input[n,j]·W[i,j] (no bias). */
export const addProduct: LayerProduct = (params, layer, input, rows, out) =>
  multiplyByWeights(params, layer, input, rows, out, true);

/** back[n,j] += Σ_i delta[n,i]·W[i,j]. */
export const propagateDownAdd: LayerProduct = dispatch(KERNELS.propagateDownAdd);

/** back[n,j] = Σ_i delta[n,i]·W[i,j]. */
export const propagateDown: LayerProduct = (params, layer, delta, rows, back) => {
  back.fill(0, 0, rows * layer.inputs);
  propagateDownAdd(params, layer, delta, rows, back);
};

/** grad W += deltaᵀ·input. */
export const accumulateWeightGradient = dispatch(KERNELS.accumulateWeightGradient);

/** Householder reduction of a symmetric n × n matrix (left unchanged) into d and e. */
export const tridiagonalize = dispatch(KERNELS.tridiagonalize);

/** a = tanh(z) for `count` values. */
export const tanhArray = dispatch(KERNELS.tanh);

/**
 * The forward pass from layer `from` to the top, writing the top layer's z and a into
 * outputs[last] (the other layers' outputs are scratch: the module keeps them to itself).
 */
export const forwardToTop = dispatch(KERNELS.forward);

/** The layer's slice of the gradient: grad W = deltaᵀ·input, grad b = Σ_n delta. */
export function writeParameterGradient(
  layer: WeightLayout,
  delta: Float64Array,
  input: Float64Array,
  rows: number,
  gradient: Float64Array,
): void {
  const { inputs, units, weightOffset, biasOffset } = layer;
  gradient.fill(0, weightOffset, weightOffset + units * inputs);
  if (biasOffset >= 0) gradient.fill(0, biasOffset, biasOffset + units);
  accumulateWeightGradient(layer, delta, input, rows, gradient);
  if (biasOffset >= 0) {
    for (let n = 0; n < rows; n++) {
      for (let i = 0; i < units; i++) gradient[biasOffset + i] += delta[n * units + i];
    }
  }
}
