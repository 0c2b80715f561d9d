// Symmetric eigendecomposition through ml-matrix (JAMA's Householder tridiagonalization
// and QL iterations). The only place that knows the library, so it can be swapped.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { allFinite, NonFiniteMatrixError } from './vector';

export interface SymmetricEigen {
  /** Ascending. */
  values: Float64Array;
  /** Column k of the row-major n × n matrix is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

/** Eigenvalues and eigenvectors of a symmetric row-major n × n matrix. */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  if (!allFinite(matrix)) throw new NonFiniteMatrixError();
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(matrix.subarray(i * n, (i + 1) * n)));
  const decomposition = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const raw = decomposition.realEigenvalues;
  const vectors = decomposition.eigenvectorMatrix;
  // Sort ascending explicitly rather than rely on the library's order.
  const order = raw.map((_, k) => k).sort((a, b) => raw[a] - raw[b]);
  const values = Float64Array.from(order, (k) => raw[k]);
  const sortedVectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < n; c++) sortedVectors[i * n + c] = vectors.get(i, order[c]);
  return { values, vectors: sortedVectors };
}

/** (A + Aᵀ)/2 in place; returns max|A − Aᵀ| / max|A| before symmetrizing. */
export function symmetrize(matrix: Float64Array, n: number): number {
  let asymmetry = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const a = matrix[i * n + j];
      const b = matrix[j * n + i];
      asymmetry = Math.max(asymmetry, Math.abs(a - b));
      scale = Math.max(scale, Math.abs(a), Math.abs(b));
      const mean = 0.5 * (a + b);
      matrix[i * n + j] = mean;
      matrix[j * n + i] = mean;
    }
  }
  return scale > 0 ? asymmetry / scale : 0;
}
