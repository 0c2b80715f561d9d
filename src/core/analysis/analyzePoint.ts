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
): PointAnalysis {
  const p = objective.parameterCount;
  const gradient = new Float64Array(p);
  const loss = objective.lossAndGradient(theta, gradient);
  const gradientNorm = norm(gradient);
  const method = hessianMethod(analysis, p);
  let hessian: HessianSummary | null = null;
  let noSpectrumReason: string | undefined;
  if (!Number.isFinite(loss) || !Number.isFinite(gradientNorm)) {
    noSpectrumReason = 'the loss is not finite here';
  } else if (method === 'exact') {
    const matrix = objective.hessian(theta);
    const asymmetry = symmetrize(matrix, p);
    const { values } = symmetricEigen(matrix, p);
    hessian = { eigenvalues: Array.from(values), complete: true, asymmetry };
  } else if (method === 'lanczos') {
    const result = lanczosExtremes((v, out) => objective.hessianVectorProduct(theta, v, out), p);
    hessian = { eigenvalues: result.values, complete: false };
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
      ...bounds,
    },
    analysis.tolerance,
  );
  return { loss, gradientNorm, hessian, verdict };
}

export function hessianMethod(
  analysis: AnalysisSpec,
  parameterCount: number,
): 'exact' | 'lanczos' | 'off' {
  if (analysis.hessian === 'auto')
    return parameterCount <= analysis.exactLimit ? 'exact' : 'lanczos';
  return analysis.hessian;
}
