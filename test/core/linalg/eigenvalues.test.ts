// Eigenvalues without eigenvectors (Householder + implicit QL, WebAssembly or JavaScript)
// against matrices whose spectra are known, and against the full decomposition.
import assert from 'node:assert/strict';
import { symmetricEigen } from '../../../src/core/linalg/eigen';
import { symmetricEigenvalues, tridiagonalEigenvalues } from '../../../src/core/linalg/eigenvalues';
import { jsTridiagonalize } from '../../../src/core/kernels/tridiagonalize';
import { setKernelBackend } from '../../../src/core/kernels/wasm';
import { Random } from '../../../src/core/rng';

function randomSymmetric(n: number, random: Random): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.normal();
  return a;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < actual.length; k++)
    assert.ok(
      Math.abs(actual[k] - expected[k]) <= tolerance,
      `λ${k}: ${actual[k]} vs ${expected[k]} (tolerance ${tolerance})`,
    );
}

describe('eigenvalues without eigenvectors', () => {
  for (const backend of ['wasm', 'js'] as const) {
    describe(`tridiagonalization in ${backend === 'wasm' ? 'WebAssembly' : 'JavaScript'}`, () => {
      before(() => setKernelBackend(backend));
      after(() => setKernelBackend('auto'));

      it('the path graph Laplacian: λk = 2 − 2cos(kπ/(n+1))', () => {
        const n = 40;
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) {
          a[i * n + i] = 2;
          if (i + 1 < n) a[i * n + i + 1] = a[(i + 1) * n + i] = -1;
        }
        const expected = Array.from(
          { length: n },
          (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
        );
        assertClose(symmetricEigenvalues(a, n), expected, 1e-13);
      });

      it('a dense matrix with a known spectrum: Q·diag(λ)·Qᵀ for a Householder Q', () => {
        const n = 23;
        const random = new Random(4);
        const u = Float64Array.from({ length: n }, () => random.normal());
        const uu = u.reduce((s, x) => s + x * x, 0);
        const lambda = Array.from({ length: n }, (_, k) => (k - 11) * 0.75); // includes 0 and negatives
        const a = new Float64Array(n * n);
        // Q = I − 2uuᵀ/uᵀu is symmetric and orthogonal; A = Q diag(λ) Q.
        const q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            let sum = 0;
            for (let k = 0; k < n; k++) sum += q(i, k) * lambda[k] * q(k, j);
            a[i * n + j] = sum;
          }
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i]; // exactly symmetric
        assertClose(symmetricEigenvalues(a, n), lambda, 1e-12);
      });

      it('a block-diagonal matrix (a reflection step with nothing to do mid-way): the union of the spectra', () => {
        // diag(L₄, 3·I₁, L₃) with L the path Laplacian: columns 3 and 4 are already reduced.
        const blocks = [4, 1, 3];
        const n = 8;
        const a = new Float64Array(n * n);
        const expected: number[] = [];
        let offset = 0;
        for (const size of blocks) {
          for (let i = 0; i < size; i++) {
            a[(offset + i) * n + offset + i] = size === 1 ? 3 : 2;
            if (i + 1 < size)
              a[(offset + i) * n + offset + i + 1] = a[(offset + i + 1) * n + offset + i] = -1;
            expected.push(size === 1 ? 3 : 2 - 2 * Math.cos(((i + 1) * Math.PI) / (size + 1)));
          }
          offset += size;
        }
        assertClose(
          symmetricEigenvalues(a, n),
          expected.sort((x, y) => x - y),
          1e-14,
        );
      });

      it('agrees with the full decomposition on random matrices of several sizes', () => {
        const random = new Random(8);
        for (const n of [1, 2, 3, 4, 5, 17, 64, 101]) {
          const a = randomSymmetric(n, random);
          const copy = Float64Array.from(a);
          const values = symmetricEigenvalues(a, n);
          assert.deepEqual(a, copy, 'the input is left unchanged');
          const reference = symmetricEigen(a, n).values;
          const scale = Math.max(...Array.from(reference, Math.abs));
          assertClose(values, reference, 1e-13 * n * scale);
        }
      });
    });
  }

  it('the tridiagonal QL alone: a 2 × 2 block [[a, b], [b, c]]', () => {
    const d = Float64Array.from([2, -1]);
    const e = Float64Array.from([3, 0]);
    tridiagonalEigenvalues(d, e);
    const mean = 0.5;
    const radius = Math.sqrt(1.5 * 1.5 + 9);
    assertClose(
      [...d].sort((x, y) => x - y),
      [mean - radius, mean + radius],
      1e-14,
    );
  });

  it('zero diagonals with tiny couplings (dead relu units) converge: ±√2·b and 0, for b from 5e-324 to 1e300', () => {
    // [[0, b, 0], [b, 0, b], [0, b, 0]] has eigenvalues −√2·b, 0, √2·b. Squares of b below
    // 1e-154 underflow, above 1e154 overflow: the iteration stalled on them before.
    for (const b of [5e-324, 1e-310, 1e-300, 1e-160, 1, 1e160, 1e300]) {
      const d = new Float64Array(3);
      const e = Float64Array.of(b, b, 0);
      tridiagonalEigenvalues(d, e);
      const sorted = [...d].sort((x, y) => x - y);
      const expected = [-Math.SQRT2 * b, 0, Math.SQRT2 * b];
      const allowed = b < 1e-300 ? b : 1e-15 * b; // denormals carry few digits
      assertClose(sorted, expected, allowed);
    }
  });

  it('a zero column below the diagonal is skipped (block-diagonal input)', () => {
    const a = Float64Array.from([5, 0, 0, 0, 1, 2, 0, 2, 1]);
    const d = new Float64Array(3);
    const e = new Float64Array(3);
    jsTridiagonalize(Float64Array.from(a), 3, d, e);
    assert.equal(e[0], 0);
    assertClose(symmetricEigenvalues(a, 3), [-1, 3, 5], 1e-14);
  });
});
