import assert from 'node:assert/strict';
import { generate } from '../../../src/core/data/generators';
import { GENERATOR_NAMES } from '../../../src/core/vocabulary';
import { deriveSeed, Random } from '../../../src/core/rng';

describe('data generators and random numbers', () => {
  it('xor is exactly the four points of the truth table', () => {
    const d = generate({ generator: 'xor' });
    assert.deepEqual(Array.from(d.inputs), [0, 0, 0, 1, 1, 0, 1, 1]);
    assert.deepEqual(Array.from(d.targets), [0, 1, 1, 0]);
  });

  it('the same seed gives the same data, another seed other data', () => {
    // Every generator but xor, whose four points do not depend on the seed.
    for (const generator of GENERATOR_NAMES.filter((name) => name !== 'xor')) {
      const a = generate({ generator, seed: 3 });
      const b = generate({ generator, seed: 3 });
      const c = generate({ generator, seed: 4 });
      assert.deepEqual(a.inputs, b.inputs, generator);
      assert.deepEqual(a.targets, b.targets, generator);
      assert.notDeepEqual(a.inputs, c.inputs, generator);
      assert.equal(a.samples, 200);
    }
  });

  it('linear without noise is y = 2x − 1 exactly; circles without noise lie on radii 1 and 0.5', () => {
    const line = generate({ generator: 'linear', noise: 0, samples: 20 });
    for (let n = 0; n < 20; n++) assert.equal(line.targets[n], 2 * line.inputs[n] - 1);
    const circles = generate({ generator: 'circles', noise: 0, samples: 10 });
    for (let n = 0; n < 10; n++) {
      const r = Math.hypot(circles.inputs[2 * n], circles.inputs[2 * n + 1]);
      assert.ok(Math.abs(r - (circles.targets[n] ? 0.5 : 1)) < 1e-15);
    }
  });

  it('run seeds differ per run and do not depend on how many runs there are', () => {
    const seeds = Array.from({ length: 100 }, (_, i) => deriveSeed(0, i));
    assert.equal(new Set(seeds).size, 100);
    assert.equal(deriveSeed(7, 3), deriveSeed(7, 3));
  });

  it('normals have mean ≈ 0 and variance ≈ 1; uniforms stay in range', () => {
    const random = new Random(42);
    const n = 200000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = random.normal();
      sum += x;
      squares += x * x;
    }
    // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance.
    assert.ok(Math.abs(sum / n) < 0.011);
    assert.ok(Math.abs(squares / n - 1) < 0.016);
    for (let i = 0; i < 1000; i++) {
      const u = random.uniform(-2, 3);
      assert.ok(u >= -2 && u < 3);
    }
  });
});
