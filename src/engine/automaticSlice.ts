// The landscape the engine draws when a file declares no slices: the one picture that answers
// the question the file poses, chosen from what the analysis found, at no more cost than the
// training and the verdicts it follows. The result says which and why, with the entry that pins it in the file.
import { planeThroughPoints } from '../core/analysis/sliceGeometry';
import type { SliceSpec } from '../core/vocabulary';
import type { AutomaticSlice, PlaneDirection, ResultClass } from '../protocol/result';
import { DENSE_AXES_LIMIT } from '../core/analysis/planes';
import { HESSIAN_AXES_STEPS } from '../core/analysis/sliceGeometry';
import type { AnalyzedPoint } from './jobs';
import { widenedPlaneRange } from '../core/analysis/sliceGeometry';
import { fittedRange } from './slicePlans';

/** Grid points of an automatic line along one parameter. */
export const AXIS_STEPS = 201;
/** Grid points per axis of an automatic plane: at most, and at least when training was short. */
export const MAX_PLANE_RESOLUTION = 41;
export const MIN_PLANE_RESOLUTION = 11;
/** Multiply-adds of a grid so small that its cost does not matter (well under a second). */
const NEGLIGIBLE_GRID_WORK = 1e8;
/** Whole-dataset losses a gradient costs, about (its backward pass is twice the forward). */
export const LOSSES_PER_GRADIENT = 3;
/** Whole-dataset losses a Hessian-vector product costs, about (two gradients' worth). */
export const LOSSES_PER_PRODUCT = 6;

export interface AutomaticChoice {
  slice: SliceSpec;
  automatic: AutomaticSlice;
}

export interface AutomaticInput {
  parameterNames: string[];
  samples: number;
  /** Runs and named points, in the result's order (runs first). */
  points: AnalyzedPoint[];
  saddles: AnalyzedPoint[];
  classes: ResultClass[];
  /** Full-batch gradients training computed, over all runs: the cost the grid must not exceed. */
  trainingGradients: number;
  /** Hessian-vector products the verdicts took (a dense Hessian counting as P), the same bound. */
  verdictProducts: number;
  /** Whether the file lets Hessians be computed at all (analysis.hessian not "off"). */
  hessians: boolean;
  exactLimit: number;
}

/** Operations of λmin on a whole grid small enough to compute it unasked (well under a second). */
const NEGLIGIBLE_CURVATURE_WORK = 1e8;

/**
 * Whether an automatic slice of `gridPoints` also gets its curvature: a dense Hessian
 * (about 6·N·P² operations) and its eigenvalues (about 4P³/3) at every grid point.
 */
export function automaticCurvature(input: AutomaticInput, gridPoints: number): boolean {
  const p = input.parameterNames.length;
  const work = gridPoints * (6 * input.samples * p * p + (4 * p * p * p) / 3);
  // Dense Hessians only where the file allows them: Hessians on, and P within the exact limit.
  const dense = input.hessians && p <= input.exactLimit;
  return dense && work <= NEGLIGIBLE_CURVATURE_WORK;
}

/**
 * What the automatic slice may cost, in whole-dataset loss evaluations: as much as the
 * training and the verdicts took together, or a grid too small to matter, whichever is more.
 */
export function automaticBudget(input: AutomaticInput): number {
  const lossWork = input.samples * input.parameterNames.length;
  return Math.max(
    NEGLIGIBLE_GRID_WORK / Math.max(1, lossWork),
    LOSSES_PER_GRADIENT * input.trainingGradients + LOSSES_PER_PRODUCT * input.verdictProducts,
  );
}

/**
 * Hessian-vector products a plane of this kind takes to find its axes (a dense Hessian
 * counting as P, as the verdicts' count does), and the losses its decomposition is worth.
 */
export function directionCost(
  directions: PlaneDirection,
  input: Pick<AutomaticInput, 'parameterNames' | 'samples' | 'exactLimit'>,
): { products: number; losses: number } {
  if (directions !== 'hessian') return { products: 0, losses: 0 };
  const p = input.parameterNames.length;
  if (p <= Math.min(input.exactLimit, DENSE_AXES_LIMIT)) {
    // All P eigenvectors: about 9P³ operations, a loss being about N·P.
    const decomposition = (9 * p * p) / Math.max(1, input.samples);
    return { products: p, losses: LOSSES_PER_PRODUCT * p + decomposition };
  }
  const products = Math.min(p, HESSIAN_AXES_STEPS);
  return { products, losses: LOSSES_PER_PRODUCT * products };
}

/**
 * Grid points per axis of an automatic plane: as many as the budget leaves after its
 * directions (41 at most), and never fewer than 11 (the smallest picture worth drawing).
 */
export function automaticResolution(input: AutomaticInput, directionLosses = 0): number {
  const affordable = Math.floor(Math.sqrt(Math.max(0, automaticBudget(input) - directionLosses)));
  return Math.max(MIN_PLANE_RESOLUTION, Math.min(MAX_PLANE_RESOLUTION, affordable));
}

/** The slice to draw for a file that declares none, or null when there is nothing to centre it on. */
export function chooseAutomaticSlice(input: AutomaticInput): AutomaticChoice | null {
  const { parameterNames, points, saddles, classes } = input;
  const located = new Map([...points, ...saddles].map((point) => [point.id, point]));
  if (located.size === 0) return null;
  const p = parameterNames.length;
  const budget = Math.round(automaticBudget(input));
  // The curvature comes along when it is cheap, and the pinned entry then asks for it too.
  const choose = (
    slice: SliceSpec,
    pinned: Record<string, unknown>,
    reason: string,
  ): AutomaticChoice => {
    const gridLosses = slice.type === 'plane' ? slice.resolution ** 2 : AXIS_STEPS;
    const curvature = automaticCurvature(input, gridLosses);
    const directionProducts =
      slice.type === 'plane' ? directionCost(slice.directions, input).products : 0;
    return {
      slice: { ...slice, curvature },
      automatic: {
        reason,
        spec: curvature ? { ...pinned, curvature } : pinned,
        estimate: { gridLosses, directionProducts, budget },
      },
    };
  };

  if (p === 1) {
    const range = fittedRange(located, 0);
    return choose(
      {
        type: 'axis',
        parameter: parameterNames[0],
        center: null,
        range,
        steps: AXIS_STEPS,
        curvature: false,
      },
      { type: 'axis', parameter: parameterNames[0], range, steps: AXIS_STEPS },
      `the model has one parameter, ${parameterNames[0]}: the whole landscape is the loss along it, over every run, point and training path`,
    );
  }
  type PlaneFields = Partial<Extract<SliceSpec, { type: 'plane' }>> & {
    directions: PlaneDirection;
  };
  // The plane, and the entry that pins it: the same fields, and the resolution its kind's
  // budget gave (one computation for both).
  const choosePlane = (fields: PlaneFields, reason: string): AutomaticChoice => {
    const resolution = automaticResolution(input, directionCost(fields.directions, input).losses);
    const slice = {
      type: 'plane',
      center: null,
      through: null,
      axes: null,
      range: null,
      span: null,
      seed: 0,
      includeBias: false,
      resolution,
      curvature: false,
      ...fields,
    } as SliceSpec;
    return choose(slice, { type: 'plane', ...fields, resolution }, reason);
  };
  if (p === 2) {
    const axes: [string, string] = [parameterNames[0], parameterNames[1]];
    const range = widenedPlaneRange(fittedRange(located, 0), fittedRange(located, 1));
    return choosePlane(
      { directions: 'parameters', axes, range },
      `the model has two parameters, ${axes.join(' and ')}: the whole landscape is their plane, in the model's own coordinates`,
    );
  }
  // A path's highest point refined to what stands between the twins: a saddle, or a
  // degenerate critical point (refinement can also land on a minimum: then there is none).
  const saddle = saddles.find(
    (s) =>
      s.origin.kind === 'path' && (s.verdict.kind === 'saddle' || s.verdict.kind === 'degenerate'),
  );
  if (saddle && saddle.origin.kind === 'path') {
    const through = [...saddle.origin.between, saddle.id];
    return choosePlane(
      { directions: 'points', through },
      `${saddle.origin.between.join(' and ')} are the same network up to a permutation of hidden units, and ${saddle.id} is the ${saddle.verdict.kind === 'saddle' ? 'saddle' : 'degenerate critical point'} between them: the plane through all three shows what stands between the twins`,
    );
  }
  const lowest = [...classes].sort((a, b) => a.loss - b.loss).slice(0, 3);
  if (lowest.length >= 2) {
    const through = spanningPoints(
      lowest.map((c) => c.representative),
      located,
    );
    const count = through.length === 3 ? 'three' : 'two';
    return choosePlane(
      { directions: 'points', through },
      `the runs and points end in ${classes.length} different networks: the plane through the representatives of the ${count} with the lowest loss shows them side by side` +
        (through.length === 2 ? ' (the second axis is a seeded random direction)' : ''),
    );
  }
  const best = [...points].sort((a, b) => a.loss - b.loss)[0] ?? saddles[0];
  if (!input.hessians)
    return choosePlane(
      { directions: 'random', center: best.id },
      `every run and point is the same network up to its symmetries, and the file turns Hessians off: a seeded random filter-normalized plane at ${best.id} (the lowest loss) shows how it sits in the landscape`,
    );
  return choosePlane(
    { directions: 'hessian', center: best.id },
    `every run and point is the same network up to its symmetries: the plane at ${best.id} (the lowest loss) along its Hessian's most negative and most positive curvature shows how it sits in the landscape`,
  );
}

/** The ids, or the first two when the three lie on one line (a plane needs two directions). */
function spanningPoints(ids: string[], located: Map<string, AnalyzedPoint>): string[] {
  if (ids.length < 3) return ids;
  try {
    const [a, b, c] = ids.map((id) => located.get(id)!.parameters);
    planeThroughPoints(a, b, c);
    return ids;
  } catch {
    return ids.slice(0, 2);
  }
}
