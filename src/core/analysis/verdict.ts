// Decides what a point is from the evidence: the gradient norm and the Hessian spectrum.
// Tolerances are relative to the problem's scale and are returned with the verdict, so a
// reader can check it. A point whose gradient is above tolerance is never called a
// minimum or a saddle.
import type { NotCriticalCause, Verdict } from '../../protocol/result';
import type { RayEvidence } from './diverging';
import { plural } from '../../protocol/wording';
import type { ProbeResult } from './probe';
import type { FlatDirections } from './symmetries';

export interface VerdictEvidence {
  loss: number;
  gradientNorm: number;
  parameterCount: number;
  /** Ascending eigenvalues; null when the Hessian was not computed. */
  eigenvalues: number[] | null;
  /** True when `eigenvalues` is the whole spectrum (exact), false for Lanczos extremes. */
  complete: boolean;
  /** Counts of eigenvalues below, within and above the zero band (LDLᵀ inertia), when known. */
  inertia?: { negative: number; zero: number; positive: number };
  /** Set when refinement stopped at a gradient-flat point: ‖H∇L‖/(‖H‖‖∇L‖) there. */
  gradientFlatness?: number;
  /** Why the point is not critical, when its history says more than its gradient. */
  whyNotCritical?: string;
  /** What that history shows, in one word (the reason starts with it). */
  cause?: NotCriticalCause;
  /** Set when the loss keeps falling along the ray through θ: its infimum is at infinity. */
  diverging?: RayEvidence;
  /** False when the smallest eigenvalue is an unconverged Lanczos estimate (an upper bound). */
  smallestConverged?: boolean;
  /** Why there is no spectrum, when there is none. */
  noSpectrumReason?: string;
  /** The smallest value the loss can take (0 for mse without weight decay), if known. */
  lossLowerBound: number | null;
  /** The problem's loss unit (the zero predictor's loss); tolerances are relative to it. */
  lossScale: number;
}

export interface VerdictTolerances {
  /** Critical when ‖∇L‖ ≤ gradient · lossScale. */
  gradient: number;
  /** Zero when |λ| ≤ eigenvalue · max|λ| (or the gradient-induced bound, if larger). */
  eigenvalue: number;
}

/** A loss this close to its lower bound counts as attaining it. */
const LOWER_BOUND_TOLERANCE = 1e-12;

export function decideVerdict(evidence: VerdictEvidence, tolerances: VerdictTolerances): Verdict {
  const { loss, gradientNorm, eigenvalues } = evidence;
  const gradientTolerance = tolerances.gradient * evidence.lossScale;
  const method = eigenvalues === null ? 'none' : evidence.complete ? 'exact' : 'lanczos';
  const base = { method, tolerance: { gradient: gradientTolerance, eigenvalue: null } } as const;
  const notCritical = (reason: string, cause?: NotCriticalCause): Verdict => ({
    ...base,
    kind: 'not-critical',
    index: null,
    nullity: null,
    ...(cause ? { cause } : {}),
    reason,
  });

  if (!Number.isFinite(loss) || !Number.isFinite(gradientNorm)) {
    return notCritical('the loss or its gradient is not finite here');
  }
  if (evidence.diverging) {
    const { scales, losses } = evidence.diverging;
    const at = (s: number) => losses[scales.indexOf(s)];
    const small =
      gradientNorm <= gradientTolerance
        ? `; ‖∇L‖ = ${fmt(gradientNorm)} is below the tolerance ${fmt(gradientTolerance)} only because the loss flattens out towards that infimum`
        : ` (‖∇L‖ = ${fmt(gradientNorm)})`;
    return notCritical(
      `diverging: the loss keeps falling as ‖θ‖ grows without bound (L(θ) = ${fmt(at(1))}, L(2θ) = ${fmt(at(2))}, L(1024θ) = ${fmt(at(1024))}): its infimum lies at infinity, so there is no critical point here${small}`,
      'diverging',
    );
  }
  if (gradientNorm > gradientTolerance) {
    const cause =
      evidence.cause ?? (evidence.gradientFlatness !== undefined ? 'gradient-flat' : undefined);
    return notCritical(
      evidence.whyNotCritical !== undefined
        ? evidence.whyNotCritical
        : evidence.gradientFlatness !== undefined
          ? `gradient-flat: ‖∇L‖ = ${fmt(gradientNorm)} stays above the tolerance ${fmt(gradientTolerance)} while H·∇L ≈ 0 (‖H∇L‖/(‖H‖‖∇L‖) = ${fmt(evidence.gradientFlatness)}), so Newton steps cannot reduce the gradient here: not a critical point`
          : `‖∇L‖ = ${fmt(gradientNorm)} is above the tolerance ${fmt(gradientTolerance)}: not a critical point, so neither a minimum nor a saddle`,
      cause,
    );
  }
  if (eigenvalues === null || eigenvalues.length === 0) {
    return {
      ...base,
      kind: 'degenerate',
      index: null,
      nullity: null,
      reason: `a critical point (‖∇L‖ = ${fmt(gradientNorm)}), but ${evidence.noSpectrumReason ?? 'the Hessian was not computed'}, so its kind is undecided`,
    };
  }

  const scale = Math.max(...eigenvalues.map(Math.abs));
  // Off the critical point by ‖g‖, exact zero directions (symmetries) pick up curvature of
  // order ‖g‖; the threshold never goes below that.
  const zeroTolerance = Math.max(
    tolerances.eigenvalue * scale,
    10 * gradientNorm,
    Number.MIN_VALUE,
  );
  const lambdaMin = eigenvalues[0];
  const tolerance = { gradient: gradientTolerance, eigenvalue: zeroTolerance };
  const verdict = (
    kind: Verdict['kind'],
    index: number | null,
    nullity: number | null,
    reason: string,
  ): Verdict => ({ kind, index, nullity, method, tolerance, reason });
  const critical = `critical (‖∇L‖ = ${fmt(gradientNorm)})`;
  // Counts of negative, zero and positive eigenvalues: from the whole spectrum, or from the
  // inertia of the dense Hessian when Lanczos found only the extremes.
  const counts = evidence.complete
    ? {
        negative: eigenvalues.filter((v) => v < -zeroTolerance).length,
        zero: eigenvalues.filter((v) => Math.abs(v) <= zeroTolerance).length,
      }
    : evidence.inertia;

  if (!counts) {
    // Only the extremes are known: the index is unknown, but the signs at both ends decide.
    if (lambdaMin < -zeroTolerance)
      return verdict(
        'saddle',
        null,
        null,
        `${critical} with a negative eigenvalue λmin = ${fmt(lambdaMin)} (Lanczos): a descent direction exists`,
      );
    if (lambdaMin > zeroTolerance && evidence.smallestConverged === false)
      return verdict(
        'degenerate',
        null,
        null,
        `${critical}; Lanczos did not converge to the smallest eigenvalue (estimate ${fmt(lambdaMin)}), so the kind is undecided`,
      );
    if (lambdaMin > zeroTolerance)
      return verdict(
        'minimum',
        0,
        0,
        `${critical} and the smallest eigenvalue λmin = ${fmt(lambdaMin)} (Lanczos) is positive`,
      );
    return verdict(
      'degenerate',
      null,
      null,
      `${critical}, but the smallest eigenvalue found, ${fmt(lambdaMin)}, is within ${fmt(zeroTolerance)} of zero`,
    );
  }

  const p = evidence.complete ? eigenvalues.length : evidence.parameterCount;
  const { negative, zero } = counts;
  const positive = p - negative - zero;
  const source = evidence.complete
    ? `λmin = ${fmt(lambdaMin)}`
    : `counts from the LDLᵀ inertia of the dense Hessian, λmin = ${fmt(lambdaMin)} by Lanczos`;
  if (negative === 0 && zero === 0) {
    return verdict('minimum', 0, 0, `${critical} and ${allEigenvalues(p)} positive (${source})`);
  }
  if (negative === p) {
    return verdict(
      'maximum',
      p,
      0,
      `${critical} and ${allEigenvalues(p)} negative (${source}): every direction decreases the loss`,
    );
  }
  if (negative > 0 && positive > 0) {
    const zeros = zero > 0 ? ` and ${zero} zero` : '';
    const directions = negative === 1 ? 'one direction' : `${negative} directions`;
    return verdict(
      'saddle',
      negative,
      zero,
      `${critical} with ${negative} negative${zeros} of ${p} eigenvalues (${source}): the loss decreases along ${directions}`,
    );
  }
  if (
    negative === 0 &&
    evidence.lossLowerBound !== null &&
    loss - evidence.lossLowerBound <= LOWER_BOUND_TOLERANCE
  ) {
    return verdict(
      'minimum',
      0,
      zero,
      `${critical} at the smallest value the loss can take (L = ${fmt(loss)}, bound ${evidence.lossLowerBound}), so a global minimum; its ${plural(zero, 'zero eigenvalue')} ${zero === 1 ? 'is a direction' : 'are directions'} along a valley of equally good fits (${source})`,
    );
  }
  if (negative === 0) {
    return verdict(
      'degenerate',
      0,
      zero,
      `${critical}, no negative eigenvalue, but ${zero} of ${p} ${zero === 1 ? 'is' : 'are'} zero (|λ| ≤ ${fmt(zeroTolerance)}): higher-order terms decide between a minimum and a saddle`,
    );
  }
  return verdict(
    'degenerate',
    negative,
    zero,
    `${critical} with ${negative} negative and ${zero} zero eigenvalues and none positive: a maximum or a saddle, higher-order terms decide`,
  );
}

function fmt(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  return magnitude >= 1e-3 && magnitude < 1e4
    ? Number(value.toPrecision(4)).toString()
    : value.toExponential(2);
}

/**
 * A critical point with zero eigenvalues and no negative one, decided beyond second order:
 * a verified decrease along a zero direction makes it a saddle (index 0, method "probe");
 * zeros all explained by symmetries, with no decrease found, make it a minimum; otherwise it
 * stays degenerate. A minimum already proven by the loss's lower bound stays a minimum.
 */
export function resolveZeroCurvature(
  verdict: Verdict,
  probe: ProbeResult,
  flat: FlatDirections,
): Verdict {
  const nullity = verdict.nullity ?? 0;
  if (probe.descent) {
    const { order, t, drop } = probe.descent;
    return {
      ...verdict,
      kind: 'saddle',
      index: 0,
      method: 'probe',
      reason: `critical with no negative eigenvalue, but along a zero-curvature direction the loss falls like t${order === 3 ? '³' : '⁴'} (ΔL = ${fmt(drop)} at t = ${t}): a higher-order saddle`,
    };
  }
  const explained = flat.count > 0 ? `${flat.reasons.join(', ')}` : 'no symmetry';
  const probed = `probes along ${probe.directions} zero-curvature direction${probe.directions === 1 ? '' : 's'} find no decrease to fourth order`;
  if (flat.count === nullity) {
    return {
      ...verdict,
      kind: 'minimum',
      reason: `critical, no negative eigenvalue, and its ${nullity} zero eigenvalue${nullity === 1 ? ' is' : 's are'} the flat direction${nullity === 1 ? '' : 's'} of symmetries (${explained}); ${probed}`,
    };
  }
  if (verdict.kind === 'minimum') {
    return {
      ...verdict,
      reason: `${verdict.reason}. Symmetries predict ${flat.count} of the ${nullity} (${explained})`,
    };
  }
  return {
    ...verdict,
    kind: 'degenerate',
    reason: `critical, no negative eigenvalue, ${plural(nullity, 'zero eigenvalue')} of which symmetries explain ${flat.count} (${explained}); ${probed}: a minimum or a saddle of higher order`,
  };
}

/** "all 3 Hessian eigenvalues are", or "its one Hessian eigenvalue is" for one parameter. */
function allEigenvalues(count: number): string {
  return count === 1 ? 'its one Hessian eigenvalue is' : `all ${count} Hessian eigenvalues are`;
}
