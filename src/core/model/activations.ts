// Activation functions with their first and second derivatives, evaluated in place over
// flat arrays. Second derivatives feed the R-operator (exact Hessian-vector products).
import type { Activation } from '../spec/types';

/** a = act(z) for `count` values. */
export function activate(
  activation: Activation,
  z: Float64Array,
  a: Float64Array,
  count: number,
): void {
  switch (activation) {
    case 'linear':
      if (a !== z) a.set(z.subarray(0, count));
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) a[i] = Math.tanh(z[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) a[i] = sigmoid(z[i]);
      return;
    case 'relu':
      for (let i = 0; i < count; i++) a[i] = z[i] > 0 ? z[i] : 0;
      return;
    case 'softplus':
      for (let i = 0; i < count; i++) a[i] = softplus(z[i]);
      return;
  }
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
  switch (activation) {
    case 'linear':
      d1.fill(1, 0, count);
      d2?.fill(0, 0, count);
      return;
    case 'tanh':
      for (let i = 0; i < count; i++) {
        const t = a[i];
        d1[i] = 1 - t * t;
        if (d2) d2[i] = -2 * t * (1 - t * t);
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < count; i++) {
        const s = a[i];
        d1[i] = s * (1 - s);
        if (d2) d2[i] = s * (1 - s) * (1 - 2 * s);
      }
      return;
    case 'relu':
      // The kink at 0 gets derivative 0, as in PyTorch.
      for (let i = 0; i < count; i++) d1[i] = z[i] > 0 ? 1 : 0;
      d2?.fill(0, 0, count);
      return;
    case 'softplus':
      for (let i = 0; i < count; i++) {
        const s = sigmoid(z[i]);
        d1[i] = s;
        if (d2) d2[i] = s * (1 - s);
      }
      return;
  }
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
