// Where a slice's loss is not convex: the grid points whose Hessian has λmin < 0, drawn as a
// hatched region with a dashed boundary on a plane, and as shaded bands under a curve.
// (Pure: the plane's hatching, which needs the DOM, is in draw.ts.)
import type { Chart, Plugin } from 'chart.js';
import { withAlpha } from '../charts/common';

/**
 * The intervals of x where λmin < 0, each reaching halfway to the neighbouring samples (the
 * samples are the evidence; between them the boundary is known only to half a step).
 */
export function negativeIntervals(
  x: number[],
  lambdaMin: (number | null)[],
): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  const edge = (i: number, side: -1 | 1) => {
    const j = i + side;
    return j < 0 || j >= x.length ? x[i] : 0.5 * (x[i] + x[j]);
  };
  let start = -1;
  lambdaMin.forEach((value, i) => {
    const negative = value !== null && value < 0;
    if (negative && start < 0) start = i;
    if (!negative && start >= 0) {
      intervals.push([edge(start, -1), edge(i - 1, 1)]);
      start = -1;
    }
  });
  if (start >= 0) intervals.push([edge(start, -1), edge(x.length - 1, 1)]);
  return intervals;
}

/** A chart.js plugin that shades `intervals` of x behind the curves, full height. */
export function negativeBands(intervals: Array<[number, number]>, color: string): Plugin {
  return {
    id: 'negativeCurvature',
    beforeDatasetsDraw(chart: Chart) {
      const { ctx, chartArea } = chart;
      const x = chart.scales.x;
      ctx.save();
      ctx.fillStyle = withAlpha(color, 0.16);
      for (const [from, to] of intervals) {
        const left = Math.max(chartArea.left, x.getPixelForValue(from));
        const right = Math.min(chartArea.right, x.getPixelForValue(to));
        if (right > left)
          ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
      }
      ctx.restore();
    },
  };
}
