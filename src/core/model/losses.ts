// The losses of FORMAT.md §1.3 on a batch of output pre-activations z (rows × outputs),
// with their gradient and the action of their Hessian with respect to z. Everything is
// computed from z (never from a saturated probability), so bce and cross-entropy stay finite.
import type { Activation, LossName } from '../vocabulary';
import { activationDerivatives, sigmoid, softplus } from './activations';

export interface OutputLoss {
  /** L for the batch, and dL/dz into `dz` (mean over the `rows` rows). */
  valueAndGradient(
    z: Float64Array,
    a: Float64Array,
    y: Float64Array,
    rows: number,
    dz: Float64Array | null,
  ): number;
  /**
   * R{dL/dz} for a direction rz of z, into `out`, for `rows` rows averaged over `samples`
   * (default: the rows; more rows than samples when several directions share the samples).
   */
  hessianVector(
    z: Float64Array,
    a: Float64Array,
    y: Float64Array,
    rows: number,
    rz: Float64Array,
    out: Float64Array,
    samples?: number,
  ): void;
}

export function outputLoss(loss: LossName, outputs: number, activation: Activation): OutputLoss {
  switch (loss) {
    case 'mse':
      return new MeanSquaredError(outputs, activation);
    case 'bce':
      return new BinaryCrossEntropy(outputs);
    case 'cross-entropy':
      return new SoftmaxCrossEntropy(outputs);
  }
}

class MeanSquaredError implements OutputLoss {
  private d1 = new Float64Array(0);
  private d2 = new Float64Array(0);

  constructor(
    private readonly outputs: number,
    private readonly activation: Activation,
  ) {}

  valueAndGradient(
    z: Float64Array,
    a: Float64Array,
    y: Float64Array,
    rows: number,
    dz: Float64Array | null,
  ): number {
    const count = rows * this.outputs;
    const scale = 2 / rows;
    let sum = 0;
    if (dz) this.derivatives(z, a, count, false);
    for (let i = 0; i < count; i++) {
      const r = a[i] - y[i];
      sum += r * r;
      if (dz) dz[i] = scale * r * this.d1[i];
    }
    return sum / rows;
  }

  hessianVector(
    z: Float64Array,
    a: Float64Array,
    y: Float64Array,
    rows: number,
    rz: Float64Array,
    out: Float64Array,
    samples = rows,
  ): void {
    const count = rows * this.outputs;
    const scale = 2 / samples;
    this.derivatives(z, a, count, true);
    for (let i = 0; i < count; i++) {
      const g = this.d1[i];
      out[i] = scale * (g * g + (a[i] - y[i]) * this.d2[i]) * rz[i];
    }
  }

  private derivatives(z: Float64Array, a: Float64Array, count: number, second: boolean): void {
    if (this.d1.length < count) {
      this.d1 = new Float64Array(count);
      this.d2 = new Float64Array(count);
    }
    activationDerivatives(this.activation, z, a, this.d1, second ? this.d2 : null, count);
  }
}

class BinaryCrossEntropy implements OutputLoss {
  constructor(private readonly outputs: number) {}

  valueAndGradient(
    z: Float64Array,
    _a: Float64Array,
    y: Float64Array,
    rows: number,
    dz: Float64Array | null,
  ): number {
    const count = rows * this.outputs;
    let sum = 0;
    for (let i = 0; i < count; i++) {
      // −[y log σ(z) + (1 − y) log(1 − σ(z))] = (1 − y)·softplus(z) + y·softplus(−z): not
      // softplus(z) − y·z, which cancels to a few digits when a confident label is right.
      const label = y[i];
      sum +=
        label === 0
          ? softplus(z[i])
          : label === 1
            ? softplus(-z[i])
            : (1 - label) * softplus(z[i]) + label * softplus(-z[i]);
      if (dz) dz[i] = (sigmoid(z[i]) - y[i]) / count;
    }
    return sum / count;
  }

  hessianVector(
    z: Float64Array,
    _a: Float64Array,
    _y: Float64Array,
    rows: number,
    rz: Float64Array,
    out: Float64Array,
    samples = rows,
  ): void {
    const count = rows * this.outputs;
    const mean = samples * this.outputs;
    for (let i = 0; i < count; i++) {
      const p = sigmoid(z[i]);
      out[i] = (p * (1 - p) * rz[i]) / mean;
    }
  }
}

class SoftmaxCrossEntropy implements OutputLoss {
  private p = new Float64Array(0);

  constructor(private readonly outputs: number) {}

  valueAndGradient(
    z: Float64Array,
    _a: Float64Array,
    y: Float64Array,
    rows: number,
    dz: Float64Array | null,
  ): number {
    const k = this.outputs;
    let sum = 0;
    for (let n = 0; n < rows; n++) {
      const base = n * k;
      const { max, logTotal } = this.softmaxRow(z, base);
      let mass = 0;
      for (let c = 0; c < k; c++) {
        // log Σ e^z − z_c as (max − z_c) + log Σ e^(z − max): exact 0 + a tiny log for the
        // confident class, where the plain difference would cancel.
        if (y[base + c] !== 0) sum += y[base + c] * (max - z[base + c] + logTotal);
        mass += y[base + c];
      }
      if (dz) for (let c = 0; c < k; c++) dz[base + c] = (mass * this.p[c] - y[base + c]) / rows;
    }
    return sum / rows;
  }

  hessianVector(
    z: Float64Array,
    _a: Float64Array,
    y: Float64Array,
    rows: number,
    rz: Float64Array,
    out: Float64Array,
    samples = rows,
  ): void {
    const k = this.outputs;
    for (let n = 0; n < rows; n++) {
      const base = n * k;
      this.softmaxRow(z, base);
      let mass = 0;
      let pDotR = 0;
      for (let c = 0; c < k; c++) {
        mass += y[base + c];
        pDotR += this.p[c] * rz[base + c];
      }
      for (let c = 0; c < k; c++)
        out[base + c] = (mass * this.p[c] * (rz[base + c] - pDotR)) / samples;
    }
  }

  /** Softmax of one row into this.p; returns log Σ exp(z). */
  /** Softmax of row `base` into p; max z and log Σ e^(z − max), the latter by log1p. */
  private softmaxRow(z: Float64Array, base: number): { max: number; logTotal: number } {
    const k = this.outputs;
    if (this.p.length < k) this.p = new Float64Array(k);
    let top = 0;
    for (let c = 1; c < k; c++) if (z[base + c] > z[base + top]) top = c;
    const max = z[base + top];
    let rest = 0;
    for (let c = 0; c < k; c++) {
      this.p[c] = Math.exp(z[base + c] - max);
      if (c !== top) rest += this.p[c];
    }
    const total = 1 + rest;
    for (let c = 0; c < k; c++) this.p[c] /= total;
    return { max, logTotal: Math.log1p(rest) };
  }
}
