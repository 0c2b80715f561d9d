// The activation functions, one table: each with its first and second derivatives (evaluated
// in place over flat arrays; the second derivatives feed the R-operator's exact
// Hessian-vector products), the symmetries it gives a network, and the description the schema
// shows in the editor. Adding an activation is adding its name to ACTIVATION_NAMES
// (src/core/vocabulary.ts), its entry here and its test in test/core/model/activations.test.ts;
// `npm run build:schema` then lists it in the schema.
import { tanhArray } from '../kernels/registry';
import type { Activation } from '../vocabulary';

export interface ActivationDefinition {
  /** What the schema says of the name (hover and completion text in the editor). */
  description: string;
  /** a = act(z) for `count` values. */
  forward(z: Float64Array, a: Float64Array, count: number): void;
  /** d1 = act'(z), and d2 = act''(z) when given; `a` holds act(z). */
  derivatives(
    z: Float64Array,
    a: Float64Array,
    d1: Float64Array,
    d2: Float64Array | null,
    count: number,
  ): void;
  /** act(z) = z: a network of such layers is one affine map (GL(k) mixing between layers). */
  identity: boolean;
  /** act(−z) = −act(z): a unit's in- and out-weights can be negated together. */
  signSymmetry: boolean;
  /** act(c·z) = c·act(z) for c > 0: in-weights scale by c and out-weights by 1/c. */
  scaleSymmetry: boolean;
  /** act = 0 and act' = 0 for z ≤ 0: a unit off on every sample is dead, its weights flat. */
  deadBelowZero: boolean;
}

const NO_SYMMETRY = {
  identity: false,
  signSymmetry: false,
  scaleSymmetry: false,
  deadBelowZero: false,
};

export const ACTIVATIONS: Record<Activation, ActivationDefinition> = {
  linear: {
    description: 'Identity: a = z.',
    forward(z, a, count) {
      if (a !== z) a.set(z.subarray(0, count));
    },
    derivatives(_z, _a, d1, d2, count) {
      d1.fill(1, 0, count);
      d2?.fill(0, 0, count);
    },
    ...NO_SYMMETRY,
    identity: true,
    signSymmetry: true,
  },
  tanh: {
    description: "Hyperbolic tangent (odd: a unit's in- and out-weights can be negated together).",
    forward(z, a, count) {
      tanhArray(z, a, count);
    },
    derivatives(_z, a, d1, d2, count) {
      for (let i = 0; i < count; i++) {
        const t = a[i];
        d1[i] = 1 - t * t;
        if (d2) d2[i] = -2 * t * (1 - t * t);
      }
    },
    ...NO_SYMMETRY,
    signSymmetry: true,
  },
  sigmoid: {
    description: 'Logistic function σ(z) = 1 / (1 + e^−z).',
    forward(z, a, count) {
      for (let i = 0; i < count; i++) a[i] = sigmoid(z[i]);
    },
    derivatives(_z, a, d1, d2, count) {
      for (let i = 0; i < count; i++) {
        const s = a[i];
        d1[i] = s * (1 - s);
        if (d2) d2[i] = s * (1 - s) * (1 - 2 * s);
      }
    },
    ...NO_SYMMETRY,
  },
  relu: {
    description:
      "max(0, z) (positively homogeneous: a unit's in-weights can be scaled by c > 0 and its out-weights by 1/c).",
    forward(z, a, count) {
      // Without a branch on the sign, which the CPU mispredicts half the time (2.7× faster):
      // (z + |z|)/2 is exact for finite z below 2^1023; the rest (NaN, ±∞, huge) take z > 0 ? z : 0.
      for (let i = 0; i < count; i++) {
        const v = z[i];
        const r = (v + Math.abs(v)) * 0.5;
        a[i] = r < Infinity ? r : v > 0 ? v : 0;
      }
    },
    derivatives(z, _a, d1, d2, count) {
      // The kink at 0 gets derivative 0, as in PyTorch; +(z > 0) is 1 or 0 without a branch.
      for (let i = 0; i < count; i++) d1[i] = +(z[i] > 0);
      d2?.fill(0, 0, count);
    },
    ...NO_SYMMETRY,
    scaleSymmetry: true,
    deadBelowZero: true,
  },
  softplus: {
    description: 'log(1 + e^z), a smooth relu.',
    forward(z, a, count) {
      for (let i = 0; i < count; i++) a[i] = softplus(z[i]);
    },
    derivatives(z, _a, d1, d2, count) {
      for (let i = 0; i < count; i++) {
        const s = sigmoid(z[i]);
        d1[i] = s;
        if (d2) d2[i] = s * (1 - s);
      }
    },
    ...NO_SYMMETRY,
  },
  silu: {
    description:
      'SiLU (swish), z·σ(z): smooth and non-monotone, as in EfficientNet and the SwiGLU of large language models.',
    forward(z, a, count) {
      for (let i = 0; i < count; i++) a[i] = z[i] * sigmoid(z[i]);
    },
    derivatives(z, _a, d1, d2, count) {
      // (zσ)′ = σ(1 + z(1 − σ)), (zσ)″ = σ(1 − σ)(2 + z(1 − 2σ))
      for (let i = 0; i < count; i++) {
        const s = sigmoid(z[i]);
        d1[i] = s * (1 + z[i] * (1 - s));
        if (d2) d2[i] = s * (1 - s) * (2 + z[i] * (1 - 2 * s));
      }
    },
    ...NO_SYMMETRY,
  },
};

/** a = act(z) for `count` values. */
export function activate(
  activation: Activation,
  z: Float64Array,
  a: Float64Array,
  count: number,
): void {
  ACTIVATIONS[activation].forward(z, a, count);
}

/** d1 = act'(z), and d2 = act''(z) when given; `a` holds act(z). */
export function activationDerivatives(
  activation: Activation,
  z: Float64Array,
  a: Float64Array,
  d1: Float64Array,
  d2: Float64Array | null,
  count: number,
): void {
  ACTIVATIONS[activation].derivatives(z, a, d1, d2, count);
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow or loss of precision. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
