// The losses, one table: each entry its value on a batch of the last layer's pre-activations
// z (rows × outputs) with its gradient and the action of its Hessian with respect to z, the
// unit in which its values are measured, its least value, what it asks of the targets and of
// the last layer, and its description in the schema. Everything is computed from z (never from
// a saturated probability), so bce and cross-entropy stay finite. Adding a loss is adding its
// name to LOSS_NAMES (src/protocol/result.ts), its entry here and its derivative test in
// test/core/model/mlpDerivatives.test.ts; `npm run build:schema` lists it in the schema.
import type { Dataset } from '../data/dataset';
import type { Activation, LossName } from '../vocabulary';
import { activationDerivatives, sigmoid, softplus } from './activations';

/** The last layer on a batch of rows: its pre-activations z, activations a, and the targets y. */
export interface OutputBatch {
  z: Float64Array;
  a: Float64Array;
  y: Float64Array;
  rows: number;
}

export interface OutputLoss {
  /** L for the batch, and dL/dz into `dz` (mean over its rows). */
  valueAndGradient(batch: OutputBatch, dz: Float64Array | null): number;
  /**
   * R{dL/dz} for a direction rz of z, into `out`, averaged over `samples` (default: the rows;
   * more rows than samples when several directions share the samples).
   */
  hessianVector(batch: OutputBatch, rz: Float64Array, out: Float64Array, samples?: number): void;
}

/**
 * What a loss asks of the targets (lossfile/load.ts checks it): `values`, any numbers, one
 * column per output; `probabilities`, values in [0, 1]; `classes`, a class index per sample
 * or a one-hot row, with one output per class (at least two).
 */
export type TargetKind = 'values' | 'probabilities' | 'classes';

export interface LossDefinition {
  /** What the schema says of the name (hover and completion text in the editor). */
  description: string;
  /** Its value, gradient and Hessian action on a batch, for a last layer of `outputs` units. */
  create(outputs: number, activation: Activation): OutputLoss;
  /**
   * The loss of the zero predictor (z = 0): the problem's natural unit, so that tolerances
   * do not change when the loss is rescaled.
   */
  unit(dataset: Dataset): number;
  /** Its least value, reached by a model that fits every target (null: only at infinite z). */
  lowerBound: number | null;
  targets: TargetKind;
  /** The last layer's activations it allows, and why (null: any). */
  lastActivation: { allowed: readonly Activation[]; because: string } | null;
}

export const LOSSES: Record<LossName, LossDefinition> = {
  mse: {
    description:
      'Mean squared error: L = (1/N) Σₙ Σₖ (ŷₙₖ − yₙₖ)² — mean over samples, sum over outputs, no ½.',
    create: (outputs, activation) => new MeanSquaredError(outputs, activation),
    // Mean Σₖ y²; all-zero targets fall back to 1.
    unit: (dataset) => meanOverSamples(dataset, (y) => y * y),
    lowerBound: 0,
    targets: 'values',
    lastActivation: null,
  },
  bce: {
    description:
      "Binary cross-entropy on p = σ(z) of the last layer's pre-activation z; targets in [0, 1]. The last activation must be sigmoid or linear.",
    create: (outputs) => new BinaryCrossEntropy(outputs),
    unit: () => Math.LN2,
    lowerBound: null,
    targets: 'probabilities',
    lastActivation: {
      allowed: ['sigmoid', 'linear'],
      because: "bce uses p = σ(z) of the last layer's pre-activation",
    },
  },
  'cross-entropy': {
    description:
      'Softmax cross-entropy: mean over samples of −log softmax(z)[class]; targets are class indices (one column) or one-hot rows.',
    create: (outputs) => new SoftmaxCrossEntropy(outputs),
    unit: (dataset) => Math.log(dataset.targetDim),
    lowerBound: null,
    targets: 'classes',
    lastActivation: {
      allowed: ['linear'],
      because: "cross-entropy applies softmax to the last layer's pre-activations",
    },
  },
  huber: {
    description:
      'Huber loss with δ = 1, as torch.nn.HuberLoss: ½r² for |r| ≤ 1, |r| − ½ beyond (r = ŷ − y) — mean over samples, sum over outputs. Squared error near the fit, absolute error far from it: outliers pull less.',
    create: (outputs, activation) => new Huber(outputs, activation),
    unit: (dataset) => meanOverSamples(dataset, huber),
    lowerBound: 0,
    targets: 'values',
    lastActivation: null,
  },
};

export function outputLoss(loss: LossName, outputs: number, activation: Activation): OutputLoss {
  return LOSSES[loss].create(outputs, activation);
}

/** Mean over samples of Σₖ f(yₙₖ), or 1 when that is 0 (all-zero targets). */
function meanOverSamples(dataset: Dataset, f: (y: number) => number): number {
  let sum = 0;
  for (let i = 0; i < dataset.targets.length; i++) sum += f(dataset.targets[i]);
  const mean = sum / dataset.samples;
  return mean > 0 ? mean : 1;
}

/**
 * L = (1/N) Σₙ Σₖ f(aₙₖ − yₙₖ) for a pointwise f of the residual, with a = act(z) of the last
 * layer: f′ = factor·slope and f″ = factor·bend, so that mse's arithmetic (factor 2, slope r,
 * bend 1) is the same to the last bit as written out by hand.
 */
abstract class PointwiseLoss implements OutputLoss {
  private d1 = new Float64Array(0);
  private d2 = new Float64Array(0);
  protected abstract readonly factor: number;

  constructor(
    private readonly outputs: number,
    private readonly activation: Activation,
  ) {}

  protected abstract value(r: number): number;
  protected abstract slope(r: number): number;
  protected abstract bend(r: number): number;

  valueAndGradient({ z, a, y, rows }: OutputBatch, dz: Float64Array | null): number {
    const count = rows * this.outputs;
    const scale = this.factor / rows;
    let sum = 0;
    if (dz) this.derivatives(z, a, count, false);
    for (let i = 0; i < count; i++) {
      const r = a[i] - y[i];
      sum += this.value(r);
      if (dz) dz[i] = scale * this.slope(r) * this.d1[i];
    }
    return sum / rows;
  }

  hessianVector(
    { z, a, y, rows }: OutputBatch,
    rz: Float64Array,
    out: Float64Array,
    samples = rows,
  ): void {
    const count = rows * this.outputs;
    const scale = this.factor / samples;
    this.derivatives(z, a, count, true);
    for (let i = 0; i < count; i++) {
      const g = this.d1[i];
      const r = a[i] - y[i];
      out[i] = scale * (this.bend(r) * (g * g) + this.slope(r) * this.d2[i]) * rz[i];
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

/** f(r) = r². */
class MeanSquaredError extends PointwiseLoss {
  protected readonly factor = 2;
  protected value(r: number): number {
    return r * r;
  }
  protected slope(r: number): number {
    return r;
  }
  protected bend(): number {
    return 1;
  }
}

/** Huber's δ, PyTorch's default: where the loss turns from quadratic to linear. */
const HUBER_DELTA = 1;

function huber(r: number): number {
  const size = Math.abs(r);
  return size <= HUBER_DELTA ? 0.5 * r * r : HUBER_DELTA * (size - 0.5 * HUBER_DELTA);
}

/** f(r) = ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond: f′ = r clipped to ±δ, f″ = 1 inside, 0 outside. */
class Huber extends PointwiseLoss {
  protected readonly factor = 1;
  protected value(r: number): number {
    return huber(r);
  }
  protected slope(r: number): number {
    return Math.max(-HUBER_DELTA, Math.min(HUBER_DELTA, r));
  }
  protected bend(r: number): number {
    return Math.abs(r) <= HUBER_DELTA ? 1 : 0;
  }
}

class BinaryCrossEntropy implements OutputLoss {
  constructor(private readonly outputs: number) {}

  valueAndGradient({ z, y, rows }: OutputBatch, dz: Float64Array | null): number {
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
    { z, rows }: OutputBatch,
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

  valueAndGradient({ z, y, rows }: OutputBatch, dz: Float64Array | null): number {
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
    { z, y, rows }: OutputBatch,
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
