// The WebAssembly (SIMD) kernels — the MLP's three matrix products, tanh and the Householder
// reduction — behind the same signatures as their JavaScript twins (registry.ts pairs them;
// each returns false to decline a call). Operands are copied into the module's memory
// for each call: O(inputs) copies against O(rows·inputs·units) arithmetic, so only calls big
// enough to pay for it come here (see WASM_MIN_WORK). Results are bit-identical to the
// JavaScript kernels: every SIMD lane is a separate output summed in the same order.
import { WASM_KERNELS_BASE64 } from './wasmBinary';

interface KernelExports {
  memory: WebAssembly.Memory;
  tanhArray(z: number, a: number, count: number): void;
  multiplyByWeights(
    x: number,
    wt: number,
    bias: number,
    out: number,
    rows: number,
    inputs: number,
    units: number,
    accumulate: number,
  ): void;
  propagateDownAdd(
    delta: number,
    w: number,
    back: number,
    rows: number,
    inputs: number,
    units: number,
  ): void;
  accumulateWeightGradient(
    delta: number,
    x: number,
    g: number,
    rows: number,
    inputs: number,
    units: number,
  ): void;
}

/** Multiply-adds below which the copies cost more than SIMD saves (measured in bench/). */
const WASM_MIN_WORK = 16384;

export type KernelBackend = 'auto' | 'js' | 'wasm';
let backend: KernelBackend = 'auto';
let module: KernelExports | null | undefined;
let heap = new Float64Array(0);

/** 'js' forces the JavaScript kernels (tests compare both); 'auto' uses WebAssembly if it loads. */
export function setKernelBackend(choice: KernelBackend): void {
  backend = choice;
}

function kernels(): KernelExports | null {
  if (module === undefined) {
    try {
      const bytes = Uint8Array.from(atob(WASM_KERNELS_BASE64), (c) => c.charCodeAt(0));
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      module = instance.exports as unknown as KernelExports;
    } catch {
      module = null; // no WebAssembly SIMD here: the JavaScript kernels do the work
    }
  }
  return module;
}

/** The module when this call should use it, with at least `doubles` of memory free. */
function acquire(work: number, doubles: number): KernelExports | null {
  if (backend === 'js' || (backend === 'auto' && work < WASM_MIN_WORK)) return null;
  const exports = kernels();
  if (!exports) {
    if (backend === 'wasm') throw new Error('WebAssembly SIMD kernels are not available');
    return null;
  }
  const bytes = (doubles + 2) * 8; // +2: room to align to 16 bytes
  const have = exports.memory.buffer.byteLength;
  if (have < bytes) exports.memory.grow(Math.ceil((bytes - have) / 65536));
  if (heap.buffer !== exports.memory.buffer) heap = new Float64Array(exports.memory.buffer);
  return exports;
}

export interface WeightLayout {
  inputs: number;
  units: number;
  weightOffset: number;
  biasOffset: number;
}

/** W (units × inputs in θ) transposed into the module's memory at `at`: lanes are neighbouring units. */
function writeTransposedWeights(params: Float64Array, layer: WeightLayout, at: number): void {
  const { inputs, units, weightOffset } = layer;
  for (let i = 0; i < units; i++) {
    const row = weightOffset + i * inputs;
    for (let j = 0; j < inputs; j++) heap[at + j * units + i] = params[row + j];
  }
}

/** out[n,i] = Σ_j input[n,j]·W[i,j] (+ b[i]), or += without bias. False: use JavaScript. */
export function wasmMultiplyByWeights(
  params: Float64Array,
  layer: WeightLayout,
  input: Float64Array,
  rows: number,
  out: Float64Array,
  accumulate: boolean,
): boolean {
  const { inputs, units, biasOffset } = layer;
  const xSize = rows * inputs;
  const outSize = rows * units;
  const exports = acquire(rows * inputs * units, xSize + inputs * units + units + outSize);
  if (!exports) return false;
  // Offsets in doubles: x | wt (W transposed, so SIMD lanes are neighbouring units) | b | out
  const x = 0;
  const wt = x + xSize;
  const bias = wt + inputs * units;
  const result = bias + units;
  heap.set(input.subarray(0, xSize), x);
  writeTransposedWeights(params, layer, wt);
  const withBias = !accumulate && biasOffset >= 0;
  if (withBias) heap.set(params.subarray(biasOffset, biasOffset + units), bias);
  if (accumulate) heap.set(out.subarray(0, outSize), result);
  exports.multiplyByWeights(
    x * 8,
    wt * 8,
    withBias ? bias * 8 : 0,
    result * 8,
    rows,
    inputs,
    units,
    accumulate ? 1 : 0,
  );
  out.set(heap.subarray(result, result + outSize));
  return true;
}

/** A layer of a forward pass: its weights in θ and its activation. */
export interface ForwardLayer extends WeightLayout {
  /** tanh runs in the module itself. */
  tanh: boolean;
  /**
   * a = act(z) for `count` values, for any other activation. In the module it runs on views
   * of the module's memory, so it must not use the module itself.
   */
  activate(z: Float64Array, a: Float64Array, count: number): void;
}

/** A layer's pre-activations z and activations a, rows × units. */
export interface LayerOutputs {
  z: Float64Array;
  a: Float64Array;
}

/**
 * The forward pass from layer `from` (its input: `input` for the first layer, else
 * outputs[from − 1].a) to the top, every layer in the module's memory without copying between
 * layers: the loss of a plane's grid point, of a line's. Writes only the top layer's z and a
 * (the layers between are scratch). False: use JavaScript.
 */
export function wasmForward(
  params: Float64Array,
  layers: readonly ForwardLayer[],
  input: Float64Array,
  rows: number,
  from: number,
  outputs: LayerOutputs[],
): boolean {
  const even = (doubles: number) => doubles + (doubles & 1); // keeps regions 16-byte aligned
  let doubles = even(rows * layers[from].inputs);
  let work = 0;
  for (let l = from; l < layers.length; l++) {
    const { inputs, units } = layers[l];
    doubles += even(inputs * units) + even(units) + 2 * even(rows * units);
    work += rows * inputs * units;
  }
  const exports = acquire(work, doubles);
  if (!exports) return false;
  const first = from === 0 ? input : outputs[from - 1].a;
  heap.set(first.subarray(0, rows * layers[from].inputs), 0);
  let below = 0;
  let next = even(rows * layers[from].inputs);
  let top = { z: 0, a: 0, count: 0 };
  for (let l = from; l < layers.length; l++) {
    const { inputs, units, biasOffset, tanh, activate } = layers[l];
    const count = rows * units;
    const wt = next;
    const bias = wt + even(inputs * units);
    const z = bias + even(units);
    const a = z + even(count);
    next = a + even(count);
    writeTransposedWeights(params, layers[l], wt);
    if (biasOffset >= 0) heap.set(params.subarray(biasOffset, biasOffset + units), bias);
    exports.multiplyByWeights(
      below * 8,
      wt * 8,
      biasOffset >= 0 ? bias * 8 : 0,
      z * 8,
      rows,
      inputs,
      units,
      0,
    );
    if (tanh) exports.tanhArray(z * 8, a * 8, count);
    else activate(heap.subarray(z, z + count), heap.subarray(a, a + count), count);
    below = a;
    top = { z, a, count };
  }
  const last = outputs[layers.length - 1];
  last.z.set(heap.subarray(top.z, top.z + top.count));
  last.a.set(heap.subarray(top.a, top.a + top.count));
  return true;
}

/** back[n,j] += Σ_i delta[n,i]·W[i,j]. False: use JavaScript. */
export function wasmPropagateDownAdd(
  params: Float64Array,
  layer: WeightLayout,
  delta: Float64Array,
  rows: number,
  back: Float64Array,
): boolean {
  const { inputs, units, weightOffset } = layer;
  const deltaSize = rows * units;
  const backSize = rows * inputs;
  const exports = acquire(rows * inputs * units, deltaSize + inputs * units + backSize);
  if (!exports) return false;
  const d = 0;
  const w = d + deltaSize;
  const b = w + inputs * units;
  heap.set(delta.subarray(0, deltaSize), d);
  heap.set(params.subarray(weightOffset, weightOffset + inputs * units), w);
  heap.set(back.subarray(0, backSize), b);
  exports.propagateDownAdd(d * 8, w * 8, b * 8, rows, inputs, units);
  back.set(heap.subarray(b, b + backSize));
  return true;
}

/** gradient[W] += deltaᵀ·input. False: use JavaScript. */
export function wasmAccumulateWeightGradient(
  layer: WeightLayout,
  delta: Float64Array,
  input: Float64Array,
  rows: number,
  gradient: Float64Array,
): boolean {
  const { inputs, units, weightOffset } = layer;
  const deltaSize = rows * units;
  const xSize = rows * inputs;
  const exports = acquire(rows * inputs * units, deltaSize + xSize + inputs * units);
  if (!exports) return false;
  const d = 0;
  const x = d + deltaSize;
  const g = x + xSize;
  heap.set(delta.subarray(0, deltaSize), d);
  heap.set(input.subarray(0, xSize), x);
  heap.set(gradient.subarray(weightOffset, weightOffset + inputs * units), g);
  exports.accumulateWeightGradient(d * 8, x * 8, g * 8, rows, inputs, units);
  gradient.set(heap.subarray(g, g + inputs * units), weightOffset);
  return true;
}

interface EigenExports extends KernelExports {
  tridiagonalize(
    a: number,
    n: number,
    d: number,
    e: number,
    v: number,
    w: number,
    v2: number,
    p2: number,
  ): void;
}

/**
 * Householder tridiagonalization of a symmetric n × n matrix (left unchanged) into d and e.
 * False when WebAssembly is unavailable or not wanted: the caller uses JavaScript.
 */
export function wasmTridiagonalize(
  matrix: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
): boolean {
  const exports = acquire(Infinity, n * n + 6 * n + 8) as EigenExports | null;
  if (!exports) return false;
  const a = 0;
  const diagonal = n * n;
  const off = diagonal + n;
  const v = off + n + 1; // scratch vectors, kept apart
  const w = v + n + 1;
  const v2 = w + n + 1;
  const p2 = v2 + n + 1;
  heap.set(matrix.subarray(0, n * n), a);
  exports.tridiagonalize(a * 8, n, diagonal * 8, off * 8, v * 8, w * 8, v2 * 8, p2 * 8);
  d.set(heap.subarray(diagonal, diagonal + n));
  e.set(heap.subarray(off, off + Math.max(0, n - 1)));
  return true;
}

/** Below this many values, copying them in and out costs more than SIMD tanh saves. */
const WASM_MIN_TANH = 64;

/** a = tanh(z) for `count` values (tanh64's algorithm). False: use JavaScript. */
export function wasmTanh(z: Float64Array, a: Float64Array, count: number): boolean {
  const exports = acquire(count >= WASM_MIN_TANH ? Infinity : 0, 2 * count);
  if (!exports) return false;
  heap.set(z.subarray(0, count), 0);
  exports.tanhArray(0, count * 8, count);
  a.set(heap.subarray(count, 2 * count));
  return true;
}
