// A multilayer perceptron in float64 with hand-written exact derivatives:
//  - forward pass batched over samples (Z = A·Wᵀ + b, one row per sample),
//  - gradient by backpropagation,
//  - Hessian-vector products by Pearlmutter's R-operator (forward-over-reverse),
//  - the dense Hessian as P Hessian-vector products sharing one forward/backward pass.
// Parameter order (FORMAT.md §1.2): per layer, W (units × inputs, row-major) then b.
import type { LossName } from '../vocabulary';
import type { MlpArchitecture } from './architecture';
import { ACTIVATIONS, activate, activationDerivatives } from './activations';
import { outputLoss, type OutputLoss } from './losses';
import { blockHessian } from './mlpHessian';
import { normBackward, normalizeRows, normRBackward, normRForward } from './layerNorm';
import type { Objective, PlaneGrid } from './objective';
import { sameValues } from '../linalg/vector';
import {
  accumulateWeightGradient,
  addProduct,
  affine,
  forwardToTop,
  propagateDown,
  propagateDownAdd,
  writeParameterGradient,
  type ForwardLayer,
} from '../kernels/registry';

/** out = base + t·direction over `count` values (a tight loop V8 compiles well on its own). */
function alongRow(
  out: Float64Array,
  base: Float64Array,
  direction: Float64Array,
  t: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) out[i] = base[i] + t * direction[i];
}

/** out += values over `count` entries: a skip connection's sum. */
function addInto(out: Float64Array, values: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) out[i] += values[i];
}

/** From this many inputs on, the first layer of a plane is computed once for the whole grid. */
const FIRST_LAYER_TRICK_INPUTS = 4;

/**
 * Buffers of one layer, one row per sample. A layer computes act = act(z), then u = act + its
 * input when residual, then a = norm(u) when normalized; without a skip `act` is the same
 * array as `u`, and without a norm `u` is the same array as `a` (and so are their R's and
 * derivatives), so a plain layer costs what it did before skips and norms.
 */
interface LayerBuffers {
  z: Float64Array;
  act: Float64Array;
  u: Float64Array;
  a: Float64Array;
  d1: Float64Array; // act'(z)
  d2: Float64Array; // act''(z)
  delta: Float64Array; // dL/dz
  back: Float64Array; // dL/da (W·δ of the layer above, plus its dL/du through its skip)
  du: Float64Array; // dL/du
  rz: Float64Array; // R{z}
  ru: Float64Array; // R{u}
  ra: Float64Array; // R{a}
  rdelta: Float64Array; // R{dL/dz}
  rback: Float64Array; // R{dL/da}
  rdu: Float64Array; // R{dL/du}
  /** The norm's x̂ (rows × units), 1/σ (rows) and R{x̂}: empty without a norm. */
  xhat: Float64Array;
  inverseStd: Float64Array;
  rxhat: Float64Array;
}

export class MlpObjective implements Objective {
  readonly parameterCount: number;
  readonly samples: number;
  readonly parameterNames: string[];
  private readonly loss_: OutputLoss;
  private readonly buffers: LayerBuffers[];
  private readonly batchInputs: Float64Array;
  private readonly batchTargets: Float64Array;
  /** The layers as the forward kernel takes them (for losses, which need only the top). */
  private readonly forwardLayers: ForwardLayer[];
  /** Some layer has a skip or a norm: the forward pass runs here, not in the kernel's. */
  private readonly skipsOrNorms: boolean;
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
    this.skipsOrNorms = architecture.layers.some((l) => l.residual || l.normOffset >= 0);
    const last = architecture.layers[architecture.layers.length - 1];
    this.loss_ = outputLoss(loss, last.units, last.activation);
    this.buffers = architecture.layers.map((layer) => {
      const size = samples * layer.units;
      const make = () => new Float64Array(size);
      const norm = layer.normOffset >= 0;
      const a = make();
      const u = norm ? make() : a;
      const ra = make();
      const ru = norm ? make() : ra;
      const back = make();
      const rdelta = make();
      // Only networks with skips or norms keep R{dL/da} apart; the others compute R{δ} in place.
      const rback = this.skipsOrNorms ? make() : rdelta;
      return {
        z: make(),
        act: layer.residual ? make() : u,
        u,
        a,
        d1: make(),
        d2: make(),
        delta: make(),
        back,
        du: norm ? make() : back,
        rz: make(),
        ru,
        ra,
        rdelta,
        rback,
        rdu: norm ? make() : rback,
        xhat: norm ? make() : new Float64Array(0),
        inverseStd: new Float64Array(norm ? samples : 0),
        rxhat: norm ? make() : new Float64Array(0),
      };
    });
    this.forwardLayers = architecture.layers.map((layer) => ({
      ...layer,
      tanh: layer.activation === 'tanh',
      activate: ACTIVATIONS[layer.activation].forward,
    }));
    this.batchInputs = new Float64Array(samples * architecture.inputDim);
    this.batchTargets = new Float64Array(samples * last.units);
    this.preparedCopy = new Float64Array(this.parameterCount);
  }

  /** Network outputs (activations of the last layer) for every sample, rows × outputs. */
  predict(theta: Float64Array): Float64Array {
    this.forwardOutputs(theta, this.samples);
    this.preparedFor = null;
    return this.buffers[this.buffers.length - 1].a.slice(
      0,
      this.samples * this.architecture.outputDim,
    );
  }

  loss(theta: Float64Array): number {
    this.forwardOutputs(theta, this.samples);
    this.preparedFor = null;
    const top = this.buffers[this.buffers.length - 1];
    return this.loss_.valueAndGradient(
      { z: top.z, a: top.a, y: this.targets, rows: this.samples },
      null,
    );
  }

  lossAndGradient(theta: Float64Array, gradient: Float64Array): number {
    this.preparedFor = null;
    return this.forwardBackward(theta, this.inputs, this.targets, this.samples, gradient);
  }

  batchLossAndGradient(theta: Float64Array, rows: Uint32Array, gradient: Float64Array): number {
    const count = rows.length;
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

  /**
   * L(center + a·x + b·y) for every a in `as` and b in `bs` (rows: b): a slice of the landscape.
   * The first layer's pre-activations are linear in its weights, X(W + aDₓ + bD_y)ᵀ, so they
   * come from three products for the whole grid; only the layers above run per grid point.
   * When the first layer is narrow (few inputs) that saves little, and each point runs whole.
   */
  planeLosses({ center, x, y, as, bs }: PlaneGrid): number[][] {
    const first = this.architecture.layers[0];
    const rows = this.samples;
    const theta = new Float64Array(this.parameterCount);
    const top = this.buffers[this.buffers.length - 1];
    const lossAt = (from: number) => {
      this.forwardOutputs(theta, rows, from);
      return this.loss_.valueAndGradient({ z: top.z, a: top.a, y: this.targets, rows }, null);
    };
    this.preparedFor = null;
    if (first.inputs < FIRST_LAYER_TRICK_INPUTS) {
      return bs.map((b) =>
        as.map((a) => {
          for (let i = 0; i < theta.length; i++) theta[i] = center[i] + a * x[i] + b * y[i];
          return lossAt(0);
        }),
      );
    }
    const count = rows * first.units;
    const [base, alongX, alongY] = [center, x, y].map((direction) => {
      const z = new Float64Array(count);
      affine(direction, first, this.inputs, rows, z);
      return z;
    });
    const { z } = this.buffers[0];
    // Above the first layer's W and b: its norm's gain and shift, and the layers above.
    const above =
      first.weightOffset + first.units * first.inputs + (first.biasOffset >= 0 ? first.units : 0);
    // Along a row b is fixed: base + b·D_y once per row, then one multiply-add per point.
    const rowBase = new Float64Array(count);
    return bs.map((b) => {
      alongRow(rowBase, base, alongY, b, count);
      return as.map((a) => {
        alongRow(z, rowBase, alongX, a, count);
        for (let i = above; i < theta.length; i++) theta[i] = center[i] + a * x[i] + b * y[i];
        this.finishLayer(0, theta, rows);
        return lossAt(1);
      });
    });
  }

  hessianVectorProduct(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    this.prepare(theta);
    this.rPass(theta, v, out);
  }

  hessian(theta: Float64Array): Float64Array {
    this.prepare(theta);
    return blockHessian(
      {
        architecture: this.architecture,
        inputs: this.inputs,
        targets: this.targets,
        samples: this.samples,
        loss: this.loss_,
        layers: this.buffers.map((buffer, l) => ({
          ...buffer,
          norm:
            this.architecture.layers[l].normOffset >= 0
              ? { units: this.architecture.layers[l].units, ...buffer }
              : null,
        })),
      },
      theta,
    );
  }

  /** The dense Hessian column by column, one R-pass per parameter: the reference for tests. */
  hessianByColumns(theta: Float64Array): Float64Array {
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
    this.loss_.valueAndGradient(
      { z: top.z, a: top.a, y: this.targets, rows: this.samples },
      top.delta,
    );
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
    const value = this.loss_.valueAndGradient({ z: top.z, a: top.a, y, rows }, top.delta);
    this.backward(theta, x, rows, gradient, false);
    return value;
  }

  /**
   * The forward pass from layer `from` on the whole dataset, for a loss: only the top layer's
   * z and a are written (the layers between stay in the kernel's memory, not copied back).
   */
  private forwardOutputs(theta: Float64Array, rows: number, from = 0): void {
    if (this.skipsOrNorms) this.forward(theta, this.inputs, rows, from);
    else forwardToTop(theta, this.forwardLayers, this.inputs, rows, from, this.buffers);
  }

  /** The forward pass from layer `from` on (below it, the buffers already hold its output). */
  private forward(theta: Float64Array, x: Float64Array, rows: number, from = 0): void {
    const layers = this.architecture.layers;
    for (let l = from; l < layers.length; l++) {
      affine(theta, layers[l], l > 0 ? this.buffers[l - 1].a : x, rows, this.buffers[l].z);
      this.finishLayer(l, theta, rows);
    }
  }

  /** From layer l's z: its activation, plus the output its skip adds, normalized when asked. */
  private finishLayer(l: number, theta: Float64Array, rows: number): void {
    const layer = this.architecture.layers[l];
    const buffer = this.buffers[l];
    const count = rows * layer.units;
    // act(z) is kept apart from u when a skip follows: the derivatives are computed from it.
    activate(layer.activation, buffer.z, buffer.act, count);
    if (layer.residual) {
      const { u, act } = buffer;
      const skipped = this.buffers[layer.skipFrom].a;
      for (let i = 0; i < count; i++) u[i] = act[i] + skipped[i];
    }
    if (layer.normOffset >= 0)
      normalizeRows(buffer.u, rows, theta, layer.normOffset, this.normState(l), buffer.a);
  }

  private normState(l: number) {
    const { xhat, inverseStd } = this.buffers[l];
    return { units: this.architecture.layers[l].units, xhat, inverseStd };
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
      // Through a skip, dL/da of the layer below also takes the dL/du of the layers it skips to.
      for (const s of lowerLayer.skippedBy) addInto(lower.back, this.buffers[s].du, count);
      if (lowerLayer.normOffset >= 0)
        normBackward(
          lower.back,
          rows,
          theta,
          lowerLayer.normOffset,
          this.normState(l - 1),
          lower.du,
          gradient,
        );
      activationDerivatives(
        lowerLayer.activation,
        lower.z,
        lower.act,
        lower.d1,
        keepSecond ? lower.d2 : null,
        count,
      );
      const { delta, du, d1 } = lower; // locals: V8 then keeps the arrays in registers
      for (let i = 0; i < count; i++) delta[i] = du[i] * d1[i];
    }
  }

  /** Hv after prepare(θ): R-forward, then R-backward. */
  private rPass(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    const layers = this.architecture.layers;
    const rows = this.samples;
    out.fill(0);
    // R-forward: R{z_l} = R{a_{l-1}}·W_lᵀ + a_{l-1}·V_lᵀ + Vb_l,  R{u_l} = act'(z_l)·R{z_l}
    // (+ R{a_{l−k}} through a skip around k layers), R{a_l} = R{u_l} or its norm's R.
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      const buffer = this.buffers[l];
      const below = l > 0 ? this.buffers[l - 1].a : this.inputs;
      affine(v, layer, below, rows, buffer.rz);
      if (l > 0) addProduct(theta, layer, this.buffers[l - 1].ra, rows, buffer.rz);
      if (l < layers.length - 1) {
        const count = rows * layer.units;
        for (let i = 0; i < count; i++) buffer.ru[i] = buffer.d1[i] * buffer.rz[i];
        if (layer.residual) addInto(buffer.ru, this.buffers[layer.skipFrom].ra, count);
        if (layer.normOffset >= 0)
          normRForward(
            buffer.ru,
            rows,
            1,
            theta,
            layer.normOffset,
            this.normState(l),
            v.subarray(layer.normOffset, layer.normOffset + 2 * layer.units),
            buffer.rxhat,
            buffer.ra,
          );
      }
    }
    // R at the loss: R{dL/dz_L}
    const top = this.buffers[layers.length - 1];
    this.loss_.hessianVector({ z: top.z, a: top.a, y: this.targets, rows }, top.rz, top.rdelta);
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
      // R{g_{l-1}} = R{δ_l}·W_l + δ_l·V_l (+ R{dL/du_s} of each layer s that skips to l − 1), g = dL/da;
      // R{dL/du} through the norm; R{δ_{l-1}} = R{dL/du} ⊙ act' + dL/du ⊙ act'' ⊙ R{z_{l-1}}
      const lowerLayer = layers[l - 1];
      const count = rows * lowerLayer.units;
      const { rback, rdu, rdelta, du, d1, d2, rz } = lower;
      propagateDown(theta, layer, buffer.rdelta, rows, rback);
      propagateDownAdd(v, layer, buffer.delta, rows, rback);
      for (const s of lowerLayer.skippedBy) addInto(rback, this.buffers[s].rdu, count);
      const gain = lowerLayer.normOffset;
      if (gain >= 0)
        normRBackward(
          rback,
          lower.ru,
          lower.rxhat,
          rows,
          1,
          theta,
          gain,
          { ...this.normState(l - 1), g: lower.back, du },
          v.subarray(gain, gain + 2 * lowerLayer.units),
          rdu,
          out,
          gain,
        );
      for (let i = 0; i < count; i++) rdelta[i] = rdu[i] * d1[i] + du[i] * d2[i] * rz[i];
    }
  }
}
