// Plans the landscape slices a file asks for — geometry in the main thread, losses as grid
// jobs on the worker pool — and assembles the results with their markers.
import { PLANE_DIRECTION_DEFINITIONS } from '../core/analysis/planes';
import { lineGrid, linspace, projectOntoPlane, type Plane } from '../core/analysis/slices';
import { alignNetworks } from '../core/analysis/equivalence';
import type { ModelContext } from '../core/model/build';
import type { MlpArchitecture } from '../core/model/mlp';
import type { SliceSpec } from '../core/spec/types';
import type { LineSlice, PlaneSlice, Slice, SliceMarker } from '../protocol/result';
import type { AnalyzedPoint, GridJob, GridOutcome } from './jobs';

export interface SlicePlan {
  jobs: GridJob[];
  warnings: string[];
  assemble(outcomes: GridOutcome[]): Slice[];
}

interface Pending {
  index: number;
  xs: number[];
  ys: number[];
  finish(loss: (number | null)[][], nonFinite: number): Slice;
}

/**
 * Rows of a grid per job: two jobs per thread, so the threads finish together, and each job
 * computes the first layer's products for the plane once (the plane trick in mlp.ts). The
 * losses do not depend on how rows are grouped: the same file gives the same grid on any
 * number of threads.
 */
export function rowsPerJob(rows: number, threads: number): number {
  return Math.max(1, Math.ceil(rows / (2 * Math.max(1, threads))));
}

export function planSlices(
  slices: SliceSpec[],
  located: Map<string, AnalyzedPoint>,
  architecture: MlpArchitecture | null,
  model: () => ModelContext,
  exactLimit: number,
  threads = 1,
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

  slices.forEach((slice, index) => {
    const missing = (
      slice.type === 'line' ? [slice.from, slice.to] : [slice.center, ...(slice.through ?? [])]
    ).filter((id): id is string => id !== null && !find(id));
    if (missing.length > 0) {
      warnings.push(
        `analysis.slices[${index}]: ${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} not found, so the slice was skipped`,
      );
      return;
    }
    try {
      const plan =
        slice.type === 'line'
          ? planLine(slice, find, architecture)
          : planPlane(slice, located, architecture, model, markersOn, exactLimit);
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
        const loss: (number | null)[][] = p.ys.map(() => []);
        for (const outcome of outcomes.filter((o) => o.slice === p.index)) {
          outcome.losses.forEach((row, j) => (loss[outcome.row + j] = row));
        }
        const nonFinite = loss.reduce((n, row) => n + row.filter((v) => v === null).length, 0);
        return p.finish(loss, nonFinite);
      });
    },
  };
}

type Find = (id: string) => AnalyzedPoint | undefined;

function planLine(
  slice: Extract<SliceSpec, { type: 'line' }>,
  find: Find,
  architecture: MlpArchitecture | null,
) {
  const from = find(slice.from)!;
  const to = find(slice.to)!;
  let end = to.parameters;
  let mapping: Pick<LineSlice, 'permutation' | 'signs' | 'scales'> | undefined;
  if (slice.align) {
    const alignment = architecture
      ? alignNetworks(architecture, from.parameters, to.parameters)
      : null;
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
  return {
    plane,
    xs: t,
    ys: [0],
    finish(loss: (number | null)[][], nonFinite: number): LineSlice {
      const values = loss[0];
      const inside = values.filter((v, i) => t[i] >= 0 && t[i] <= 1 && v !== null) as number[];
      const endpoints = 0.5 * (from.loss + to.loss);
      const barrier =
        inside.length > 0 ? Math.max(from.loss, to.loss, ...inside) - endpoints : null;
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
        nonFinite,
      };
    },
  };
}

function planPlane(
  slice: Extract<SliceSpec, { type: 'plane' }>,
  located: Map<string, AnalyzedPoint>,
  architecture: MlpArchitecture | null,
  model: () => ModelContext,
  markersOn: (plane: Plane) => SliceMarker[],
  exactLimit: number,
) {
  const centerId =
    slice.directions === 'points' ? slice.through![0] : (slice.center ?? [...located.keys()][0]);
  const center = located.get(centerId)!;
  const { plane, fitted, extra } = PLANE_DIRECTION_DEFINITIONS[slice.directions].axes({
    id: centerId,
    center: center.parameters,
    snapshots: center.origin.kind === 'run' ? center.origin.snapshots : undefined,
    through: slice.through?.map((id) => located.get(id)!.parameters) ?? null,
    architecture,
    seed: slice.seed,
    includeBias: slice.includeBias,
    objective: () => model().objective,
    exactLimit,
  });
  const span =
    slice.span ??
    (fitted.length > 0
      ? 1.25 * Math.max(1e-9, ...fitted.flatMap((q) => [Math.abs(q.x), Math.abs(q.y)]))
      : 1);
  const xs = linspace(-span, span, slice.resolution);
  const ys = linspace(-span, span, slice.resolution);
  const markers = markersOn(plane);
  return {
    plane,
    xs,
    ys,
    finish(loss: (number | null)[][], nonFinite: number): PlaneSlice {
      return {
        type: 'plane',
        directions: slice.directions,
        center: centerId,
        x: xs,
        y: ys,
        loss,
        markers,
        nonFinite,
        ...(slice.directions === 'points' ? { through: slice.through! } : {}),
        ...extra,
      };
    },
  };
}
