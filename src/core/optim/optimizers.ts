// The optimizers, one table (FORMAT.md §1.4): each entry its update, its settings with their
// defaults, its default step size and batch, and its description in the schema. Each
// optimizer keeps its state in arrays allocated once. Adding an optimizer is adding its name
// to OPTIMIZER_NAMES (src/core/vocabulary.ts), its entry here (and any new setting in
// HYPERPARAMETERS) and its test in test/core/optim/optimizers.test.ts; `npm run build:schema`
// then offers it and its settings in the editor.
import type { OptimizerName } from '../vocabulary';
import { integerPower } from '../power';

export interface Optimizer {
  /** θ ← update(θ, ∇L) in place. */
  step(theta: Float64Array, gradient: Float64Array): void;
}

/** A setting of some optimizers, a number under `training` in the file. */
export interface Hyperparameter {
  /** What it is (the schema adds which optimizers use it and their defaults). */
  description: string;
  minimum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** The settings, each described once however many optimizers use it. */
export const HYPERPARAMETERS = {
  momentum: {
    description: 'Momentum μ: v ← μv + ∇L, θ ← θ − ηv.',
    minimum: 0,
    exclusiveMaximum: 1,
  },
  beta1: {
    description: "β₁, the decay rate of the gradient's running mean.",
    minimum: 0,
    exclusiveMaximum: 1,
  },
  beta2: {
    description: "β₂, the decay rate of the squared gradient's running mean.",
    minimum: 0,
    exclusiveMaximum: 1,
  },
  alpha: {
    description: "α, the decay rate of the squared gradient's running mean.",
    minimum: 0,
    exclusiveMaximum: 1,
  },
  epsilon: {
    description:
      "ε, added to the root of the squared gradient's mean so that it never divides by 0.",
    exclusiveMinimum: 0,
  },
} satisfies Record<string, Hyperparameter>;

export type HyperparameterName = keyof typeof HYPERPARAMETERS;
export type Settings = Readonly<Partial<Record<HyperparameterName, number>>>;

export interface OptimizerDefinition {
  /** What the schema says of the name (hover and completion text in the editor). */
  description: string;
  /** The step size η when the file gives none. */
  learningRate: number;
  /** Rows per step when the file gives none (null: the full batch). */
  batchSize: number | null;
  /** False: it always takes the full batch, and a batchSize is an error. */
  minibatches: boolean;
  /** Its settings, with their defaults (the file's values replace them). */
  defaults: Settings;
  /** Its state for P parameters; `settings` has every key of `defaults`. */
  create(parameterCount: number, learningRate: number, settings: Settings): Optimizer;
}

/** θ ← θ − η∇L. */
const plainStep = (learningRate: number): Optimizer => ({
  step(theta, gradient) {
    for (let i = 0; i < theta.length; i++) theta[i] -= learningRate * gradient[i];
  },
});

export const OPTIMIZERS: Record<OptimizerName, OptimizerDefinition> = {
  gd: {
    description: 'Gradient descent on the full batch: θ ← θ − η∇L.',
    learningRate: 0.1,
    batchSize: null,
    minibatches: false,
    defaults: {},
    create: (_p, learningRate) => plainStep(learningRate),
  },
  sgd: {
    description: 'Stochastic gradient descent on shuffled minibatches of `batchSize`.',
    learningRate: 0.1,
    batchSize: 32,
    minibatches: true,
    defaults: {},
    create: (_p, learningRate) => plainStep(learningRate),
  },
  momentum: {
    description: 'Heavy-ball momentum, as torch.optim.SGD(momentum=μ): v ← μv + ∇L, θ ← θ − ηv.',
    learningRate: 0.1,
    batchSize: null,
    minibatches: true,
    defaults: { momentum: 0.9 },
    create(parameterCount, learningRate, settings) {
      const momentum = settings.momentum!;
      const velocity = new Float64Array(parameterCount);
      return {
        step(theta, gradient) {
          for (let i = 0; i < theta.length; i++) {
            velocity[i] = momentum * velocity[i] + gradient[i];
            theta[i] -= learningRate * velocity[i];
          }
        },
      };
    },
  },
  adam: {
    description:
      'Adam, as torch.optim.Adam: running means of the gradient (β₁) and of its square (β₂), bias-corrected; θ ← θ − η m̂/(√v̂ + ε).',
    learningRate: 0.01,
    batchSize: null,
    minibatches: true,
    defaults: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    create(parameterCount, learningRate, settings) {
      const { beta1, beta2, epsilon } = settings as Required<Settings>;
      const m = new Float64Array(parameterCount);
      const v = new Float64Array(parameterCount);
      let t = 0;
      return {
        step(theta, gradient) {
          t++;
          // By squaring, not **: Math.pow differs between Node versions (power.ts).
          const correction1 = 1 - integerPower(beta1, t);
          const correction2 = 1 - integerPower(beta2, t);
          for (let i = 0; i < theta.length; i++) {
            const g = gradient[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g;
            v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            theta[i] -=
              (learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + epsilon);
          }
        },
      };
    },
  },
  rmsprop: {
    description:
      'RMSprop, as torch.optim.RMSprop: a running mean of the squared gradient (α); θ ← θ − η∇L/(√v + ε).',
    learningRate: 0.01,
    batchSize: null,
    minibatches: true,
    defaults: { alpha: 0.99, epsilon: 1e-8 },
    create(parameterCount, learningRate, settings) {
      const { alpha, epsilon } = settings as Required<Settings>;
      const v = new Float64Array(parameterCount);
      return {
        step(theta, gradient) {
          for (let i = 0; i < theta.length; i++) {
            const g = gradient[i];
            v[i] = alpha * v[i] + (1 - alpha) * g * g;
            theta[i] -= (learningRate * g) / (Math.sqrt(v[i]) + epsilon);
          }
        },
      };
    },
  },
};

export function createOptimizer(
  name: OptimizerName,
  parameterCount: number,
  learningRate: number,
  settings: Settings,
): Optimizer {
  return OPTIMIZERS[name].create(parameterCount, learningRate, settings);
}

/** The file's settings for this optimizer, its defaults where the file gives none. */
export function optimizerSettings(name: OptimizerName, given: Settings): Settings {
  const settings: Partial<Record<HyperparameterName, number>> = {};
  for (const [key, value] of Object.entries(OPTIMIZERS[name].defaults))
    settings[key as HyperparameterName] = given[key as HyperparameterName] ?? value;
  return settings;
}
