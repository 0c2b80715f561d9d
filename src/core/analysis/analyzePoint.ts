// Gathers the evidence at one parameter point — loss, gradient, Hessian spectrum — and
// decides its verdict.
import type { HessianSummary, Verdict } from '../../protocol/result';
import { symmetricEigen, symmetrize } from '../linalg/eigen';
import { lanczosExtremes } from '../linalg/lanczos';
import type { Objective } from '../model/objective';
import { norm } from '../optim/train';
import type { AnalysisSpec } from '../spec/types';
import { decideVerdict } from './verdict';

export interface PointAnalysis {
  loss: number;
  gradientNorm: number;
  hessian: HessianSummary | null;
  verdict: Verdict;
}

export interface LossBounds {
  lossLowerBound: number | null;
  lossScale: number;
}

export function analyzePoint(
  objective: Objective,
  theta: Float64Array,
  analysis: AnalysisSpec,
  bounds: LossBounds,
  gradientFlatness?: number,
): PointAnalysis {
  const p = objective.parameterCount;
  const gradient = new Float64Array(p);
  const loss = objective.lossAndGradient(theta, gradient);
  const gradientNorm = norm(gradient);
  const method = hessianMethod(analysis, p);
  let hessian: HessianSummary | null = null;
  let noSpectrumReason: string | undefined;
  let smallestConverged = true;
  if (!Number.isFinite(loss) || !Number.isFinite(gradientNorm)) {
    noSpectrumReason = 'the loss is not finite here';
  } else if (method === 'exact') {
    const matrix = objective.hessian(theta);
    const asymmetry = symmetrize(matrix, p);
    const { values } = symmetricEigen(matrix, p);
    hessian = { eigenvalues: Array.from(values), complete: true, asymmetry };
  } else if (method === 'lanczos') {
    const result = lanczosExtremes((v, out) => objective.hessianVectorProduct(theta, v, out), p, {
      maxIterations: 200,
    });
    const scale = Math.max(...result.values.map(Math.abs));
    const converged = result.values.map((_, i) => result.residuals[i] <= LANCZOS_RESIDUAL * scale);
    // Unconverged Ritz values are not eigenvalues, except the smallest: by interlacing it is an
    // upper bound on λmin, so a negative one proves a descent direction even before convergence.
    smallestConverged = converged[0];
    hessian = {
      eigenvalues: result.values.filter((_, i) => i === 0 || converged[i]),
      complete: false,
    };
  } else {
    noSpectrumReason = 'the Hessian was not computed (analysis.hessian is "off")';
  }
  const verdict = decideVerdict(
    {
      loss,
      gradientNorm,
      parameterCount: p,
      eigenvalues: hessian?.eigenvalues ?? null,
      complete: hessian?.complete ?? false,
      noSpectrumReason,
      smallestConverged,
      gradientFlatness,
      ...bounds,
    },
    analysis.tolerance,
  );
  return { loss, gradientNorm, hessian, verdict };
}

/** A Ritz value counts as an eigenvalue when its residual is below this fraction of the scale. */
const LANCZOS_RESIDUAL = 1e-6;

export function hessianMethod(
  analysis: AnalysisSpec,
  parameterCount: number,
): 'exact' | 'lanczos' | 'off' {
  if (analysis.hessian === 'auto')
    return parameterCount <= analysis.exactLimit ? 'exact' : 'lanczos';
  return analysis.hessian;
}
