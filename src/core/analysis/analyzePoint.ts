// Gathers the evidence at one parameter point — loss, gradient, Hessian spectrum — and
// decides its verdict.
import type {
  HessianSummary,
  NotCriticalCause,
  TraceEstimate,
  Verdict,
} from '../../protocol/result';
import { PROBE_SEED, spectralDensity } from './density';
import { divergingAlongRay } from './diverging';
import { symmetricEigen, symmetrize } from '../linalg/eigen';
import { symmetricEigenvalues } from '../linalg/eigenvalues';
import { inertiaAroundZero, type Inertia } from '../linalg/inertia';
import { lanczosExtremes, LanczosRun, rademacherStart } from '../linalg/lanczos';
import { countingProducts, type Objective } from '../model/objective';
import { NonFiniteMatrixError, norm } from '../linalg/vector';
import type { AnalysisSpec, DensitySpec } from '../vocabulary';
import type { Dataset } from '../data/dataset';
import type { MlpArchitecture } from '../model/architecture';
import { probeNullSpace } from './probe';
import { predictedFlatDirections } from './symmetries';
import { deflatedTrace, exactTrace } from './trace';
import { decideVerdict, resolveZeroCurvature } from './verdict';

export interface PointAnalysis {
  loss: number;
  gradientNorm: number;
  hessian: HessianSummary | null;
  verdict: Verdict;
  /**
   * Hessian-vector products the spectrum, trace and density took (a dense Hessian counts as
   * P): the work of the verdict, against which the automatic landscape is budgeted.
   */
  hessianProducts: number;
}

/** A point's evidence and verdict before its cost is counted. */
type Judged = Omit<PointAnalysis, 'hessianProducts'>;

/** What the point's history adds to a verdict that calls it not critical. */
export interface VerdictNotes {
  /** Refinement stopped at a gradient-flat point: ‖H∇L‖/(‖H‖‖∇L‖) there. */
  gradientFlatness?: number;
  /** Why the point is not critical, in words that say what to do (replaces the default). */
  whyNotCritical?: string;
  /** What its history shows, in one word. */
  cause?: NotCriticalCause;
}

export interface PointContext {
  lossLowerBound: number | null;
  lossScale: number;
  /** For the symmetry count at degenerate points (MLPs only). */
  architecture: MlpArchitecture | null;
  weightDecay: number;
  dataset: Dataset;
  /** A PyTorch module's precision: a verdict not in float64 records it and says so. */
  precision?: 'float64' | 'float32';
}

/**
 * The evidence at θ and its verdict; with `density` (and analysis.density set), the
 * Hessian's eigenvalue density too, going on from the verdict's own Lanczos run.
 */
export function analyzePoint(
  objective: Objective,
  theta: Float64Array,
  analysis: AnalysisSpec,
  context: PointContext,
  notes: VerdictNotes = {},
  { density = false }: { density?: boolean } = {},
): PointAnalysis {
  const withDensityToo = density && analysis.density !== null;
  const counting = countingProducts(objective);
  // tr(H) from probes of its own, deflated by the verdict's Lanczos basis; with a density, the
  // density's probes estimate it too, and the result keeps the surer of the two.
  const { result, lanczos } = judgePoint(counting.objective, theta, analysis, context, notes);
  const judged = withDensityToo
    ? withDensity(counting.objective, theta, result, analysis.density!, lanczos)
    : result;
  const verdict = context.precision
    ? inPrecision(judged.verdict, context.precision)
    : judged.verdict;
  const products = counting.products();
  const hessian = judged.hessian ? { ...judged.hessian, hessianVectorProducts: products } : null;
  return { ...judged, hessian, verdict, hessianProducts: products };
}

/**
 * The verdict with the precision its evidence was computed in, when that is not float64 (the
 * engine's own, and what an absent precision means): recorded, and said in its reason.
 */
function inPrecision(verdict: Verdict, precision: 'float64' | 'float32'): Verdict {
  if (precision === 'float64') return verdict;
  return {
    ...verdict,
    tolerance: { ...verdict.tolerance, precision: 'float32' },
    reason: `${verdict.reason} (decided in ${precision}, with tolerances for its precision)`,
  };
}

/** The density added to the point's spectrum, unless the loss or the Hessian overflows. */
function withDensity(
  objective: Objective,
  theta: Float64Array,
  result: Judged,
  options: DensitySpec,
  lanczos: LanczosRun | undefined,
): Judged {
  if (!Number.isFinite(result.loss)) return result;
  try {
    const { density, trace } = spectralDensity(objective, theta, result.hessian, options, lanczos);
    const hessian = result.hessian ?? { eigenvalues: [], complete: false };
    return { ...result, hessian: { ...hessian, trace: surerTrace(hessian.trace, trace), density } };
  } catch (error) {
    // Second derivatives beyond float64: the verdict already says so; no density.
    if (error instanceof NonFiniteMatrixError) return result;
    throw error;
  }
}

/**
 * The exact trace when there is one; else the estimate with the smaller standard error. A
 * density that settled after a few probes leaves a rough trace (3 probes: 15% off on a
 * 2,314-parameter CNN), where the deflated probes are within 1%.
 */
function surerTrace(own: TraceEstimate | undefined, fromDensity: TraceEstimate): TraceEstimate {
  if (!own) return fromDensity;
  if (own.method === 'exact') return own;
  const error = (t: TraceEstimate) => t.standardError ?? Infinity;
  return error(fromDensity) < error(own) ? fromDensity : own;
}

function judgePoint(
  objective: Objective,
  theta: Float64Array,
  analysis: AnalysisSpec,
  context: PointContext,
  notes: VerdictNotes,
): { result: Judged; lanczos?: LanczosRun } {
  const p = objective.parameterCount;
  const gradient = new Float64Array(p);
  const loss = objective.lossAndGradient(theta, gradient);
  const gradientNorm = norm(gradient);
  const critical = gradientNorm <= analysis.tolerance.gradient * context.lossScale;
  const method = spectrumMethod(analysis, p, critical);
  const { hessian, evidence, denseHessian, counts, smallestConverged, noSpectrumReason, lanczos } =
    !Number.isFinite(loss) || !Number.isFinite(gradientNorm)
      ? noSpectrum('the loss is not finite here')
      : method === 'off'
        ? noSpectrum('the Hessian was not computed (analysis.hessian is "off")')
        : spectrumOrWhyNot(objective, theta, analysis, method, gradientNorm, critical);
  // Cheap (one loss at a minimum) and decisive: a loss that keeps falling along the ray.
  const diverging = Number.isFinite(loss)
    ? (divergingAlongRay(objective, theta, context.lossScale) ?? undefined)
    : undefined;
  const verdict = decideVerdict(
    {
      diverging,
      loss,
      gradientNorm,
      parameterCount: p,
      eigenvalues: evidence ?? hessian?.eigenvalues ?? null,
      complete: hessian?.complete ?? false,
      noSpectrumReason,
      smallestConverged,
      ...notes,
      inertia: counts,
      lossLowerBound: context.lossLowerBound,
      lossScale: context.lossScale,
    },
    analysis.tolerance,
  );
  if (hessian && denseHessian && hasUnexplainedZeros(verdict)) {
    // The full decomposition, now that its eigenvectors are needed (its own values pick them).
    const eigen = symmetricEigen(denseHessian, p);
    const zeroTolerance = verdict.tolerance.eigenvalue ?? 0;
    const nullVectors: Float64Array[] = [];
    eigen.values.forEach((value, k) => {
      if (Math.abs(value) <= zeroTolerance)
        nullVectors.push(Float64Array.from({ length: p }, (_, i) => eigen.vectors[i * p + k]));
    });
    const probe = probeNullSpace(objective, theta, nullVectors, {
      loss,
      gradientNorm,
      zeroTolerance,
    });
    const flat = context.architecture
      ? predictedFlatDirections(
          context.architecture,
          theta,
          context.weightDecay,
          context.dataset.inputs,
          context.dataset.samples,
        )
      : { count: 0, reasons: [] };
    return {
      result: { loss, gradientNorm, hessian, verdict: resolveZeroCurvature(verdict, probe, flat) },
    };
  }
  return { result: { loss, gradientNorm, hessian, verdict }, lanczos };
}

interface Spectrum {
  hessian: HessianSummary | null;
  /** The eigenvalues the verdict may rely on, when not all of `hessian.eigenvalues`. */
  evidence?: number[];
  /** The symmetrized dense Hessian, kept for eigenvectors should the verdict need them. */
  denseHessian: Float64Array | null;
  /** Counts of eigenvalues below, within and above the zero band (Lanczos route). */
  counts?: Inertia;
  /** False when the smallest Lanczos value has not converged (it is then an upper bound). */
  smallestConverged: boolean;
  noSpectrumReason?: string;
  /** The Lanczos run the extremes came from (Lanczos route). */
  lanczos?: LanczosRun;
}

function noSpectrum(reason: string): Spectrum {
  return { hessian: null, denseHessian: null, smallestConverged: true, noSpectrumReason: reason };
}

/** The spectrum, or why there is none where second derivatives overflow float64. */
function spectrumOrWhyNot(
  objective: Objective,
  theta: Float64Array,
  analysis: AnalysisSpec,
  method: 'exact' | 'lanczos',
  gradientNorm: number,
  critical: boolean,
): Spectrum {
  try {
    return method === 'exact'
      ? exactSpectrum(objective, theta)
      : lanczosSpectrum(objective, theta, analysis, gradientNorm, critical);
  } catch (error) {
    if (!(error instanceof NonFiniteMatrixError)) throw error;
    // Finite loss and gradient, but a Hessian beyond float64 (inputs near 1e160 or more).
    return noSpectrum('the Hessian is not finite here (its entries overflow float64)');
  }
}

function exactSpectrum(objective: Objective, theta: Float64Array): Spectrum {
  const p = objective.parameterCount;
  const matrix = objective.hessian(theta);
  const asymmetry = symmetrize(matrix, p);
  // Eigenvalues only: the verdict needs no eigenvectors unless zeros must be probed.
  const values = symmetricEigenvalues(matrix, p);
  return {
    hessian: {
      eigenvalues: Array.from(values),
      complete: true,
      asymmetry,
      trace: exactTrace(matrix, p),
    },
    denseHessian: matrix,
    smallestConverged: true,
  };
}

function lanczosSpectrum(
  objective: Objective,
  theta: Float64Array,
  analysis: AnalysisSpec,
  gradientNorm: number,
  critical: boolean,
): Spectrum {
  const p = objective.parameterCount;
  const multiply = (v: Float64Array, out: Float64Array) =>
    objective.hessianVectorProduct(theta, v, out);
  const zeroBand = (largest: number) =>
    Math.max(analysis.tolerance.eigenvalue * largest, 10 * gradientNorm);
  // From the density's first probe, so that a density can go on from this run.
  const start = rademacherStart(p, PROBE_SEED, 0);
  const result = lanczosExtremes(
    multiply,
    p,
    critical
      ? {
          start,
          maxIterations: 200,
          // A Ritz value below the zero band bounds λmin from above: a saddle, proven.
          enough: (values) =>
            values[0] < -zeroBand(Math.max(Math.abs(values[0]), Math.abs(values.at(-1)!))),
        }
      : // Not critical: the spectrum informs, the verdict does not need it.
        { start, count: 3, maxIterations: NOT_CRITICAL_LANCZOS_STEPS },
  );
  const scale = Math.max(...result.values.map(Math.abs));
  // A Ritz value is an eigenvalue once its residual bound is within the eigenvalue tolerance.
  const converged = result.values.map(
    (_, i) => result.residuals[i] <= analysis.tolerance.eigenvalue * scale,
  );
  // Every Ritz value is reported with its residual and whether it converged. Only converged
  // ones, and the smallest (by interlacing an upper bound on λmin, so a negative one proves
  // a descent direction even before convergence), are the verdict's evidence.
  const hessian: HessianSummary = {
    eigenvalues: result.values,
    complete: false,
    residuals: result.residuals,
    converged,
    // Probes of its own, deflated by the verdict's basis (a density may offer a surer one).
    trace: deflatedTrace(
      multiply,
      p,
      result.run.basis,
      result.run.alpha.reduce((sum, a) => sum + a, 0),
    ),
  };
  const evidence = result.values.filter((_, i) => i === 0 || converged[i]);
  // The index: Lanczos finds the extremes only; the inertia of the dense Hessian counts
  // every eigenvalue below, within and above the zero band, while that is affordable.
  let counts: Inertia | undefined;
  const work = 6 * objective.samples * p * p + (2 * p * p * p) / 3;
  if (critical && work <= INERTIA_WORK_LIMIT) {
    const matrix = objective.hessian(theta);
    symmetrize(matrix, p);
    counts = inertiaAroundZero(matrix, p, zeroBand(scale));
  }
  return {
    hessian,
    evidence,
    denseHessian: null,
    counts,
    smallestConverged: converged[0],
    lanczos: result.run,
  };
}

/**
 * λmin and λmax of the dense Hessian at θ, each 0 when it lies within `tolerance` of 0
 * relative to the largest |λ| there; null when the Hessian is not finite.
 */
export function extremeEigenvalues(
  objective: Objective,
  theta: Float64Array,
  tolerance: number,
): { least: number; greatest: number } | null {
  const p = objective.parameterCount;
  const matrix = objective.hessian(theta);
  symmetrize(matrix, p);
  try {
    const values = symmetricEigenvalues(matrix, p);
    const scale = Math.max(Math.abs(values[0]), Math.abs(values[p - 1]));
    const band = (value: number) => (Math.abs(value) <= tolerance * scale ? 0 : value);
    return { least: band(values[0]), greatest: band(values[p - 1]) };
  } catch (error) {
    if (error instanceof NonFiniteMatrixError) return null;
    throw error;
  }
}

/**
 * Li et al.'s (2018) non-convexity ratio |λmin/λmax| at a point: near 0 where the loss is
 * nearly convex, large where it curves down nearly as much as up; null where λmax is 0 or the
 * Hessian is not finite.
 */
export function nonConvexityRatio(
  extremes: { least: number; greatest: number } | null,
): number | null {
  if (!extremes || extremes.greatest === 0) return null;
  return Math.abs(extremes.least / extremes.greatest);
}

/** A critical point with zero eigenvalues and no negative one: higher orders must decide. */
function hasUnexplainedZeros(verdict: Verdict): boolean {
  return verdict.method === 'exact' && verdict.index === 0 && (verdict.nullity ?? 0) > 0;
}

/** Largest flop count spent on the index above the exact limit (about 20–30 s here). */
const INERTIA_WORK_LIMIT = 3e10;

/**
 * The spectrum's method for this point: as the file asks, except that a point that is not
 * critical gets a few Lanczos steps instead of a large dense Hessian under "auto" — its
 * spectrum informs, the verdict does not depend on it.
 */
function spectrumMethod(
  analysis: AnalysisSpec,
  parameterCount: number,
  critical: boolean,
): 'exact' | 'lanczos' | 'off' {
  const method = hessianMethod(analysis, parameterCount);
  return method === 'exact' &&
    !critical &&
    analysis.hessian === 'auto' &&
    parameterCount > NOT_CRITICAL_EXACT_LIMIT
    ? 'lanczos'
    : method;
}

/** Lanczos steps for the spectrum of a point that is not critical. */
export const NOT_CRITICAL_LANCZOS_STEPS = 30;
/** Under "auto", a point that is not critical gets its dense Hessian up to this many parameters. */
const NOT_CRITICAL_EXACT_LIMIT = 500;

export function hessianMethod(
  analysis: AnalysisSpec,
  parameterCount: number,
): 'exact' | 'lanczos' | 'off' {
  if (analysis.hessian === 'auto')
    return parameterCount <= analysis.exactLimit ? 'exact' : 'lanczos';
  return analysis.hessian;
}
