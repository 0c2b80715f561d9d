// The kinds of 2-D landscape plane, one table, each entry the whole kind: which keys of a
// plane entry it reads, what it checks of them, which point it is centred on, what its
// centre's training must keep, how it finds its axes, and the description the schema shows
// in the editor. Adding a kind is adding its name to PLANE_DIRECTIONS (src/protocol/result.ts)
// and an entry here (and its test in test/engine/slicePlans.test.ts); `npm run build:schema`
// then lists it.
import type { JsonPath } from '../../protocol/problems';
import type { PlaneDirection, PlaneSlice } from '../../protocol/result';
import type { PlaneSpec } from '../vocabulary';
import { symmetrize } from '../linalg/eigen';
import type { FilterLayout } from '../model/filters';
import type { Objective } from '../model/objective';
import { Random } from '../rng';
import {
  filterNormalizedDirection,
  hessianPlaneAxes,
  lanczosPlaneAxes,
  planeThroughPoints,
  projectOntoPlane,
  trajectoryAxes,
  widenedPlaneRange,
  type Plane,
} from './sliceGeometry';

/** What a plane is asked to go through, and what it may use to find its axes. */
export interface PlaneRequest {
  slice: PlaneSpec;
  /** The centre's id (`centerOf`, or the first run or point) and its θ. */
  id: string;
  center: Float64Array;
  /** θ along the center's training, for trajectory planes. */
  snapshots?: { epoch: number; theta: Float64Array }[];
  /** θ of the runs and points in `through`, the center first. */
  through: Float64Array[] | null;
  parameterNames: string[];
  /** [low, high] of parameter `index` over the runs, points and paths, with a margin. */
  fittedRange(index: number): [number, number];
  /** How random directions are filter-normalized (null: expression models). */
  filters: FilterLayout | null;
  /** Built on first use: only Hessian planes need the model. */
  objective: () => Objective;
  /** Parameters up to which the Hessian is dense (above: Lanczos). */
  exactLimit: number;
  /** The file's eigenvalue tolerance: a Ritz axis within it is an eigenvector. */
  eigenvalueTolerance: number;
}

/**
 * Parameters up to which a Hessian plane takes all eigenvectors of the dense Hessian (exact,
 * and the same values the verdict reports); beyond, its full decomposition (9P³) costs more
 * than the Lanczos route's HESSIAN_AXES_STEPS products.
 */
export const DENSE_AXES_LIMIT = 200;

export interface PlaneAxes {
  plane: Plane;
  /** Where the points the view should hold fall on the plane (they fit the default span). */
  fitted: { x: number; y: number }[];
  /** What the result records of the kind besides the grid. */
  extra: Pick<PlaneSlice, 'eigenvalues' | 'path' | 'explainedVariance' | 'through' | 'axes'>;
  /** The grid's extent when the kind fixes it (parameter planes); else symmetric, from `span`. */
  range?: { x: [number, number]; y: [number, number] };
}

/** The keys of a plane entry that only some kinds read. */
export type KindKey = 'through' | 'axes' | 'range';

/** What a kind's check knows of the file. */
export interface PlaneCheckContext {
  runs: number;
  points: number;
  /** Whether an id names a named point (not a run). */
  isPoint(id: string): boolean;
  /** How many parameters the model has. */
  parameters: number;
}

/** A problem of a plane entry, at a path inside the entry (an empty path: the entry). */
export interface PlaneProblem {
  path: JsonPath;
  message: string;
}

export interface PlaneDirectionDefinition {
  /** What the schema says of the name (hover and completion text in the editor). */
  description: string;
  /** The kind-specific keys it reads; the others are a warning when given (they do nothing). */
  keys: readonly KindKey[];
  /** Snapshots of θ its centre's training must keep (a trajectory's axes are its path's). */
  centerSnapshots: number;
  /** The id it is centred on, when the entry decides it (null: `center`, else the first). */
  centerOf(slice: PlaneSpec): string | null;
  /** What is wrong with an entry of this kind beyond the schema and the ids it names. */
  check(slice: PlaneSpec, file: PlaneCheckContext): PlaneProblem[];
  axes(request: PlaneRequest): PlaneAxes;
}

/** Snapshots a trajectory plane's run keeps: its axes are their principal components. */
export const TRAJECTORY_SNAPSHOTS = 200;

/** A plane centred on `center`, or on the first run or point: there must be one. */
const centered: Pick<PlaneDirectionDefinition, 'centerOf' | 'check'> = {
  centerOf: (slice) => slice.center,
  check: (slice, file) =>
    slice.center === null && file.runs === 0 && file.points === 0
      ? [
          {
            path: [],
            message: 'the plane needs a "center", and there is no run or point to default to',
          },
        ]
      : [],
};

export const PLANE_DIRECTION_DEFINITIONS: Record<PlaneDirection, PlaneDirectionDefinition> = {
  random: {
    description:
      "Two seeded random directions, filter-normalized (each unit's slice scaled to the norm of that unit's weights).",
    keys: [],
    centerSnapshots: 0,
    ...centered,
    axes({ center, filters, slice: { seed, includeBias } }) {
      const random = new Random(seed);
      const x = filterNormalizedDirection(filters, center, random, includeBias);
      const y = filterNormalizedDirection(filters, center, random, includeBias);
      return { plane: { center, x, y }, fitted: [], extra: {} };
    },
  },
  hessian: {
    description:
      'Unit eigenvectors of the most negative (x) and most positive (y) Hessian eigenvalue at `center`.',
    keys: [],
    centerSnapshots: 0,
    ...centered,
    axes({ center, objective: build, exactLimit, eigenvalueTolerance }) {
      const objective = build();
      const p = objective.parameterCount;
      if (p <= Math.min(exactLimit, DENSE_AXES_LIMIT)) {
        const hessian = objective.hessian(center);
        symmetrize(hessian, p);
        const axes = hessianPlaneAxes(hessian, p);
        return {
          plane: { center, x: axes.x, y: axes.y },
          fitted: [],
          extra: { eigenvalues: { x: axes.lambdaMin, y: axes.lambdaMax } },
        };
      }
      // Two eigenvectors of P do not need all P: Ritz vectors of the extremes, from products.
      const axes = lanczosPlaneAxes(
        (v, out) => objective.hessianVectorProduct(center, v, out),
        p,
        eigenvalueTolerance,
      );
      return {
        plane: { center, x: axes.x, y: axes.y },
        fitted: [],
        extra: {
          eigenvalues: {
            x: axes.lambdaMin,
            y: axes.lambdaMax,
            residuals: axes.residuals,
            converged: axes.converged,
          },
        },
      };
    },
  },
  points: {
    description:
      'The plane through the points in `through`, centred on the first: three points, or two and a seeded random direction.',
    keys: ['through'],
    centerSnapshots: 0,
    centerOf: (slice) => slice.through?.[0] ?? null,
    check: (slice) =>
      slice.through
        ? []
        : [
            {
              path: [],
              message: 'directions "points" needs "through": two or three runs or points',
            },
          ],
    axes({ through, filters, slice }) {
      const { seed, includeBias } = slice;
      const [a, b] = through!;
      // Two points span a line; a random direction (filter-normalized at a) completes the plane.
      const c =
        through![2] ??
        (() => {
          const d = filterNormalizedDirection(filters, a, new Random(seed), includeBias);
          return Float64Array.from(a, (v, i) => v + d[i]);
        })();
      const plane = planeThroughPoints(a, b, c);
      const fitted = through!.map((point) => projectOntoPlane(plane, point));
      return { plane, fitted, extra: { through: slice.through! } };
    },
  },
  trajectory: {
    description: "The first two principal components of a run's optimizer path.",
    keys: [],
    centerSnapshots: TRAJECTORY_SNAPSHOTS,
    centerOf: centered.centerOf,
    check: (slice, file) => [
      ...centered.check(slice, file),
      ...(slice.center !== null && file.isPoint(slice.center)
        ? [
            {
              path: ['center'],
              message:
                'a trajectory plane needs a trained run as center (named points have no optimizer path)',
            },
          ]
        : []),
    ],
    axes({ id, center, snapshots }) {
      if (!snapshots || snapshots.length < 3)
        throw new Error(`${id} has no recorded path (trajectory planes need a trained run)`);
      const axes = trajectoryAxes(
        snapshots.map((s) => s.theta),
        center,
      );
      const plane = { center, x: axes.x, y: axes.y };
      const projected = snapshots.map((s) => projectOntoPlane(plane, s.theta));
      return {
        plane,
        fitted: projected,
        extra: {
          explainedVariance: axes.explained,
          path: {
            epoch: snapshots.map((s) => s.epoch),
            x: projected.map((q) => q.x),
            y: projected.map((q) => q.y),
            distance: projected.map((q) => q.distance),
          },
        },
      };
    },
  },
  parameters: {
    description:
      "The plane of two of the model's own parameters (`axes`), the others held where `center` has them; the axes show the parameters' values.",
    keys: ['axes', 'range'],
    centerSnapshots: 0,
    centerOf: centered.centerOf,
    check: (slice, file) => [
      ...centered.check(slice, file),
      ...(file.parameters < 2
        ? [
            {
              path: [],
              message:
                'a parameter plane needs two parameters, and the model has one: use {"type": "axis"}',
            },
          ]
        : slice.axes && slice.axes[0] === slice.axes[1]
          ? [
              {
                path: ['axes'],
                message: `the two axes are the same parameter, '${slice.axes[0]}'`,
              },
            ]
          : []),
    ],
    axes({ center, slice, parameterNames, fittedRange }) {
      const names = slice.axes ?? [parameterNames[0], parameterNames[1]];
      const [i, j] = names.map((name) => parameterNames.indexOf(name));
      if (i < 0 || j < 0 || i === j)
        throw new Error(`a parameter plane needs two parameters of the model, got ${names}`);
      const range = slice.range ?? widenedPlaneRange(fittedRange(i), fittedRange(j));
      // Centred on the origin of the two axes, so that a grid coordinate is the parameter's value.
      const origin = Float64Array.from(center);
      origin[i] = 0;
      origin[j] = 0;
      const x = new Float64Array(center.length);
      const y = new Float64Array(center.length);
      x[i] = 1;
      y[j] = 1;
      return {
        plane: { center: origin, x, y },
        fitted: [],
        extra: { axes: { x: names[0], y: names[1] } },
        range,
      };
    },
  },
};
