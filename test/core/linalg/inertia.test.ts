import assert from 'node:assert/strict';
import { symmetricEigen } from '../../../src/core/linalg/eigen';
import { inertia, inertiaAroundZero } from '../../../src/core/linalg/inertia';
import { Random } from '../../../src/core/rng';

/** Q·diag(values)·Qᵀ with Q orthogonal (the eigenvectors of a random symmetric matrix). */
function withEigenvalues(values: number[], seed: number): Float64Array {
  const n = values.length;
  const random = new Random(seed);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = random.normal();
  const q = symmetricEigen(m, n).vectors;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += q[i * n + k] * values[k] * q[j * n + k];
      a[i * n + j] = sum;
    }
  }
  return a;
}

describe('inertia by symmetric-indefinite LDLᵀ (Bunch–Kaufman)', () => {
  it('[[0, 1], [1, 0]] (eigenvalues ±1, zero diagonal: needs a 2×2 pivot) has one negative and one positive', () => {
    assert.deepEqual(inertia(Float64Array.of(0, 1, 1, 0), 2), {
      negative: 1,
      zero: 0,
      positive: 1,
    });
  });

  it('diag(−2, 0, 3) counts the exact zero', () => {
    assert.deepEqual(inertia(Float64Array.of(-2, 0, 0, 0, 0, 0, 0, 0, 3), 3), {
      negative: 1,
      zero: 1,
      positive: 1,
    });
  });

  it('matches the eigenvalue signs of random matrices with a known spectrum', () => {
    const random = new Random(5);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + random.below(40);
      const values = Array.from(
        { length: n },
        () => (random.next() < 0.4 ? -1 : 1) * (0.1 + 3 * random.next()),
      );
      const expected = values.filter((v) => v < 0).length;
      assert.equal(
        inertia(withEigenvalues(values, trial), n).negative,
        expected,
        `trial ${trial}, n = ${n}`,
      );
    }
  });

  it('counts eigenvalues below, within and above a zero band ±τ', () => {
    const values = [-3, -1e-9, 0, 2e-9, 0.5, 4];
    const counts = inertiaAroundZero(withEigenvalues(values, 1), 6, 1e-6);
    assert.deepEqual(counts, { negative: 1, zero: 3, positive: 2 });
  });
});
