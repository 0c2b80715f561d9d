// Every activation in the table: values a person can check, exact first and second
// derivatives against central differences, and the symmetries it claims.
import assert from 'node:assert/strict';
import { ACTIVATIONS } from '../../../src/core/model/activations';
import type { Activation } from '../../../src/core/vocabulary';

/** act(z), act'(z), act''(z) at z = 0, 1 and −2, by hand. */
const KNOWN: Record<Activation, { z: number; value: number; d1: number; d2: number }[]> = {
  linear: [
    { z: 1, value: 1, d1: 1, d2: 0 },
    { z: -2, value: -2, d1: 1, d2: 0 },
  ],
  // tanh 1 = (e² − 1)/(e² + 1); tanh' = 1 − tanh²; tanh'' = −2 tanh (1 − tanh²)
  tanh: [
    { z: 0, value: 0, d1: 1, d2: 0 },
    { z: 1, value: 0.7615941559557649, d1: 0.41997434161402614, d2: -0.6397000084492246 },
  ],
  // σ(0) = ½, σ' = σ(1 − σ) = ¼, σ'' = σ(1 − σ)(1 − 2σ) = 0
  sigmoid: [
    { z: 0, value: 0.5, d1: 0.25, d2: 0 },
    { z: 1, value: 0.7310585786300049, d1: 0.19661193324148185, d2: -0.09085774767294841 },
  ],
  relu: [
    { z: 1, value: 1, d1: 1, d2: 0 },
    { z: -2, value: 0, d1: 0, d2: 0 },
  ],
  // softplus(0) = log 2; softplus' = σ; softplus'' = σ(1 − σ)
  softplus: [
    { z: 0, value: Math.LN2, d1: 0.5, d2: 0.25 },
    { z: 1, value: 1.3132616875182228, d1: 0.7310585786300049, d2: 0.19661193324148185 },
  ],
  // silu = zσ: at 0, 0; silu′ = σ(1 + z(1 − σ)) = ½; silu″ = σ(1 − σ)(2 + z(1 − 2σ)) = ½
  silu: [
    { z: 0, value: 0, d1: 0.5, d2: 0.5 },
    { z: 1, value: 0.7310585786300049, d1: 0.9276705118714867, d2: 0.3023661188100153 },
    { z: -2, value: -0.23840584404423515, d1: -0.09078424878489548, d2: 0.05006216869470691 },
  ],
};

function evaluate(name: Activation, zs: number[]) {
  const z = Float64Array.from(zs);
  const a = new Float64Array(zs.length);
  const d1 = new Float64Array(zs.length);
  const d2 = new Float64Array(zs.length);
  ACTIVATIONS[name].forward(z, a, zs.length);
  ACTIVATIONS[name].derivatives(z, a, d1, d2, zs.length);
  return { a, d1, d2 };
}

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs ${expected}`,
  );

describe('the activation table', () => {
  it('has known values for every entry (add them with a new activation)', () => {
    assert.deepEqual(Object.keys(KNOWN).sort(), Object.keys(ACTIVATIONS).sort());
  });

  it('relu is max(0, z) exactly, at the extremes too: subnormal, huge, infinite, NaN', () => {
    const zs = [5e-324, -5e-324, 1.7e308, Infinity, -Infinity, -0, NaN, 0.1, -0.1];
    const { a, d1 } = evaluate('relu', zs);
    // As PyTorch's z > 0 ? z : 0 would give; Object.is tells +0 from −0.
    assert.deepEqual(Array.from(a), [5e-324, 0, 1.7e308, Infinity, 0, 0, 0, 0.1, 0]);
    assert.ok(Object.is(a[5], 0), 'relu(−0) is +0');
    assert.deepEqual(Array.from(d1), [1, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  for (const name of Object.keys(ACTIVATIONS) as Activation[]) {
    const definition = ACTIVATIONS[name];
    describe(name, () => {
      it('gives the values and derivatives worked out by hand', () => {
        for (const { z, value, d1, d2 } of KNOWN[name]) {
          const got = evaluate(name, [z]);
          close(got.a[0], value, 1e-15, `${name}(${z})`);
          close(got.d1[0], d1, 1e-15, `${name}'(${z})`);
          close(got.d2[0], d2, 1e-15, `${name}''(${z})`);
        }
      });

      it('has exact derivatives: central differences agree away from kinks', () => {
        const zs = [-3.1, -0.7, -0.2, 0.3, 0.9, 2.4];
        const h = 1e-5;
        const at = evaluate(name, zs);
        const up = evaluate(
          name,
          zs.map((z) => z + h),
        );
        const down = evaluate(
          name,
          zs.map((z) => z - h),
        );
        zs.forEach((z, i) => {
          close(at.d1[i], (up.a[i] - down.a[i]) / (2 * h), 1e-8, `${name}'(${z})`);
          close(at.d2[i], (up.d1[i] - down.d1[i]) / (2 * h), 1e-8, `${name}''(${z})`);
        });
      });

      it('has the symmetries it claims, and only those', () => {
        const zs = [-2.5, -0.5, 0.75, 3];
        const { a } = evaluate(name, zs);
        const negated = evaluate(
          name,
          zs.map((z) => -z),
        ).a;
        const doubled = evaluate(
          name,
          zs.map((z) => 2 * z),
        ).a;
        const odd = zs.every((_, i) => Math.abs(negated[i] + a[i]) <= 1e-15 * Math.abs(a[i]));
        const homogeneous = zs.every((_, i) => Math.abs(doubled[i] - 2 * a[i]) <= 1e-15);
        const identity = zs.every((z, i) => a[i] === z);
        assert.equal(definition.signSymmetry, odd, 'act(−z) = −act(z)');
        // Linear is homogeneous too, but its symmetry is the larger GL(k) of an identity.
        assert.equal(definition.scaleSymmetry, homogeneous && !identity, 'act(2z) = 2·act(z)');
        assert.equal(definition.identity, identity, 'act(z) = z');
        const { a: below, d1 } = evaluate(name, [-0.5, -3]);
        const dead = [...below, ...d1].every((v) => v === 0);
        assert.equal(definition.deadBelowZero, dead, 'act = act′ = 0 below zero');
      });
    });
  }
});
