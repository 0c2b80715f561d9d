// Plans the landscape slices a file asks for — geometry in the main thread, losses as grid
// jobs on the worker pool — and assembles the results with their markers.
import { lineMaximum } from '../core/analysis/lineMaximum';
import { PLANE_DIRECTION_DEFINITIONS } from '../core/analysis/planes';
import { lineGrid, linspace, projectOntoPlane, type Plane } from '../core/analysis/sliceGeometry';
import { alignNetworks } from '../core/analysis/equivalence';
import type { ModelContext } from '../core/model/build';
import type { UnitNetwork } from '../core/model/units';
import type { FilterLayout } from '../core/model/filters';
import { DEFAULT_EIGENVALUE_TOLERANCE } from '../core/lossfile/resolve';
import type { SliceSpec } from '../core/vocabulary';
import type {
  AxisSlice,
  LineSlice,
  PlaneSlice,
  Slice,
  SliceCurvature,
  SliceMarker,
  SlicePath,
  SmoothedCurve,
  SmoothedSurface,
} from '../protocol/result';
import { smoothingRule, type SmoothedRows } from '../core/analysis/smoothing';
import { planeCriticalPoints } from '../core/analysis/smoothedCriticalPoints';
import type { AnalyzedPoint, GridJob, GridOutcome } from './jobs';
import { deriveSeed } from '../core/rng';

/** The Monte Carlo perturbations of slice i's smoothings come from deriveSeed(this, i). */
const SMOOTHING_SEED = 0x5eed;
const smoothingSeed = (index: number) => deriveSeed(SMOOTHING_SEED, index);

export interface SlicePlan {
  jobs: GridJob[];
  warnings: string[];
  assemble(outcomes: GridOutcome[]): Slice[];
}

interface Pending {
  index: number;
  xs: number[];
  ys: number[];
  /** λmin at each grid point, when the slice asked for its curvature; L_σ when it asked. */
  finish(
    loss: (number | null)[][],
    nonFinite: number,
    curvature: CurvatureGrids | null,
    smoothing: Smoothings,
  ): Slice;
}

type Grid = (number | null)[][];

/**
 * Rows of a grid per job: two jobs per thread, so the threads finish together, and each job
 * computes the first layer's products for the plane once (the plane trick in mlp.ts). The
 * losses do not depend on how rows are grouped: the same file gives the same grid on any
 * number of threads.
 */
export function rowsPerJob(rows: number, threads: number): number {
  return Math.max(1, Math.ceil(rows / (2 * Math.max(1, threads))));
}

/** A slice's smoothings as its jobs gave them: curves of a line or axis, or a plane's grids. */
interface Smoothings {
  curves: SmoothedCurve[] | null;
  surfaces: SmoothedRows[] | null;
}

/** What the slices need to know of the network: its units (to align twins) and its filters. */
export interface NetworkShape {
  units: UnitNetwork | null;
  filters: FilterLayout | null;
}

export function planSlices(
  slices: SliceSpec[],
  located: Map<string, AnalyzedPoint>,
  network: NetworkShape | null,
  model: () => ModelContext,
  exactLimit: number,
  threads = 1,
  parameterNames: string[] = [],
  eigenvalueTolerance = DEFAULT_EIGENVALUE_TOLERANCE,
): SlicePlan {
  const warnings: string[] = [];
  const pending: Pending[] = [];
  const jobs: GridJob[] = [];
  const find = (id: string) => located.get(id);
  const markersOn = (plane: Plane): SliceMarker[] =>
    [...located.values()].map((l) => ({
      id: l.id,
      ...projectOntoPlane(plane, l.parameters),
      verdict: l.verdict.kind,
    }));
  const context: SliceContext = { located, parameterNames, tolerance: eigenvalueTolerance };
  const units = network?.units ?? null;
  const filters = network?.filters ?? null;

  slices.forEach((slice, index) => {
    const named =
      slice.type === 'line'
        ? [slice.from, slice.to]
        : slice.type === 'axis'
          ? [slice.center]
          : [slice.center, ...(slice.through ?? [])];
    const missing = named.filter((id): id is string => id !== null && !find(id));
    if (missing.length > 0) {
      warnings.push(
        `analysis.slices[${index}]: ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not found, so the slice was skipped`,
      );
      return;
    }
    try {
      const plan =
        slice.type === 'line'
          ? planLine(slice, find, units, context, model)
          : slice.type === 'axis'
            ? planAxis(slice, context)
            : planPlane(
                slice,
                context,
                filters,
                model,
                markersOn,
                exactLimit,
                smoothingSeed(index),
              );
      const job = { index, ...plan };
      pending.push(job);
      const step = rowsPerJob(plan.ys.length, threads);
      for (let row = 0; row < plan.ys.length; row += step) {
        jobs.push({
          kind: 'grid',
          slice: index,
          row,
          center: plan.plane.center,
          x: plan.plane.x,
          y: plan.plane.y,
          xs: plan.xs,
          ys: plan.ys.slice(row, row + step),
          curvature: slice.curvature,
          // A line or an axis is one row, so one job: its smoothings and their critical
          // points go with it. A plane's jobs smooth their rows; its points need the whole grid.
          ...(slice.smoothing
            ? {
                smoothing: {
                  sigmas: slice.smoothing,
                  seed: smoothingSeed(index),
                  on: slice.type === 'plane' ? ('plane' as const) : ('line' as const),
                },
              }
            : {}),
        });
      }
    } catch (error) {
      warnings.push(
        `analysis.slices[${index}]: ${(error as Error).message}; the slice was skipped`,
      );
    }
  });

  return {
    jobs,
    warnings,
    assemble(outcomes) {
      return pending.map((p) => {
        const loss: Grid = p.ys.map(() => []);
        const lambdaMin: Grid = p.ys.map(() => []);
        const ratio: Grid = p.ys.map(() => []);
        let [curvature, withRatio] = [false, false];
        const smoothing: Smoothings = { curves: null, surfaces: null };
        for (const outcome of outcomes.filter((o) => o.slice === p.index)) {
          if (outcome.smoothing) smoothing.curves = outcome.smoothing;
          outcome.smoothedRows?.forEach((rows, k) => {
            smoothing.surfaces ??= [];
            smoothing.surfaces[k] ??= {
              ...rows,
              loss: p.ys.map(() => []),
              error: p.ys.map(() => []),
            };
            rows.loss.forEach((row, j) => (smoothing.surfaces![k].loss[outcome.row + j] = row));
            rows.error.forEach((row, j) => (smoothing.surfaces![k].error[outcome.row + j] = row));
          });
          outcome.losses.forEach((row, j) => (loss[outcome.row + j] = row));
          if (outcome.lambdaMin) curvature = true;
          if (outcome.ratio) withRatio = true;
          outcome.lambdaMin?.forEach((row, j) => (lambdaMin[outcome.row + j] = row));
          outcome.ratio?.forEach((row, j) => (ratio[outcome.row + j] = row));
        }
        const nonFinite = loss.reduce((n, row) => n + row.filter((v) => v === null).length, 0);
        const grids = curvature ? { lambdaMin, ratio: withRatio ? ratio : null } : null;
        return p.finish(loss, nonFinite, grids, smoothing);
      });
    },
  };
}

type Find = (id: string) => AnalyzedPoint | undefined;

/** A slice's λmin grid, and its |λmin/λmax| grid when the slice asked for the ratio. */
interface CurvatureGrids {
  lambdaMin: Grid;
  ratio: Grid | null;
}

/** A line's or an axis's curvature: their grids have one row. */
function firstRow(grids: CurvatureGrids): {
  lambdaMin: (number | null)[];
  ratio: (number | null)[] | null;
} {
  return { lambdaMin: grids.lambdaMin[0], ratio: grids.ratio?.[0] ?? null };
}

/** The summary of a slice's λmin grid (one row for lines and axes, rows for planes). */
function curvatureOf<G extends (number | null)[] | Grid>(
  grids: { lambdaMin: G; ratio: G | null },
  tolerance: number,
): SliceCurvature<G> {
  const finite = (grid: G) =>
    (grid as (number | null)[] | Grid).flat().filter((v): v is number => v !== null);
  const values = finite(grids.lambdaMin);
  const ratios = grids.ratio ? finite(grids.ratio) : [];
  return {
    lambdaMin: grids.lambdaMin,
    negative: values.filter((v) => v < 0).length,
    points: values.length,
    least: values.length > 0 ? Math.min(...values) : null,
    greatest: values.length > 0 ? Math.max(...values) : null,
    tolerance,
    ...(grids.ratio
      ? {
          ratio: grids.ratio,
          ratioRange:
            ratios.length > 0
              ? {
                  least: Math.min(...ratios),
                  greatest: Math.max(...ratios),
                  median: median(ratios),
                }
              : null,
        }
      : {}),
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface SliceContext {
  located: Map<string, AnalyzedPoint>;
  parameterNames: string[];
  /** The relative eigenvalue tolerance of a curvature grid's zeros. */
  tolerance: number;
}

/** Significant digits kept of a path's projections: they are drawn, not computed on. */
const PATH_DIGITS = 7;
const rounded = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(PATH_DIGITS)) : v);

/** Every trained run's sampled path, each sample projected by `project`. */
function pathsOn(
  located: Map<string, AnalyzedPoint>,
  project: (theta: Float64Array) => { x: number; y?: number; distance: number },
): SlicePath[] {
  const paths: SlicePath[] = [];
  for (const point of located.values()) {
    if (point.origin.kind !== 'run' || !point.origin.snapshots) continue;
    const snapshots = point.origin.snapshots;
    const projected = snapshots.map((s) => project(s.theta));
    const hasY = projected[0]?.y !== undefined;
    paths.push({
      id: point.id,
      epoch: snapshots.map((s) => s.epoch),
      x: projected.map((q) => rounded(q.x)),
      ...(hasY ? { y: projected.map((q) => rounded(q.y!)) } : {}),
      distance: projected.map((q) => rounded(q.distance)),
      loss: snapshots.map((s) => rounded(s.loss)),
    });
  }
  return paths;
}

/** The index of a parameter by name, or a message naming the ones there are. */
function parameterIndex(names: string[], name: string): number {
  const index = names.indexOf(name);
  if (index < 0) {
    const some = names.slice(0, 8).join(', ') + (names.length > 8 ? ', …' : '');
    throw new Error(`the model has no parameter '${name}' (it has ${some})`);
  }
  return index;
}

/**
 * [low, high] of parameter `index` over every run, point and saddle and every training
 * path's samples (but a diverged run's), widened by 25% of the extent on each side (by 1 when they all agree).
 */
export function fittedRange(located: Map<string, AnalyzedPoint>, index: number): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  const take = (v: number) => {
    if (!Number.isFinite(v)) return;
    low = Math.min(low, v);
    high = Math.max(high, v);
  };
  for (const point of located.values()) {
    take(point.parameters[index]);
    // A diverged run's path may run off to 1e150: it would leave the rest one pixel wide.
    if (point.origin.kind === 'run' && point.origin.stopReason !== 'diverged')
      for (const s of point.origin.snapshots ?? []) take(s.theta[index]);
  }
  if (low > high) return [-1, 1];
  const margin = high > low ? 0.25 * (high - low) : 1;
  return [rounded(low - margin), rounded(high + margin)];
}

/** The loss along one parameter, the others held where `center` has them. */
function planAxis(slice: Extract<SliceSpec, { type: 'axis' }>, context: SliceContext) {
  const { located, parameterNames, tolerance } = context;
  const name = slice.parameter ?? parameterNames[0];
  const index = parameterIndex(parameterNames, name);
  const centerId = slice.center ?? [...located.keys()][0];
  const center = located.get(centerId)!;
  const range = slice.range ?? fittedRange(located, index);
  const origin = Float64Array.from(center.parameters);
  origin[index] = 0;
  const direction = new Float64Array(origin.length);
  direction[index] = 1;
  const plane: Plane = { center: origin, x: direction, y: new Float64Array(origin.length) };
  // Off the line by the other parameters' distance from the center's.
  const project = (theta: Float64Array) => {
    let squares = 0;
    for (let i = 0; i < theta.length; i++) if (i !== index) squares += (theta[i] - origin[i]) ** 2;
    return { x: theta[index], distance: Math.sqrt(squares) };
  };
  const xs = linspace(range[0], range[1], slice.steps);
  const markers = [...located.values()].map((l) => ({
    id: l.id,
    ...project(l.parameters),
    loss: l.loss,
    verdict: l.verdict.kind,
  }));
  const paths = pathsOn(located, project);
  return {
    plane,
    xs,
    ys: [0],
    finish(
      loss: Grid,
      nonFinite: number,
      grids: CurvatureGrids | null,
      smoothing: Smoothings,
    ): AxisSlice {
      return {
        type: 'axis',
        parameter: name,
        center: centerId,
        x: xs,
        loss: loss[0],
        markers,
        nonFinite,
        ...(grids ? { curvature: curvatureOf(firstRow(grids), tolerance) } : {}),
        ...(smoothing.curves ? { smoothing: smoothing.curves } : {}),
        ...(paths.length > 0 ? { paths } : {}),
      };
    },
  };
}

/** Machine epsilon of the precision the losses were computed in. */
const EPSILON = { float64: 2 ** -52, float32: 2 ** -23 } as const;
/** How many units of rounding a line's top must clear to be called a peak. */
const ROUNDING_ULPS = 1000;

function planLine(
  slice: Extract<SliceSpec, { type: 'line' }>,
  find: Find,
  units: UnitNetwork | null,
  { located, tolerance }: SliceContext,
  model: () => ModelContext,
) {
  const from = find(slice.from)!;
  const to = find(slice.to)!;
  let end = to.parameters;
  let mapping: Pick<LineSlice, 'permutation' | 'signs' | 'scales'> | undefined;
  if (slice.align) {
    const alignment = units ? alignNetworks(units, from.parameters, to.parameters) : null;
    if (!alignment) throw new Error('align needs a network with hidden layers');
    end = alignment.aligned;
    const rescaled = alignment.scales.some((layer) => layer.some((c) => c !== 1));
    mapping = {
      permutation: alignment.permutation,
      signs: alignment.signs,
      ...(rescaled ? { scales: alignment.scales } : {}),
    };
  }
  const { t, margin } = lineGrid(slice.steps, slice.margin);
  const plane: Plane = {
    center: from.parameters,
    x: Float64Array.from(end, (v, i) => v - from.parameters[i]),
    y: new Float64Array(end.length),
  };
  // A path sample's t is its projection on the line; a point of the line has distance 0.
  const lengthSquared = plane.x.reduce((sum, v) => sum + v * v, 0) || 1;
  const paths = pathsOn(located, (theta) => {
    let along = 0;
    for (let i = 0; i < theta.length; i++) along += (theta[i] - plane.center[i]) * plane.x[i];
    const t = along / lengthSquared;
    let squares = 0;
    for (let i = 0; i < theta.length; i++)
      squares += (theta[i] - plane.center[i] - t * plane.x[i]) ** 2;
    return { x: t, distance: Math.sqrt(squares) };
  });
  return {
    plane,
    xs: t,
    ys: [0],
    finish(
      loss: Grid,
      nonFinite: number,
      grids: CurvatureGrids | null,
      smoothing: Smoothings,
    ): LineSlice {
      const values = loss[0];
      // The barrier is the line's highest loss on [0, 1]: the highest sample there, refined
      // between its neighbours (a grid point may miss the top by a coarse step).
      const on = t.flatMap((ti, i) => (ti >= 0 && ti <= 1 ? [i] : []));
      const point = new Float64Array(plane.center.length);
      const along = (ti: number) => {
        for (let i = 0; i < point.length; i++) point[i] = plane.center[i] + ti * plane.x[i];
        return model().objective.loss(point);
      };
      const top = lineMaximum(
        along,
        on.map((i) => t[i]),
        on.map((i) => values[i]),
      );
      const endpoints = 0.5 * (from.loss + to.loss);
      const ends = Math.max(from.loss, to.loss);
      // A top that rises above the ends by no more than rounding is no peak: between aligned
      // twins the line is flat, and its samples differ in their last digits only.
      const rounding = ROUNDING_ULPS * EPSILON[model().precision ?? 'float64'] * Math.abs(ends);
      const inside = top !== null && top.t > 0 && top.t < 1 && top.value > ends + rounding;
      const peak = inside ? top : null;
      const barrier = top === null ? null : (peak ? peak.value : ends) - endpoints;
      return {
        type: 'line',
        from: slice.from,
        to: slice.to,
        aligned: slice.align,
        ...(mapping ?? {}),
        margin,
        t,
        loss: values,
        barrier,
        ...(peak ? { peak: { t: peak.t, loss: peak.value } } : {}),
        nonFinite,
        ...(grids ? { curvature: curvatureOf(firstRow(grids), tolerance) } : {}),
        ...(smoothing.curves ? { smoothing: smoothing.curves } : {}),
        ...(paths.length > 0 ? { paths } : {}),
      };
    },
  };
}

function planPlane(
  slice: Extract<SliceSpec, { type: 'plane' }>,
  { located, parameterNames, tolerance }: SliceContext,
  filters: FilterLayout | null,
  model: () => ModelContext,
  markersOn: (plane: Plane) => SliceMarker[],
  exactLimit: number,
  smoothingSeed: number,
) {
  const kind = PLANE_DIRECTION_DEFINITIONS[slice.directions];
  const centerId = kind.centerOf(slice) ?? [...located.keys()][0];
  const center = located.get(centerId)!;
  const { plane, fitted, extra, range } = kind.axes({
    slice,
    id: centerId,
    center: center.parameters,
    snapshots: center.origin.kind === 'run' ? center.origin.snapshots : undefined,
    through: slice.through?.map((id) => located.get(id)!.parameters) ?? null,
    parameterNames,
    fittedRange: (index) => fittedRange(located, index),
    filters,
    objective: () => model().objective,
    exactLimit,
    eigenvalueTolerance: tolerance,
  });
  const span =
    slice.span ??
    (fitted.length > 0
      ? 1.25 * Math.max(1e-9, ...fitted.flatMap((q) => [Math.abs(q.x), Math.abs(q.y)]))
      : 1);
  const xs = linspace(range?.x[0] ?? -span, range?.x[1] ?? span, slice.resolution);
  const ys = linspace(range?.y[0] ?? -span, range?.y[1] ?? span, slice.resolution);
  const markers = markersOn(plane);
  const paths = pathsOn(located, (theta) => projectOntoPlane(plane, theta));
  return {
    plane,
    xs,
    ys,
    finish(
      loss: Grid,
      nonFinite: number,
      grids: CurvatureGrids | null,
      smoothing: Smoothings,
    ): PlaneSlice {
      // The critical points of each L_σ in the plane, searched over the assembled grid.
      let surfaces: SmoothedSurface[] | null = null;
      if (smoothing.surfaces) {
        const { objective } = model();
        const rule = smoothingRule(objective.parameterCount, smoothingSeed);
        surfaces = smoothing.surfaces.map((rows) => ({
          ...rows,
          criticalPoints: planeCriticalPoints(
            objective,
            plane,
            xs,
            ys,
            rows.loss,
            rows.sigma,
            rule,
          ),
        }));
      }
      return {
        type: 'plane',
        directions: slice.directions,
        center: centerId,
        x: xs,
        y: ys,
        loss,
        markers,
        nonFinite,
        ...(grids ? { curvature: curvatureOf(grids, tolerance) } : {}),
        ...(surfaces ? { smoothing: surfaces } : {}),
        ...extra,
        ...(paths.length > 0 ? { paths } : {}),
      };
    },
  };
}
