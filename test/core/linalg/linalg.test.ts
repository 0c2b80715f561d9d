import assert from 'node:assert/strict';
import { symmetricEigen, symmetrize } from '../../../src/core/linalg/eigen';
import { lanczosExtremes } from '../../../src/core/linalg/lanczos';
import { dot, reorthogonalize } from '../../../src/core/linalg/vector';
import { Random } from '../../../src/core/rng';

describe('linear algebra', () => {
  it('eigenpairs of [[2, 1], [1, 2]] are 1 and 3 with vectors (1, −1)/√2 and (1, 1)/√2', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    assert.ok(Math.abs(values[0] - 1) < 1e-15 && Math.abs(values[1] - 3) < 1e-15);
    assert.ok(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2) < 1e-15);
    assert.ok(Math.abs(vectors[0] + vectors[2]) < 1e-15, 'column 0 is ±(1, −1)/√2');
    assert.ok(Math.abs(vectors[1] - vectors[3]) < 1e-15, 'column 1 is ±(1, 1)/√2');
  });

  it('reorthogonalize: w ⟂ every basis vector, the same values as a dot and an axpy per vector, twice', () => {
    // A basis of the first three coordinates (the first two turned by 45°): w = (1, 2, 3, 4)
    // keeps its fourth coordinate only.
    const s = Math.SQRT1_2;
    const basis = [
      Float64Array.of(s, s, 0, 0),
      Float64Array.of(s, -s, 0, 0),
      Float64Array.of(0, 0, 1, 0),
    ];
    const w = Float64Array.of(1, 2, 3, 4);
    reorthogonalize(w, basis);
    assert.ok(Math.abs(w[0]) < 1e-15 && Math.abs(w[1]) < 1e-15 && w[2] === 0 && w[3] === 4);
    // Against 12 random orthonormal vectors of R⁵⁰⁰: bit for bit the plain loop.
    const random = new Random(3);
    const many: Float64Array[] = [];
    const plain = (v: Float64Array, against: Float64Array[]) => {
      for (let pass = 0; pass < 2; pass++)
        for (const b of against) {
          const c = dot(v, b);
          for (let i = 0; i < v.length; i++) v[i] -= c * b[i];
        }
    };
    for (let k = 0; k < 12; k++) {
      const v = Float64Array.from({ length: 500 }, () => random.normal());
      plain(v, many);
      const length = Math.sqrt(dot(v, v));
      many.push(v.map((x) => x / length));
    }
    const x = Float64Array.from({ length: 500 }, () => random.normal());
    const expected = Float64Array.from(x);
    plain(expected, many);
    reorthogonalize(x, many);
    assert.deepEqual(x, expected);
    for (const b of many) assert.ok(Math.abs(dot(x, b)) < 1e-13);
  });

  it('symmetrize averages H and Hᵀ and reports the relative asymmetry', () => {
    const m = Float64Array.of(1, 2, 4, 1);
    assert.equal(symmetrize(m, 2), 0.5);
    assert.deepEqual(Array.from(m), [1, 3, 3, 1]);
  });

  it('Lanczos finds both ends of a known spectrum from products alone', () => {
    const n = 300;
    const diagonal = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -2.5 : 0.01 * i));
    const result = lanczosExtremes((v, out) => out.set(v.map((x, i) => x * diagonal[i])), n, {
      count: 2,
      maxIterations: 150,
    });
    assert.ok(Math.abs(result.values[0] + 2.5) < 1e-9, `λmin ${result.values[0]}`);
    assert.ok(
      Math.abs(result.values[result.values.length - 1] - 2.99) < 1e-9,
      `λmax ${result.values.at(-1)}`,
    );
  });

  it('Lanczos stops as soon as the caller knows enough: a Ritz value below −1 proves λmin < −1', () => {
    const n = 300;
    const diagonal = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -2.5 : 0.01 * i));
    const multiply = (v: Float64Array, out: Float64Array) =>
      out.set(v.map((x, i) => x * diagonal[i]));
    const full = lanczosExtremes(multiply, n, { count: 2, maxIterations: 150 });
    const enough = lanczosExtremes(multiply, n, {
      count: 2,
      maxIterations: 150,
      enough: (values) => values[0] < -1,
    });
    // The smallest Ritz value is a Rayleigh quotient: never below λmin = −2.5.
    assert.ok(enough.values[0] < -1 && enough.values[0] >= -2.5);
    assert.ok(
      enough.iterations < full.iterations,
      `${enough.iterations} steps, against ${full.iterations} to converge`,
    );
  });
});
