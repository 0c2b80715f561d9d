// The contour lines of a plane, computed once for the heatmap and the 3-D view's floor: the
// loss at evenly spaced levels of its color scale, and the region where λmin < 0. The only
// module that knows d3-contour (marching squares). Rings come in grid coordinates: sample
// (i, j) of the slice is the point (i, j).
import { contours } from 'd3-contour';
import type { PlaneSlice } from '../../src/protocol/result';
import { contourLevels, type ColorScale } from './geometry';

/** A closed line through the grid, its points in grid coordinates. */
export type Ring = [number, number][];

/** How many loss levels the plane draws. */
export const CONTOUR_LEVELS = 12;

/** The rings of each loss level, the levels evenly spaced in the scale (linear or log). */
export function lossContours(slice: PlaneSlice, scale: ColorScale): Ring[][] {
  // A sample without a loss (diverged) counts as the top of the scale.
  const top = scale.transform(scale.max);
  const values = gridValues(slice, (i, j) => {
    const loss = slice.loss[j][i];
    return loss === null ? top : scale.transform(loss);
  });
  return rings(slice, values, contourLevels(scale, CONTOUR_LEVELS));
}

/**
 * The boundary of the region where λmin < 0 (marching squares on −λmin at the threshold 0⁺:
 * exact zeros, the flat directions, are not negative), or no rings when there is none.
 */
export function negativeCurvatureRings(slice: PlaneSlice): Ring[] {
  const grid = slice.curvature?.lambdaMin;
  if (!grid || slice.curvature!.negative === 0) return [];
  const values = gridValues(slice, (i, j) => {
    const value = grid[j][i];
    return value === null ? 0 : -value;
  });
  return rings(slice, values, [Number.MIN_VALUE])[0];
}

function gridValues(slice: PlaneSlice, value: (i: number, j: number) => number): number[] {
  const nx = slice.x.length;
  const ny = slice.y.length;
  const values = new Array<number>(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) values[i + j * nx] = value(i, j);
  return values;
}

function rings(slice: PlaneSlice, values: number[], thresholds: number[]): Ring[][] {
  const generator = contours().size([slice.x.length, slice.y.length]).thresholds(thresholds);
  // d3-contour puts sample (i, j) at (i + 0.5, j + 0.5): back to the grid's own coordinates.
  return generator(values).map((level) =>
    level.coordinates.flatMap((polygon) =>
      polygon.map((ring) => ring.map(([x, y]): [number, number] => [x - 0.5, y - 0.5])),
    ),
  );
}
