// How far the 3-D view's camera stands so that the whole scene fits the panel, whatever its
// width: a narrow panel narrows the horizontal field of view, and a camera at a fixed
// distance then crops the surface's sides (a panel beside a chat is about 250 px wide).
import { FLOOR, HEIGHT } from './surfaceMesh';

export type Vec3 = [number, number, number];

/** The box every part of the scene lies in: the surface, its frame and its axis labels. */
export const SCENE_BOX: { min: Vec3; max: Vec3 } = {
  min: [-1.35, -1.35, FLOOR],
  max: [1.35, 1.35, HEIGHT + 0.2],
};

/** Room left around the scene, as a fraction of the distance. */
const MARGIN = 1.06;

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const unit = (a: Vec3): Vec3 => {
  const length = Math.hypot(...a);
  return [a[0] / length, a[1] / length, a[2] / length];
};

/**
 * The least distance from `target`, along `direction` (from the target to the camera), at
 * which a perspective camera with this vertical field of view and aspect (width / height)
 * sees every corner of `box`, with a small margin.
 */
export function fittedDistance(
  target: Vec3,
  direction: Vec3,
  up: Vec3,
  verticalFovDegrees: number,
  aspect: number,
  box = SCENE_BOX,
): number {
  const forward = unit([-direction[0], -direction[1], -direction[2]]);
  const right = unit(cross(forward, up));
  const upward = cross(right, forward);
  const tanVertical = Math.tan((verticalFovDegrees * Math.PI) / 360);
  const tanHorizontal = tanVertical * aspect;
  let distance = 0;
  for (const x of [box.min[0], box.max[0]])
    for (const y of [box.min[1], box.max[1]])
      for (const z of [box.min[2], box.max[2]]) {
        const q: Vec3 = [x - target[0], y - target[1], z - target[2]];
        // Beyond the target along the view (positive) or before it.
        const along = dot(q, forward);
        distance = Math.max(
          distance,
          Math.abs(dot(q, right)) / tanHorizontal - along,
          Math.abs(dot(q, upward)) / tanVertical - along,
        );
      }
  return MARGIN * distance;
}
