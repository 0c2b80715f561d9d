// The objective of an expression model: the formula evaluated on every sample through its
// compiled closures, the loss of the table on the outputs, and exact derivatives from the
// symbolic first and second derivatives (expression.ts compiles them).
import { sameValues } from '../linalg/vector';
import type { LossName } from '../vocabulary';
import type { CompiledExpression } from './expression';
import { outputLoss, type OutputBatch, type OutputLoss } from './losses';
import type { Objective } from './objective';

export class ExpressionObjective implements Objective {
  readonly parameterCount: number;
  readonly parameterNames: string[];
  private readonly outputLoss: OutputLoss;
  private readonly z: Float64Array;
  private readonly dz: Float64Array;
  private readonly curvature: Float64Array;
  private readonly ones: Float64Array;
  private readonly batchTargets: Float64Array;
  private readonly batchZ: Float64Array;
  private cachedHessian: Float64Array | null = null;
  private cachedAt = new Float64Array(0);

  constructor(
    private readonly expression: CompiledExpression,
    parameters: string[],
    private readonly inputs: Float64Array,
    private readonly inputDim: number,
    private readonly targets: Float64Array,
    readonly samples: number,
    loss: LossName,
  ) {
    this.parameterCount = parameters.length;
    this.parameterNames = [...parameters];
    this.outputLoss = outputLoss(loss, 1, 'linear');
    this.z = new Float64Array(samples);
    this.dz = new Float64Array(samples);
    this.curvature = new Float64Array(samples);
    this.ones = new Float64Array(samples).fill(1);
    this.batchTargets = new Float64Array(samples);
    this.batchZ = new Float64Array(samples);
  }

  /** Model output for every sample. */
  predict(theta: Float64Array): Float64Array {
    for (let n = 0; n < this.samples; n++)
      this.z[n] = this.expression.value(theta, this.inputs, n * this.inputDim);
    return this.z.slice();
  }

  /** The outputs on every sample (the formula's output is its own activation). */
  private everySample(): OutputBatch {
    return { z: this.z, a: this.z, y: this.targets, rows: this.samples };
  }

  loss(theta: Float64Array): number {
    this.predict(theta);
    return this.outputLoss.valueAndGradient(this.everySample(), null);
  }

  lossAndGradient(theta: Float64Array, gradient: Float64Array): number {
    for (let n = 0; n < this.samples; n++)
      this.z[n] = this.expression.value(theta, this.inputs, n * this.inputDim);
    const value = this.outputLoss.valueAndGradient(this.everySample(), this.dz);
    this.chain(theta, null, this.samples, gradient);
    return value;
  }

  batchLossAndGradient(theta: Float64Array, rows: Uint32Array, gradient: Float64Array): number {
    const count = rows.length;
    for (let r = 0; r < count; r++) {
      this.batchZ[r] = this.expression.value(theta, this.inputs, rows[r] * this.inputDim);
      this.batchTargets[r] = this.targets[rows[r]];
    }
    const batch = { z: this.batchZ, a: this.batchZ, y: this.batchTargets, rows: count };
    const value = this.outputLoss.valueAndGradient(batch, this.dz);
    this.chain(theta, rows, count, gradient);
    return value;
  }

  hessianVectorProduct(theta: Float64Array, v: Float64Array, out: Float64Array): void {
    // Iterative solvers ask for many products at one θ: build the Hessian once per θ.
    if (!this.cachedHessian || !sameValues(theta, this.cachedAt)) {
      this.cachedHessian = this.hessian(theta);
      this.cachedAt = Float64Array.from(theta);
    }
    const h = this.cachedHessian;
    const p = this.parameterCount;
    for (let i = 0; i < p; i++) {
      let sum = 0;
      for (let j = 0; j < p; j++) sum += h[i * p + j] * v[j];
      out[i] = sum;
    }
  }

  /** H = Σₙ ℓ''ₙ ∇fₙ∇fₙᵀ + ℓ'ₙ ∇²fₙ */
  hessian(theta: Float64Array): Float64Array {
    const p = this.parameterCount;
    const second = this.expression.hessian();
    for (let n = 0; n < this.samples; n++)
      this.z[n] = this.expression.value(theta, this.inputs, n * this.inputDim);
    this.outputLoss.valueAndGradient(this.everySample(), this.dz);
    this.outputLoss.hessianVector(this.everySample(), this.ones, this.curvature);
    const h = new Float64Array(p * p);
    const g = new Float64Array(p);
    for (let n = 0; n < this.samples; n++) {
      const offset = n * this.inputDim;
      for (let i = 0; i < p; i++) g[i] = this.expression.gradient[i](theta, this.inputs, offset);
      for (let i = 0; i < p; i++) {
        for (let j = 0; j <= i; j++) {
          const term =
            this.curvature[n] * g[i] * g[j] + this.dz[n] * second[i][j](theta, this.inputs, offset);
          h[i * p + j] += term;
          if (j !== i) h[j * p + i] += term;
        }
      }
    }
    return h;
  }

  /** gradient = Σ dz[r]·∇f(row r) */
  private chain(
    theta: Float64Array,
    rows: Uint32Array | null,
    count: number,
    gradient: Float64Array,
  ): void {
    gradient.fill(0);
    for (let r = 0; r < count; r++) {
      const offset = (rows ? rows[r] : r) * this.inputDim;
      const weight = this.dz[r];
      for (let i = 0; i < this.parameterCount; i++)
        gradient[i] += weight * this.expression.gradient[i](theta, this.inputs, offset);
    }
  }
}
