// The arithmetic of the 3-D surface, kept apart from the WebGL library so it is tested
// without a GPU: where a grid sample sits in the unit box (x, y in [−1, 1], height in
// [0, HEIGHT] on the same linear or log scale as the heatmap's colors), which cells have
// four finite corners, the surface's height under any plane coordinate, the grid sample
// nearest a point of the box, and a path followed along the surface.
import type { PlaneSlice } from '../../src/protocol/result';
import { colorScale, shadeScale, type ColorBy, type ColorScale } from './geometry';

/** Height of the highest loss in the box (its floor is 0; x and y span 2). */
export const HEIGHT = 1.1;
/** Where the floor (contours, frame, labels) sits, just below the lowest loss. */
export const FLOOR = -0.04;

export interface SurfaceMesh {
  scale: ColorScale;
  /** x, y, z per grid sample, row by row (y outer); NaN z where the loss is not finite. */
  positions: Float32Array;
  /** Color-map positions in [0, 1] per sample. */
  shades: Float32Array;
  /** Triangles over cells whose four corners are finite. */
  indices: number[];
  /** Box coordinates of a plane coordinate. */
  toBox(x: number, y: number): [number, number];
  /** The surface's height above (x, y), bilinear between samples; null off the grid. */
  heightAt(x: number, y: number): number | null;
  /** The grid sample nearest a point of the box: a readout never interpolates. */
  nearestSample(bx: number, by: number): { i: number; j: number };
}

/**
 * The surface of a plane: heights on the loss's scale, colors on the same scale or, with
 * `colorBy: "ratio"`, by |λmin/λmax| (Li et al.'s non-convexity map laid on the landscape).
 */
export function surfaceMesh(
  slice: PlaneSlice,
  log: boolean,
  colorBy: ColorBy = 'loss',
): SurfaceMesh | null {
  const scale = colorScale(slice, log);
  if (!scale) return null;
  const shade = shadeScale(slice, colorBy, scale);
  const nx = slice.x.length;
  const ny = slice.y.length;
  const [x0, x1] = [slice.x[0], slice.x[nx - 1]];
  const [y0, y1] = [slice.y[0], slice.y[ny - 1]];
  const toBox = (x: number, y: number): [number, number] => [
    (2 * (x - x0)) / (x1 - x0) - 1,
    (2 * (y - y0)) / (y1 - y0) - 1,
  ];
  const positions = new Float32Array(3 * nx * ny);
  const shades = new Float32Array(nx * ny);
  const heights = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const loss = slice.loss[j][i];
      const height = loss === null ? NaN : Math.min(1, Math.max(0, scale.position(loss)));
      const [bx, by] = toBox(slice.x[i], slice.y[j]);
      heights[k] = HEIGHT * height;
      positions.set([bx, by, heights[k]], 3 * k);
      const value = shade.grid[j][i];
      // A sample without a ratio (λmax = 0) takes the bottom of the map, not a hole.
      shades[k] = Number.isNaN(height)
        ? NaN
        : value === null
          ? 0
          : Math.min(1, Math.max(0, shade.scale.position(value)));
    }
  const indices: number[] = [];
  for (let j = 0; j + 1 < ny; j++)
    for (let i = 0; i + 1 < nx; i++) {
      const a = j * nx + i;
      const corners = [a, a + 1, a + nx, a + nx + 1];
      if (corners.some((c) => Number.isNaN(heights[c]))) continue;
      indices.push(a, a + 1, a + nx + 1, a, a + nx + 1, a + nx);
    }
  const heightAt = (x: number, y: number): number | null => {
    const u = ((x - x0) / (x1 - x0)) * (nx - 1);
    const v = ((y - y0) / (y1 - y0)) * (ny - 1);
    if (!(u >= 0 && u <= nx - 1 && v >= 0 && v <= ny - 1)) return null;
    const i = Math.min(nx - 2, Math.floor(u));
    const j = Math.min(ny - 2, Math.floor(v));
    const [fu, fv] = [u - i, v - j];
    // Corners of weight 0 do not count (a non-finite one there must not spoil the value).
    let value = 0;
    for (const [di, dj, weight] of [
      [0, 0, (1 - fu) * (1 - fv)],
      [1, 0, fu * (1 - fv)],
      [0, 1, (1 - fu) * fv],
      [1, 1, fu * fv],
    ])
      if (weight > 0) value += weight * heights[(j + dj) * nx + i + di];
    return Number.isNaN(value) ? null : value;
  };
  // Box coordinates back to the plane's, then the nearest sample of the axis.
  const nearest = (axis: number[], box: number) => {
    const value = axis[0] + ((box + 1) / 2) * (axis[axis.length - 1] - axis[0]);
    let best = 0;
    axis.forEach((v, k) => {
      if (Math.abs(v - value) < Math.abs(axis[best] - value)) best = k;
    });
    return best;
  };
  const nearestSample = (bx: number, by: number) => ({
    i: nearest(slice.x, bx),
    j: nearest(slice.y, by),
  });
  return { scale, positions, shades, indices, toBox, heightAt, nearestSample };
}

/**
 * A path's samples with `subdivisions − 1` points between each two, in plane coordinates: a
 * path drawn through them follows the surface (a straight chord would cut through a curved
 * one). Sample k of the path is point k·subdivisions.
 */
export function pathAlongSurface(
  path: { x: number[]; y: number[] },
  subdivisions: number,
): [number, number][] {
  const along: [number, number][] = [];
  path.x.forEach((x, k) => {
    if (k > 0)
      for (let part = 1; part < subdivisions; part++) {
        const t = part / subdivisions;
        const [px, py] = [path.x[k - 1], path.y[k - 1]];
        along.push([px + t * (x - px), py + t * (path.y[k] - py)]);
      }
    along.push([x, path.y[k]]);
  });
  return along;
}
