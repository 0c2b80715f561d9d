// Did training bring a run near a critical point? Refinement (Newton-MR) is for runs that
// training has nearly brought there: it finishes the last stretch. A run still descending
// is judged where it stopped, with a reason a user can act on, and a refinement is bounded —
// by a work budget, and by a trust radius beyond which the critical point it reaches is
// another point, reached *from* the run, not the run's own.
import type { LossCurve, RunRefinement } from '../../protocol/result';
import type { Objective } from '../model/objective';
import type { AnalysisSpec } from '../vocabulary';
import { analyzePoint, type PointContext, type VerdictNotes } from './analyzePoint';
import { refineToCriticalPoint } from './refine';

/** ‖∇L‖ at or below this fraction of the loss unit counts as near a critical point. */
export const NEAR_CRITICAL = 1e-4;
/** Training has settled when the loss fell by less than this fraction over its last tenth. */
export const SETTLED_DESCENT = 1e-3;
/** The share of training, at its end, over which the descent is measured. */
const TREND_WINDOW = 0.1;
/** A refinement may move a run at most this fraction of ‖θ‖ (and at least this absolute). */
export const TRUST_RADIUS_FRACTION = 0.1;
/** Refinement's budget: at least this many Hessian-vector products … */
export const MIN_REFINE_PRODUCTS = 200;
/** … and otherwise one per gradient training computed: an HVP costs about two gradients. */
export const GRADIENTS_PER_PRODUCT = 1;

export interface TrainingEvidence {
  /** ‖∇L‖ where training stopped. */
  gradientNorm: number;
  epochs: number;
  curve: LossCurve;
  /** The problem's loss unit (the zero predictor's loss). */
  lossScale: number;
  /** ‖∇L‖ at or below this is critical (absolute). */
  gradientTolerance: number;
}

export type RefinementDecision = { refine: true } | { refine: false; reason: string };

/** How much the loss fell over the last tenth of training, relative to where it stopped. */
export function recentDescent(
  curve: LossCurve,
  epochs: number,
): { fraction: number; from: number; to: number; over: number } {
  const last = curve.loss.length - 1;
  if (last < 1 || epochs < 1) return { fraction: 0, from: NaN, to: NaN, over: 0 };
  const from = epochs - Math.max(1, Math.round(TREND_WINDOW * epochs));
  // The recorded point closest to the start of the window, at or before it.
  let k = 0;
  while (k + 1 < last && curve.epoch[k + 1] <= from) k++;
  const before = curve.loss[k];
  const end = curve.loss[last];
  const level = Math.max(Math.abs(end), Number.MIN_VALUE);
  return {
    fraction: (before - end) / level,
    from: before,
    to: end,
    over: curve.epoch[last] - curve.epoch[k],
  };
}

export function refinementDecision(evidence: TrainingEvidence): RefinementDecision {
  const { gradientNorm, epochs, curve, lossScale, gradientTolerance } = evidence;
  if (gradientNorm <= gradientTolerance) return { refine: true };
  if (gradientNorm <= NEAR_CRITICAL * lossScale) return { refine: true };
  const descent = recentDescent(curve, epochs);
  // Settled: the loss barely moved, relative to where it is or to the problem's loss unit.
  const fell = descent.from - descent.to;
  if (descent.fraction < SETTLED_DESCENT || fell <= SETTLED_DESCENT * NEAR_CRITICAL * lossScale)
    return { refine: true };
  return {
    refine: false,
    reason: `still descending: ‖∇L‖ = ${fmt(gradientNorm)} after ${epochs} epoch${epochs === 1 ? '' : 's'}, and the loss is still falling (from ${fmt(descent.from)} to ${fmt(descent.to)} over the last ${descent.over} epoch${descent.over === 1 ? '' : 's'}): train longer (training.epochs) or with a larger learning rate`,
  };
}

/** How far a refinement may move a run and still be that run's critical point. */
export function trustRadius(theta: Float64Array): number {
  let squares = 0;
  for (let i = 0; i < theta.length; i++) squares += theta[i] * theta[i];
  return TRUST_RADIUS_FRACTION * Math.max(Math.sqrt(squares), 1);
}

/**
 * Hessian-vector products a refinement may spend: about twice the work of training (one HVP,
 * about two gradients, per gradient training computed), and never fewer than
 * MIN_REFINE_PRODUCTS, which a model with a handful of parameters may need at a plateau.
 */
export function refinementBudget(trainingGradients: number): number {
  return Math.max(MIN_REFINE_PRODUCTS, Math.ceil(trainingGradients / GRADIENTS_PER_PRODUCT));
}

/** Three significant digits: 0.0185, 1.5, 6.93e-9. */
function fmt(x: number): string {
  if (x === 0) return '0';
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5
    ? Number(x.toPrecision(3)).toString()
    : x.toExponential(2).replace(/\.?0+e/, 'e');
}

export interface TrainedEndpoint {
  theta: Float64Array;
  loss: number;
  gradientNorm: number;
  epochs: number;
  curve: LossCurve;
  /** Gradients training computed (full-batch equivalents): what its work is measured in. */
  gradients: number;
}

export interface RefinedRun {
  /** Where the run is judged: refined when accepted, else where training left it. */
  parameters: Float64Array;
  refinement: RunRefinement;
  notes: VerdictNotes;
}

/**
 * Refines a trained run to the critical point it was heading for, within the trust radius
 * and the work budget — or says why not, in the notes its verdict will carry.
 */
export function refineTrainedRun(
  objective: Objective,
  run: TrainedEndpoint,
  analysis: AnalysisSpec,
  context: PointContext,
): RefinedRun {
  const tolerance = analysis.tolerance.gradient * context.lossScale;
  const radius = trustRadius(run.theta);
  const budget = refinementBudget(run.gradients);
  const unmoved = {
    iterations: 0,
    distance: 0,
    lossBefore: run.loss,
    lossAfter: run.loss,
    gradientNormBefore: run.gradientNorm,
    gradientNormAfter: run.gradientNorm,
    accepted: false,
    trustRadius: radius,
    budget: { hessianVectorProducts: budget, used: 0 },
  };
  const decision = decisionFor(run, context.lossScale, tolerance);
  if (!decision.refine)
    return {
      parameters: run.theta,
      refinement: { status: 'skipped', ...unmoved },
      notes: { whyNotCritical: decision.reason, cause: 'still-descending' },
    };
  const refined = refineToCriticalPoint(objective, run.theta, {
    gradientTolerance: tolerance,
    maxProducts: budget,
  });
  const { status, iterations, distance, lossBefore, lossAfter, products, flatness } = refined;
  const refinement: RunRefinement = {
    status,
    iterations,
    distance,
    lossBefore,
    lossAfter,
    gradientNormBefore: refined.gradientNormBefore,
    gradientNormAfter: refined.gradientNormAfter,
    ...(status === 'converged' ? {} : { flatness }),
    accepted: false,
    trustRadius: radius,
    budget: { hessianVectorProducts: budget, used: products },
  };
  const within = refined.distance <= radius;
  if (within && (refined.status === 'converged' || refined.status === 'gradient-flat'))
    return {
      parameters: refined.theta,
      refinement: { ...refinement, accepted: true },
      notes: refined.status === 'gradient-flat' ? { gradientFlatness: flatness } : {},
    };
  if (refined.status === 'converged') {
    // A critical point, but not this run's: judge it, and name it as reached from here.
    const there = analyzePoint(objective, refined.theta, analysis, context);
    const reached = {
      loss: there.loss,
      gradientNorm: there.gradientNorm,
      distance: refined.distance,
      verdict: there.verdict.kind,
      index: there.verdict.index,
    };
    return {
      parameters: run.theta,
      refinement: { ...refinement, reached },
      notes: {
        cause: 'plateau',
        whyNotCritical: `plateau: ${settled(run)}, but ‖∇L‖ = ${fmt(run.gradientNorm)} is above the tolerance ${fmt(tolerance)}: not a critical point. Newton-MR from here reaches a ${reached.verdict} ${fmt(reached.distance)} away (loss ${fmt(reached.loss)}), beyond the trust radius ${fmt(radius)}: another point, not where this run stopped`,
      },
    };
  }
  if (refined.status === 'budget')
    return {
      parameters: run.theta,
      refinement,
      notes: {
        cause: 'plateau',
        whyNotCritical: `plateau: ${settled(run)}, but ‖∇L‖ = ${fmt(run.gradientNorm)} is above the tolerance ${fmt(tolerance)}: not a critical point, and refinement spent its budget of ${budget} Hessian-vector products (about twice the work of training) without reaching one: train longer`,
      },
    };
  return {
    parameters: run.theta,
    refinement,
    notes: {
      cause: 'plateau',
      whyNotCritical: `plateau: ${settled(run)}, but ‖∇L‖ = ${fmt(run.gradientNorm)} is above the tolerance ${fmt(tolerance)}: not a critical point, and Newton-MR from here ${refined.status === 'stalled' ? 'stalled' : `did not converge in ${refined.iterations} iterations`}`,
    },
  };
}

/** The refinement decision for a trained run, from its own evidence. */
function decisionFor(
  run: Pick<TrainedEndpoint, 'gradientNorm' | 'epochs' | 'curve'>,
  lossScale: number,
  gradientTolerance: number,
): RefinementDecision {
  const { gradientNorm, epochs, curve } = run;
  return refinementDecision({ gradientNorm, epochs, curve, lossScale, gradientTolerance });
}

/** How little the loss moved at the end of training, in words. */
function settled(run: { curve: LossCurve; epochs: number }): string {
  const descent = recentDescent(run.curve, run.epochs);
  if (!(descent.over > 0)) return 'the loss has settled';
  const over = `over the last ${descent.over} epoch${descent.over === 1 ? '' : 's'}`;
  // A loss that rose (steps too large to settle) has stopped falling, not settled.
  return descent.to > descent.from
    ? `the loss has stopped falling (it rose from ${fmt(descent.from)} to ${fmt(descent.to)} ${over})`
    : `the loss has settled (from ${fmt(descent.from)} to ${fmt(descent.to)} ${over})`;
}

/**
 * Why a run judged where training left it (analysis.refine off) is not critical: the loss
 * still falling, or settled short of a critical point.
 */
export function unrefinedNotes(
  run: Omit<TrainedEndpoint, 'gradients'>,
  analysis: AnalysisSpec,
  context: PointContext,
): VerdictNotes {
  const tolerance = analysis.tolerance.gradient * context.lossScale;
  if (run.gradientNorm <= tolerance) return {};
  const decision = decisionFor(run, context.lossScale, tolerance);
  if (!decision.refine) return { cause: 'still-descending', whyNotCritical: decision.reason };
  return {
    cause: 'plateau',
    whyNotCritical: `plateau: ${settled(run)}, but ‖∇L‖ = ${fmt(run.gradientNorm)} is above the tolerance ${fmt(tolerance)}: not a critical point (analysis.refine is off, so no Newton step was tried)`,
  };
}
