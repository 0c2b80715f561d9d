// The kinds of 2-D landscape plane, one table: how each chooses its axes, and the description
// the schema shows in the editor. Adding a kind is adding its name to PLANE_DIRECTIONS
// (src/protocol/result.ts) and an entry here; `npm run build:schema` then lists it.
import type { PlaneDirection, PlaneSlice } from '../../protocol/result';
import { symmetrize } from '../linalg/eigen';
import { lanczosExtremes } from '../linalg/lanczos';
import type { MlpArchitecture } from '../model/architecture';
import type { Objective } from '../model/objective';
import { Random } from '../rng';
import {
  filterNormalizedDirection,
  hessianPlaneAxes,
  planeThroughPoints,
  projectOntoPlane,
  trajectoryAxes,
  type Plane,
} from './sliceGeometry';

/** What a plane is asked to go through, and what it may use to find its axes. */
export interface PlaneRequest {
  id: string;
  center: Float64Array;
  /** θ along the center's training, for trajectory planes. */
  snapshots?: { epoch: number; theta: Float64Array }[];
  /** The two or three points of a "points" plane, the center first. */
  through: Float64Array[] | null;
  /** Parameter planes: the indices of the two parameters, and the grid's extent on each. */
  parameterAxes?: { x: number; y: number; range: { x: [number, number]; y: [number, number] } };
  architecture: MlpArchitecture | null;
  seed: number;
  includeBias: boolean;
  /** Built on first use: only Hessian planes need the model. */
  objective: () => Objective;
  /** Parameters up to which the Hessian is dense (above: Lanczos). */
  exactLimit: number;
}

export interface PlaneAxes {
  plane: Plane;
  /** Where the points the view should hold fall on the plane (they fit the default span). */
  fitted: { x: number; y: number }[];
  /** What the result records of the axes besides the grid. */
  extra: Pick<PlaneSlice, 'eigenvalues' | 'path' | 'explainedVariance'>;
  /** The grid's extent when the kind fixes it (parameter planes); else symmetric, from `span`. */
  range?: { x: [number, number]; y: [number, number] };
}

export interface PlaneDirectionDefinition {
  /** What the schema says of the name (hover and completion text in the editor). */
  description: string;
  axes(request: PlaneRequest): PlaneAxes;
}

export const PLANE_DIRECTION_DEFINITIONS: Record<PlaneDirection, PlaneDirectionDefinition> = {
  random: {
    description:
      "Two seeded random directions, filter-normalized (each unit's slice scaled to the norm of that unit's weights).",
    axes({ center, architecture, seed, includeBias }) {
      const random = new Random(seed);
      const x = filterNormalizedDirection(architecture, center, random, includeBias);
      const y = filterNormalizedDirection(architecture, center, random, includeBias);
      return { plane: { center, x, y }, fitted: [], extra: {} };
    },
  },
  hessian: {
    description:
      'Unit eigenvectors of the most negative (x) and most positive (y) Hessian eigenvalue at `center`.',
    axes({ center, objective: build, exactLimit }) {
      const objective = build();
      const p = objective.parameterCount;
      if (p <= exactLimit) {
        const hessian = objective.hessian(center);
        symmetrize(hessian, p);
        const axes = hessianPlaneAxes(hessian, p);
        return {
          plane: { center, x: axes.x, y: axes.y },
          fitted: [],
          extra: { eigenvalues: { x: axes.lambdaMin, y: axes.lambdaMax } },
        };
      }
      // Too large for the dense Hessian: Ritz vectors of the extreme eigenvalues (Lanczos).
      const result = lanczosExtremes(
        (v, out) => objective.hessianVectorProduct(center, v, out),
        p,
        { count: 1, maxIterations: 200 },
      );
      const last = result.values.length - 1;
      return {
        plane: { center, x: result.vectors(0), y: result.vectors(last) },
        fitted: [],
        extra: { eigenvalues: { x: result.values[0], y: result.values[last] } },
      };
    },
  },
  points: {
    description:
      'The plane through the points in `through`, centred on the first: three points, or two and a seeded random direction.',
    axes({ through, architecture, seed, includeBias }) {
      const [a, b] = through!;
      // Two points span a line; a random direction (filter-normalized at a) completes the plane.
      const c =
        through![2] ??
        (() => {
          const d = filterNormalizedDirection(architecture, a, new Random(seed), includeBias);
          return Float64Array.from(a, (v, i) => v + d[i]);
        })();
      const plane = planeThroughPoints(a, b, c);
      const fitted = through!.map((point) => projectOntoPlane(plane, point));
      return { plane, fitted, extra: {} };
    },
  },
  trajectory: {
    description: "The first two principal components of a run's optimizer path.",
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
    axes({ center, parameterAxes }) {
      const { x: i, y: j, range } = parameterAxes!;
      // Centred on the origin of the two axes, so that a grid coordinate is the parameter's value.
      const origin = Float64Array.from(center);
      origin[i] = 0;
      origin[j] = 0;
      const x = new Float64Array(center.length);
      const y = new Float64Array(center.length);
      x[i] = 1;
      y[j] = 1;
      return { plane: { center: origin, x, y }, fitted: [], extra: {}, range };
    },
  },
};
