// A plane slice as the σ slider shows it: the smoothed loss L_σ in place of the loss, the
// critical points of L_σ in the plane as markers beside the runs', and no curvature (λmin is
// the loss's, not L_σ's). The heatmap and the 3-D view draw it like any plane.
import type { PlaneSlice, SliceMarker, SmoothedSurface } from '../../src/protocol/result';

/** The marker id of L_σ's k-th critical point (1-based), as the plane labels it. */
export const smoothedPointId = (k: number) => `L_σ ${k}`;

/** Whether a marker is one of L_σ's critical points (drawn as a triangle), not a run's. */
export const isSmoothedPointId = (id: string) => id.startsWith('L_σ ');

const views = new WeakMap<SmoothedSurface, PlaneSlice>();

/** Built once per smoothing of a result: a redraw reuses it. */
export function smoothedPlaneView(slice: PlaneSlice, surface: SmoothedSurface): PlaneSlice {
  let view = views.get(surface);
  if (!view) {
    const points: SliceMarker[] = surface.criticalPoints.map((p, k) => ({
      id: smoothedPointId(k + 1),
      x: p.x,
      y: p.y,
      distance: 0,
      // A kind Monte Carlo cannot resolve is drawn as the degenerate are: no claim.
      verdict: p.kind === 'unresolved' ? 'degenerate' : p.kind,
    }));
    view = {
      ...slice,
      curvature: undefined,
      loss: surface.loss,
      nonFinite: surface.loss.flat().filter((v) => v === null).length,
      // Last, so drawn on top of a run that shares the spot (the label names both).
      markers: [...slice.markers, ...points],
    };
    views.set(surface, view);
  }
  return view;
}
