// Parameter updates of FORMAT.md §1.4. Each optimizer keeps its state in preallocated arrays.
import type { OptimizerName } from '../vocabulary';

export interface Optimizer {
  /** θ ← update(θ, ∇L) in place. */
  step(theta: Float64Array, gradient: Float64Array): void;
}

export function createOptimizer(
  name: OptimizerName,
  parameterCount: number,
  learningRate: number,
  momentum: number,
): Optimizer {
  switch (name) {
    case 'gd':
    case 'sgd':
      return {
        step(theta, gradient) {
          for (let i = 0; i < theta.length; i++) theta[i] -= learningRate * gradient[i];
        },
      };
    case 'momentum': {
      // Heavy ball, as torch.optim.SGD(momentum=μ): v ← μv + g, θ ← θ − ηv
      const velocity = new Float64Array(parameterCount);
      return {
        step(theta, gradient) {
          for (let i = 0; i < theta.length; i++) {
            velocity[i] = momentum * velocity[i] + gradient[i];
            theta[i] -= learningRate * velocity[i];
          }
        },
      };
    }
    case 'adam': {
      const beta1 = 0.9;
      const beta2 = 0.999;
      const epsilon = 1e-8;
      const m = new Float64Array(parameterCount);
      const v = new Float64Array(parameterCount);
      let t = 0;
      return {
        step(theta, gradient) {
          t++;
          const correction1 = 1 - beta1 ** t;
          const correction2 = 1 - beta2 ** t;
          for (let i = 0; i < theta.length; i++) {
            const g = gradient[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] -=
              (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
          }
        },
      };
    }
  }
}
