// A multilayer perceptron in float64 with hand-written exact derivatives:
//  - forward pass batched over samples (Z = A·Wᵀ + b, one row per sample),
//  - gradient by backpropagation,
//  - Hessian-vector products by Pearlmutter's R-operator (forward-over-reverse),
//  - the dense Hessian as P Hessian-vector products sharing one forward/backward pass.
// Parameter order (FORMAT.md §1.2): per layer, W (units × inputs, row-major) then b.
import type { Activation, LayerSpec, LossName } from '../spec/types';
import { activate, activationDerivatives } from './activations';
import { outputLoss, type OutputLoss } from './losses';
import type { Objective } from './objective';
import { sameValues } from '../linalg/vector';
import {
  wasmAccumulateWeightGradient,
  wasmMultiplyByWeights,
  wasmPropagateDownAdd,
} from './wasmKernels';

export interface LayerLayout {
  inputs: number;
  units: number;
  activation: Activation;
  /** Offset of W in θ. */
  weightOffset: number;
  /** Offset of b in θ, or -1 when the layer has no bias. */
  biasOffset: number;
}

export class MlpArchitecture {
  readonly layers: LayerLayout[];
  readonly parameterCount: number;

  constructor(
    readonly inputDim: number,
    layers: LayerSpec[],
  ) {
    let offset = 0;
    let inputs = inputDim;
    this.layers = layers.map((layer) => {
      const weightOffset = offset;
      offset += layer.units * inputs;
      const biasOffset = layer.bias ? offset : -1;
      if (layer.bias) offset += layer.units;
      const layout = {
        inputs,
        units: layer.units,
        activation: layer.activation,
        weightOffset,
        biasOffset,
      };
      inputs = layer.units;
      return layout;
    });
    this.parameterCount = offset;
  }

  get outputDim(): number {
    return this.layers[this.layers.length - 1].units;
  }

  parameterNames(): string[] {
    const names: string[] = [];
    this.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.units; i++) {
        for (let j = 0; j < layer.inputs; j++) names.push(`layer${l + 1}.weight[${i}][${j}]`);
      }
      if (layer.biasOffset >= 0)
        for (let i = 0; i < layer.units; i++) names.push(`layer${l + 1}.bias[${i}]`);
    });
    return names;
  }
}

/** Buffers of one layer for `capacity` rows. */
interface LayerBuffers {
  z: Float64Array;
  a: Float64Array;
  d1: Float64Array; // act'(z)
  d2: Float64Array; // act''(z)
  delta: Float64Array; // dL/dz
  rz: Float64Array; // R{z}
  ra: Float64Array; // R{a}
  rdelta: Float64Array; // R{dL/dz}
  back: Float64Array; // dL/da of the layer below, before the activation derivative
}

export class MlpObjective implements Objective {
  readonly parameterCount: number;
  readonly samples: number;
  readonly parameterNames: string[];
  private readonly loss_: OutputLoss;
  private readonly buffers: LayerBuffers[];
  private readonly batchInputs: Float64Array;
  private readonly batchTargets: Float64Array;
  /** θ whose forward/backward state is in the buffers (for repeated HVPs). */
  private preparedFor: Float64Array | null = null;
  private preparedCopy: Float64Array;

  constructor(
    readonly architecture: MlpArchitecture,
    private readonly inputs: Float64Array,
    private readonly targets: Float64Array,
    samples: number,
    loss: LossName,
  ) {
    this.parameterCount = architecture.parameterCount;
    this.samples = samples;
    this.parameterNames = architecture.parameterNames();
    const last = architecture.layers[architecture.layers.length - 1];
    this.loss_ = outputLoss(loss, last.units, last.activation);
    this.buffers = architecture.layers.map((layer) => {
      const size = samples * layer.units;
      const make = () => new Float64Array(size);
      return {
        z: make(),
        a: make(),
        d1: make(),
        d2: make(),
        delta: make(),
        rz: make(),
        ra: make(),
        rdelta: make(),
        back: make(),
      };
    });
    this.batchInputs = new Float64Array(samples * architecture.inputDim);
    this.batchTargets = new Float64Array(samples * last.units);
    this.preparedCopy = new Float64Array(this.parameterCount);
  }

  /** Network outputs (activations of the last layer) for every sample, rows × outputs. */
  predict(theta: Float64Array): Float64Array {
    this.forward(theta, this.inputs, this.samples);
    this.preparedFor = null;
    return this.buffers[this.buffers.length - 1].a.slice(
      0,
      this.samples * this.architecture.outputDim,
    );
  }

  loss(theta: Float64Array): number {
    this.forward(theta, this.inputs, this.samples);
    this.preparedFor = null;
    const top = this.buffers[this.buffers.length - 1];
    return this.loss_.valueAndGradient(top.z, top.a, this.targets, this.samples, null);
  }

  lossAndGradient(theta: Float64Array, gradient: Float64Array): number {
    this.preparedFor = null;
    return this.forwardBackward(theta, this.inputs, this.targets, this.samples, gradient);
  }

  batchLossAndGradient(
    theta: Float64Array,
    rows: Uint32Array,
    count: number,
    gradient: Float64Array,
  ): number {
    const d = this.architecture.inputDim;
    const k = this.architecture.outputDim;
    for (let r = 0; r < count; r++) {
      const n = rows[r];
      this.batchInputs.set(this.inputs.subarray(n * d, n * d + d), r * d);
      this.batchTargets.set(this.targets.subarray(n * k, n * k + k), r * k);
    }
    this.preparedFor = null;
    return this.forwardBackward(theta, this.batchInputs, this.batchTargets, count, gradient);
  }

  hessianVectorProduct(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    this.prepare(theta);
    this.rPass(theta, v, out);
  }

  hessian(theta: Float64Array): Float64Array {
    const p = this.parameterCount;
    const h = new Float64Array(p * p);
    const unit = new Float64Array(p);
    const column = new Float64Array(p);
    this.prepare(theta);
    for (let k = 0; k < p; k++) {
      unit[k] = 1;
      this.rPass(theta, unit, column);
      unit[k] = 0;
      h.set(column, k * p); // column k of H = row k (H is symmetric up to rounding)
    }
    return h;
  }

  // -------------------------------------------------------------------------------------

  private prepare(theta: Float64Array): void {
    if (this.preparedFor === theta && sameValues(theta, this.preparedCopy)) return;
    this.forward(theta, this.inputs, this.samples);
    const top = this.buffers[this.buffers.length - 1];
    this.loss_.valueAndGradient(top.z, top.a, this.targets, this.samples, top.delta);
    this.backward(theta, this.inputs, this.samples, null, true);
    this.preparedFor = theta;
    this.preparedCopy.set(theta);
  }

  private forwardBackward(
    theta: Float64Array,
    x: Float64Array,
    y: Float64Array,
    rows: number,
    gradient: Float64Array,
  ): number {
    this.forward(theta, x, rows);
    const top = this.buffers[this.buffers.length - 1];
    const value = this.loss_.valueAndGradient(top.z, top.a, y, rows, top.delta);
    this.backward(theta, x, rows, gradient, false);
    return value;
  }

  private forward(theta: Float64Array, x: Float64Array, rows: number): void {
    let input = x;
    this.architecture.layers.forEach((layer, l) => {
      const buffer = this.buffers[l];
      affine(theta, layer, input, rows, buffer.z);
      activate(layer.activation, buffer.z, buffer.a, rows * layer.units);
      input = buffer.a;
    });
  }

  /**
   * Backpropagates top.delta. Writes the gradient when given; with `keepSecond` also keeps
   * act'' of every hidden layer for the R-pass.
   */
  private backward(
    theta: Float64Array,
    x: Float64Array,
    rows: number,
    gradient: Float64Array | null,
    keepSecond: boolean,
  ): void {
    const layers = this.architecture.layers;
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const buffer = this.buffers[l];
      const below = l > 0 ? this.buffers[l - 1].a : x;
      if (gradient) writeParameterGradient(layer, buffer.delta, below, rows, gradient);
      if (l === 0) break;
      const lower = this.buffers[l - 1];
      const lowerLayer = layers[l - 1];
      const count = rows * lowerLayer.units;
      propagateDown(theta, layer, buffer.delta, rows, lower.back);
      activationDerivatives(
        lowerLayer.activation,
        lower.z,
        lower.a,
        lower.d1,
        keepSecond ? lower.d2 : null,
        count,
      );
      const { delta, back, d1 } = lower; // locals: V8 then keeps the arrays in registers
      for (let i = 0; i < count; i++) delta[i] = back[i] * d1[i];
    }
  }

  /** Hv after prepare(θ): R-forward, then R-backward. */
  private rPass(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    const layers = this.architecture.layers;
    const rows = this.samples;
    out.fill(0);
    // R-forward: R{z_l} = R{a_{l-1}}·W_lᵀ + a_{l-1}·V_lᵀ + Vb_l,  R{a_l} = act'(z_l)·R{z_l}
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      const buffer = this.buffers[l];
      const below = l > 0 ? this.buffers[l - 1].a : this.inputs;
      affine(v, layer, below, rows, buffer.rz);
      if (l > 0) addProduct(theta, layer, this.buffers[l - 1].ra, rows, buffer.rz);
      if (l < layers.length - 1) {
        const count = rows * layer.units;
        for (let i = 0; i < count; i++) buffer.ra[i] = buffer.d1[i] * buffer.rz[i];
      }
    }
    // R at the loss: R{dL/dz_L}
    const top = this.buffers[layers.length - 1];
    this.loss_.hessianVector(top.z, top.a, this.targets, rows, top.rz, top.rdelta);
    // R-backward
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const buffer = this.buffers[l];
      const below = l > 0 ? this.buffers[l - 1].a : this.inputs;
      // H·v for W_l and b_l: R{δ_l}ᵀ·a_{l-1} + δ_lᵀ·R{a_{l-1}}
      writeParameterGradient(layer, buffer.rdelta, below, rows, out);
      if (l === 0) break;
      const lower = this.buffers[l - 1];
      accumulateWeightGradient(layer, buffer.delta, lower.ra, rows, out);
      // R{δ_{l-1}} = (R{δ_l}·W_l + δ_l·V_l) ⊙ act' + (δ_l·W_l) ⊙ act'' ⊙ R{z_{l-1}}
      const lowerUnits = layers[l - 1].units;
      const count = rows * lowerUnits;
      const scratch = lower.rdelta;
      propagateDown(theta, layer, buffer.rdelta, rows, scratch);
      propagateDownAdd(v, layer, buffer.delta, rows, scratch);
      for (let i = 0; i < count; i++)
        scratch[i] = scratch[i] * lower.d1[i] + lower.back[i] * lower.d2[i] * lower.rz[i];
    }
  }
}

// ---------------------------------------------------------------------------------------
// Kernels over flat row-major arrays. Inner loops run over contiguous memory. Each one hands
// big calls to its WebAssembly twin (wasmKernels.ts, same results bit for bit); the
// JavaScript version is exported for the tests and is the fallback where WebAssembly SIMD
// is missing.

/** out[n,i] = Σ_j input[n,j]·W[i,j] + b[i] with W and b read from `params`. */
function affine(
  params: Float64Array,
  layer: LayerLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
): void {
  multiplyByWeights(params, layer, input, rows, out, false);
}

/** out[n,i] += Σ_j input[n,j]·W[i,j] (no bias). */
function addProduct(
  params: Float64Array,
  layer: LayerLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
): void {
  multiplyByWeights(params, layer, input, rows, out, true);
}

function multiplyByWeights(
  params: Float64Array,
  layer: LayerLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
  accumulate: boolean,
): void {
  if (!wasmMultiplyByWeights(params, layer, input, rows, out, accumulate))
    jsMultiplyByWeights(params, layer, input, rows, out, accumulate);
}

export function jsMultiplyByWeights(
  params: Float64Array,
  layer: LayerLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
  accumulate: boolean,
): void {
  const { inputs, units, weightOffset, biasOffset } = layer;
  const withBias = !accumulate && biasOffset >= 0;
  // Register blocking: four samples × two units at a time, so each weight and each input
  // loaded is used four or two times. Every sum is still taken in input order, so results
  // are bit-identical to one sample and one unit at a time.
  let n = 0;
  for (; n + 4 <= rows; n += 4) {
    const b0 = n * inputs;
    const b1 = b0 + inputs;
    const b2 = b1 + inputs;
    const b3 = b2 + inputs;
    let i = 0;
    for (; i + 2 <= units; i += 2) {
      const w0 = weightOffset + i * inputs;
      const w1 = w0 + inputs;
      const bias0 = withBias ? params[biasOffset + i] : 0;
      const bias1 = withBias ? params[biasOffset + i + 1] : 0;
      let s00 = bias0;
      let s10 = bias0;
      let s20 = bias0;
      let s30 = bias0;
      let s01 = bias1;
      let s11 = bias1;
      let s21 = bias1;
      let s31 = bias1;
      for (let j = 0; j < inputs; j++) {
        const a = params[w0 + j];
        const b = params[w1 + j];
        const x0 = input[b0 + j];
        const x1 = input[b1 + j];
        const x2 = input[b2 + j];
        const x3 = input[b3 + j];
        s00 += x0 * a;
        s10 += x1 * a;
        s20 += x2 * a;
        s30 += x3 * a;
        s01 += x0 * b;
        s11 += x1 * b;
        s21 += x2 * b;
        s31 += x3 * b;
      }
      const o = n * units + i;
      if (accumulate) {
        out[o] += s00;
        out[o + units] += s10;
        out[o + 2 * units] += s20;
        out[o + 3 * units] += s30;
        out[o + 1] += s01;
        out[o + 1 + units] += s11;
        out[o + 1 + 2 * units] += s21;
        out[o + 1 + 3 * units] += s31;
      } else {
        out[o] = s00;
        out[o + units] = s10;
        out[o + 2 * units] = s20;
        out[o + 3 * units] = s30;
        out[o + 1] = s01;
        out[o + 1 + units] = s11;
        out[o + 1 + 2 * units] = s21;
        out[o + 1 + 3 * units] = s31;
      }
    }
    // An odd last unit: one sample at a time.
    for (; i < units; i++) {
      const wBase = weightOffset + i * inputs;
      for (let r = n; r < n + 4; r++) {
        let sum = withBias ? params[biasOffset + i] : 0;
        for (let j = 0; j < inputs; j++) sum += input[r * inputs + j] * params[wBase + j];
        out[r * units + i] = accumulate ? out[r * units + i] + sum : sum;
      }
    }
  }
  for (; n < rows; n++) {
    const inBase = n * inputs;
    const outBase = n * units;
    for (let i = 0; i < units; i++) {
      const wBase = weightOffset + i * inputs;
      let sum = withBias ? params[biasOffset + i] : 0;
      for (let j = 0; j < inputs; j++) sum += input[inBase + j] * params[wBase + j];
      out[outBase + i] = accumulate ? out[outBase + i] + sum : sum;
    }
  }
}

/** back[n,j] = Σ_i delta[n,i]·W[i,j] */
function propagateDown(
  params: Float64Array,
  layer: LayerLayout,
  delta: Float64Array,
  rows: number,
  back: Float64Array,
): void {
  back.fill(0, 0, rows * layer.inputs);
  propagateDownAdd(params, layer, delta, rows, back);
}

function propagateDownAdd(
  params: Float64Array,
  layer: LayerLayout,
  delta: Float64Array,
  rows: number,
  back: Float64Array,
): void {
  if (!wasmPropagateDownAdd(params, layer, delta, rows, back))
    jsPropagateDownAdd(params, layer, delta, rows, back);
}

export function jsPropagateDownAdd(
  params: Float64Array,
  layer: LayerLayout,
  delta: Float64Array,
  rows: number,
  back: Float64Array,
): void {
  const { inputs, units, weightOffset } = layer;
  // Register blocking as in multiplyByWeights: two samples × four units per pass over j, so
  // each back[n, j] is loaded and stored once per four units instead of once per unit. Each
  // element still sums its units in order, so results do not depend on the blocking.
  let n = 0;
  for (; n + 2 <= rows; n += 2) {
    const back0 = n * inputs;
    const back1 = back0 + inputs;
    const d0 = n * units;
    const d1 = d0 + units;
    let i = 0;
    for (; i + 4 <= units; i += 4) {
      const w0 = weightOffset + i * inputs;
      const w1 = w0 + inputs;
      const w2 = w1 + inputs;
      const w3 = w2 + inputs;
      const a0 = delta[d0 + i];
      const a1 = delta[d0 + i + 1];
      const a2 = delta[d0 + i + 2];
      const a3 = delta[d0 + i + 3];
      const b0 = delta[d1 + i];
      const b1 = delta[d1 + i + 1];
      const b2 = delta[d1 + i + 2];
      const b3 = delta[d1 + i + 3];
      for (let j = 0; j < inputs; j++) {
        const p0 = params[w0 + j];
        const p1 = params[w1 + j];
        const p2 = params[w2 + j];
        const p3 = params[w3 + j];
        back[back0 + j] = back[back0 + j] + a0 * p0 + a1 * p1 + a2 * p2 + a3 * p3;
        back[back1 + j] = back[back1 + j] + b0 * p0 + b1 * p1 + b2 * p2 + b3 * p3;
      }
    }
    for (; i < units; i++) {
      const wBase = weightOffset + i * inputs;
      const a = delta[d0 + i];
      const b = delta[d1 + i];
      for (let j = 0; j < inputs; j++) {
        back[back0 + j] += a * params[wBase + j];
        back[back1 + j] += b * params[wBase + j];
      }
    }
  }
  for (; n < rows; n++) {
    const backBase = n * inputs;
    for (let i = 0; i < units; i++) {
      const d = delta[n * units + i];
      const wBase = weightOffset + i * inputs;
      for (let j = 0; j < inputs; j++) back[backBase + j] += d * params[wBase + j];
    }
  }
}

/** The layer's slice of the gradient: grad W = deltaᵀ·input, grad b = Σ_n delta. */
function writeParameterGradient(
  layer: LayerLayout,
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

/** grad W += deltaᵀ·input */
function accumulateWeightGradient(
  layer: LayerLayout,
  delta: Float64Array,
  input: Float64Array,
  rows: number,
  gradient: Float64Array,
): void {
  if (!wasmAccumulateWeightGradient(layer, delta, input, rows, gradient))
    jsAccumulateWeightGradient(layer, delta, input, rows, gradient);
}

export function jsAccumulateWeightGradient(
  layer: LayerLayout,
  delta: Float64Array,
  input: Float64Array,
  rows: number,
  gradient: Float64Array,
): void {
  const { inputs, units, weightOffset } = layer;
  // Register blocking: four samples × two units per pass over j, so each gradient element is
  // loaded and stored once per four samples. Each element still sums its samples in order.
  let n = 0;
  for (; n + 4 <= rows; n += 4) {
    const x0 = n * inputs;
    const x1 = x0 + inputs;
    const x2 = x1 + inputs;
    const x3 = x2 + inputs;
    let i = 0;
    for (; i + 2 <= units; i += 2) {
      const g0 = weightOffset + i * inputs;
      const g1 = g0 + inputs;
      const a0 = delta[n * units + i];
      const a1 = delta[(n + 1) * units + i];
      const a2 = delta[(n + 2) * units + i];
      const a3 = delta[(n + 3) * units + i];
      const b0 = delta[n * units + i + 1];
      const b1 = delta[(n + 1) * units + i + 1];
      const b2 = delta[(n + 2) * units + i + 1];
      const b3 = delta[(n + 3) * units + i + 1];
      for (let j = 0; j < inputs; j++) {
        const v0 = input[x0 + j];
        const v1 = input[x1 + j];
        const v2 = input[x2 + j];
        const v3 = input[x3 + j];
        gradient[g0 + j] = gradient[g0 + j] + a0 * v0 + a1 * v1 + a2 * v2 + a3 * v3;
        gradient[g1 + j] = gradient[g1 + j] + b0 * v0 + b1 * v1 + b2 * v2 + b3 * v3;
      }
    }
    for (; i < units; i++) {
      const g = weightOffset + i * inputs;
      for (let r = n; r < n + 4; r++) {
        const d = delta[r * units + i];
        for (let j = 0; j < inputs; j++) gradient[g + j] += d * input[r * inputs + j];
      }
    }
  }
  for (; n < rows; n++) {
    const inBase = n * inputs;
    for (let i = 0; i < units; i++) {
      const d = delta[n * units + i];
      const gBase = weightOffset + i * inputs;
      for (let j = 0; j < inputs; j++) gradient[gBase + j] += d * input[inBase + j];
    }
  }
}
