// Draws a 2D landscape slice on a canvas: the loss as a heatmap (viridis, linear or log),
// contour lines (d3-contour's marching squares), a color bar, and the runs, points and
// critical points as markers labelled with their verdicts. chart.js has no heatmap, and
// one canvas keeps hover and PNG export simple.
import type { PlaneSlice, SliceMarker, VerdictKind } from '../../src/protocol/result';
import { placeLabels, withAlpha, type Box, type Theme } from '../charts/common';
import { formatNumber } from '../../src/protocol/wording';
import {
  colorScale,
  shadeScale,
  isOnPlane,
  niceTicks,
  planeLayout,
  planeTitle,
  toPixel,
  type ColorBy,
  type ColorScale,
  type PlotLayout,
} from './geometry';
import { lossContours, negativeCurvatureRings, type Ring } from './contours';
import { sampleAt } from './playback';
import { isSmoothedPointId } from './smoothedPlane';
import { VIRIDIS } from './viridis';

const SHORT_VERDICT: Record<VerdictKind, string> = {
  minimum: 'min',
  saddle: 'saddle',
  maximum: 'max',
  degenerate: 'degenerate',
  'not-critical': 'not critical',
};

export interface PlaneDrawing {
  layout: PlotLayout;
  /** Markers with their pixel positions, for hover and selection. */
  markers: Array<SliceMarker & { px: number; py: number }>;
  /** The play step's dot on each path: its sample, plane coordinates and pixel position. */
  dots: Array<{ id: string; sample: number; x: number; y: number; px: number; py: number }>;
}

export interface PlaneOptions {
  log: boolean;
  selected: string | null;
  theme: Theme;
  /** The play control's epoch: a dot on every path where it was then (null: none). */
  epoch: number | null;
  /** Hatch where λmin < 0, when the slice has its curvature. */
  curvature: boolean;
  /** The heatmap's colors: the loss, or |λmin/λmax| where the slice recorded it. */
  colorBy?: ColorBy;
  /** What the grid holds when it is not the loss: a smoothing, "L_σ, σ = 0.6". */
  valueName?: string;
}

export function drawPlane(
  canvas: HTMLCanvasElement,
  slice: PlaneSlice,
  options: PlaneOptions,
): PlaneDrawing {
  const { theme } = options;
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const layout = planeLayout(width, height);
  ctx.font = `12px ${theme.fontFamily}`;
  ctx.fillStyle = theme.foreground;
  ctx.textBaseline = 'top';
  const title = planeTitle(slice);
  ctx.fillText(options.valueName ? `${title}: ${options.valueName}` : title, layout.left, 1);

  const scale = colorScale(slice, options.log);
  const nx = slice.x.length;
  const ny = slice.y.length;
  if (scale) {
    const shade = shadeScale(slice, options.colorBy ?? 'loss', scale, options.valueName);
    // The grid as an image, one pixel per sample (y up), stretched so that pixel centers sit
    // on the sample coordinates.
    const image = new ImageData(nx, ny);
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const value = shade.grid[j][i];
        const offset = 4 * ((ny - 1 - j) * nx + i);
        if (value === null) continue; // transparent: not finite
        const k = 3 * Math.round(255 * Math.min(1, Math.max(0, shade.scale.position(value))));
        image.data.set([VIRIDIS[k], VIRIDIS[k + 1], VIRIDIS[k + 2], 255], offset);
      }
    const grid = document.createElement('canvas');
    grid.width = nx;
    grid.height = ny;
    grid.getContext('2d')!.putImageData(image, 0, 0);
    const cellW = (layout.right - layout.left) / (nx - 1);
    const cellH = (layout.bottom - layout.top) / (ny - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(layout.left, layout.top, layout.right - layout.left, layout.bottom - layout.top);
    ctx.clip();
    ctx.imageSmoothingEnabled = nx < 200;
    ctx.drawImage(
      grid,
      layout.left - cellW / 2,
      layout.top - cellH / 2,
      layout.right - layout.left + cellW,
      layout.bottom - layout.top + cellH,
    );
    drawContours(ctx, slice, scale, layout, cellW, cellH);
    if (options.curvature)
      drawNegativeCurvature(ctx, slice, layout, cellW, cellH, theme.verdict.saddle);
    drawPaths(ctx, slice, layout, theme, options.selected);
    ctx.restore();
    drawColorBar(ctx, shade.scale, shade.label, layout, theme);
  }
  drawAxes(ctx, slice, layout, theme);
  const markers = slice.markers.map((m) => ({ ...m, ...toPixel(layout, slice, m.x, m.y) }));
  drawMarkers(ctx, slice, layout, markers, options.selected, theme);
  const dots = options.epoch === null ? [] : drawDots(ctx, slice, layout, theme, options);
  return { layout, markers, dots };
}

function drawContours(
  ctx: CanvasRenderingContext2D,
  slice: PlaneSlice,
  scale: NonNullable<ReturnType<typeof colorScale>>,
  layout: PlotLayout,
  cellW: number,
  cellH: number,
): void {
  ctx.lineWidth = 0.8;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.45)';
  for (const level of lossContours(slice, scale)) {
    ctx.beginPath();
    traceRings(ctx, level, layout, cellW, cellH);
    ctx.stroke();
  }
}

/** Adds rings in grid coordinates to the current path, in the plot's pixels. */
function traceRings(
  ctx: CanvasRenderingContext2D,
  rings: Ring[],
  layout: PlotLayout,
  cellW: number,
  cellH: number,
): void {
  const px = (gx: number) => layout.left + gx * cellW;
  const py = (gy: number) => layout.bottom - gy * cellH;
  for (const ring of rings)
    ring.forEach(([gx, gy], k) =>
      k === 0 ? ctx.moveTo(px(gx), py(gy)) : ctx.lineTo(px(gx), py(gy)),
    );
}

/** Every run's training path, the selected one on top and brighter. */
function drawPaths(
  ctx: CanvasRenderingContext2D,
  slice: PlaneSlice,
  layout: PlotLayout,
  theme: Theme,
  selected: string | null,
): void {
  const paths = slice.paths ?? (slice.path ? [{ id: slice.center, ...slice.path }] : []);
  const ordered = [...paths].sort((a, b) => Number(a.id === selected) - Number(b.id === selected));
  for (const path of ordered) {
    const mine = path.id === selected;
    ctx.beginPath();
    path.x.forEach((x, k) => {
      const { px, py } = toPixel(layout, slice, x, path.y![k]);
      if (k === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    });
    ctx.strokeStyle = withAlpha(theme.series[1], mine ? 1 : 0.45);
    ctx.lineWidth = mine ? 2.5 : 1.25;
    ctx.stroke();
    // Where it started: a small open circle.
    const start = toPixel(layout, slice, path.x[0], path.y![0]);
    ctx.beginPath();
    ctx.arc(start.px, start.py, 2.5, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

/** The play step's dot on every path: its last sample at or before the step's epoch. */
function drawDots(
  ctx: CanvasRenderingContext2D,
  slice: PlaneSlice,
  layout: PlotLayout,
  theme: Theme,
  options: PlaneOptions,
): PlaneDrawing['dots'] {
  return (slice.paths ?? []).map((path) => {
    const sample = sampleAt(path, options.epoch!);
    const [x, y] = [path.x[sample], path.y![sample]];
    const { px, py } = toPixel(layout, slice, x, y);
    ctx.beginPath();
    ctx.arc(px, py, path.id === options.selected ? 6 : 4, 0, 2 * Math.PI);
    ctx.fillStyle = theme.series[1];
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = theme.foreground;
    ctx.stroke();
    return { id: path.id, sample, x, y, px, py };
  });
}

function drawColorBar(
  ctx: CanvasRenderingContext2D,
  scale: ColorScale,
  label: string,
  layout: PlotLayout,
  theme: Theme,
): void {
  const x = layout.right + 16;
  const barWidth = 14;
  const height = layout.bottom - layout.top;
  for (let row = 0; row < height; row++) {
    const k = 3 * Math.round(255 * (1 - row / Math.max(1, height - 1)));
    ctx.fillStyle = `rgb(${VIRIDIS[k]}, ${VIRIDIS[k + 1]}, ${VIRIDIS[k + 2]})`;
    ctx.fillRect(x, layout.top + row, barWidth, 1);
  }
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(x, layout.top, barWidth, height);
  ctx.fillStyle = theme.muted;
  ctx.textBaseline = 'middle';
  ctx.font = `10px ${theme.fontFamily}`;
  const low = scale.transform(scale.min);
  const high = scale.transform(scale.max);
  const ticks = niceTicks(low, high, 6);
  for (const t of ticks) {
    const y = layout.bottom - ((t - low) / (high - low || 1)) * height;
    if (y < layout.top - 1 || y > layout.bottom + 1) continue;
    ctx.fillText(formatNumber(scale.log ? 10 ** t : t), x + barWidth + 4, y);
  }
  ctx.save();
  ctx.translate(layout.width - 6, (layout.top + layout.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(label, 0, 0);
  ctx.restore();
}

function drawAxes(
  ctx: CanvasRenderingContext2D,
  slice: PlaneSlice,
  layout: PlotLayout,
  theme: Theme,
): void {
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(layout.left, layout.top, layout.right - layout.left, layout.bottom - layout.top);
  ctx.fillStyle = theme.muted;
  ctx.font = `10px ${theme.fontFamily}`;
  const xs = niceTicks(slice.x[0], slice.x[slice.x.length - 1]);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const x of xs) {
    const { px } = toPixel(layout, slice, x, slice.y[0]);
    ctx.fillText(formatNumber(x), px, layout.bottom + 4);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const y of niceTicks(slice.y[0], slice.y[slice.y.length - 1])) {
    const { py } = toPixel(layout, slice, slice.x[0], y);
    ctx.fillText(formatNumber(y), layout.left - 4, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(
    slice.axes?.x ?? 'α (first direction)',
    (layout.left + layout.right) / 2,
    layout.height - 4,
  );
  ctx.save();
  ctx.translate(14, (layout.top + layout.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(slice.axes?.y ?? 'β (second direction)', 0, 0);
  ctx.restore();
}

function drawMarkers(
  ctx: CanvasRenderingContext2D,
  slice: PlaneSlice,
  area: Box,
  markers: PlaneDrawing['markers'],
  selected: string | null,
  theme: Theme,
): void {
  ctx.font = `11px ${theme.fontFamily}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  // Several runs often share a point (a class): label each position once.
  const labelled = new Map<string, string[]>();
  for (const m of markers) {
    const key = `${Math.round(m.px / 4)},${Math.round(m.py / 4)}`;
    labelled.set(key, [...(labelled.get(key) ?? []), m.id]);
  }
  for (const m of markers) {
    const onPlane = isOnPlane(slice, m);
    const color = theme.verdict[m.verdict];
    const size = m.id === selected ? 8 : 5;
    ctx.beginPath();
    if (isSmoothedPointId(m.id)) {
      // A critical point of L_σ: a triangle, as on a smoothed line.
      ctx.moveTo(m.px, m.py - size - 2);
      ctx.lineTo(m.px + size + 1, m.py + size);
      ctx.lineTo(m.px - size - 1, m.py + size);
      ctx.closePath();
    } else if (m.verdict === 'saddle') {
      ctx.moveTo(m.px, m.py - size - 1);
      ctx.lineTo(m.px + size + 1, m.py);
      ctx.lineTo(m.px, m.py + size + 1);
      ctx.lineTo(m.px - size - 1, m.py);
      ctx.closePath();
    } else ctx.arc(m.px, m.py, size, 0, 2 * Math.PI);
    ctx.lineWidth = 2;
    ctx.strokeStyle = m.id === selected ? theme.foreground : withAlpha('#000000', 0.6);
    if (onPlane) {
      ctx.fillStyle = color;
      ctx.fill();
    }
    ctx.stroke();
    if (!onPlane) {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }
  // Labels for what lies on the plane (one per spot) and for the selected marker; the
  // others are hollow, projected from off the plane, and named on hover only.
  const byId = new Map(markers.map((m) => [m.id, m]));
  const labels = [...labelled.values()].flatMap((all) => {
    // A critical point of L_σ at a run's spot is named beside the run: "L_σ 1: min · run-0: …".
    const smoothed = all.filter(isSmoothedPointId).map((id) => byId.get(id)!);
    const ids = all.filter((id) => !isSmoothedPointId(id));
    const prefix = smoothed.map((q) => `${q.id}: ${SHORT_VERDICT[q.verdict]}`).join(' · ');
    if (ids.length === 0) {
      const m = smoothed[0];
      const width = ctx.measureText(prefix).width + 4;
      return [{ text: prefix, width, x: m.px, y: m.py, radius: (m.id === selected ? 8 : 5) + 2 }];
    }
    const chosen = ids.includes(selected ?? '');
    // A spot holding the selected run is named after it.
    const m = byId.get(chosen ? selected! : ids[0])!;
    if (!isOnPlane(slice, m) && !chosen) return [];
    const others = ids.length > 1 ? ` +${ids.length - 1}` : '';
    const offPlane = isOnPlane(slice, m) ? '' : ` (${formatNumber(m.distance)} off the plane)`;
    const text = `${prefix ? `${prefix} · ` : ''}${m.id}${others}: ${SHORT_VERDICT[m.verdict]}${offPlane}`;
    const width = ctx.measureText(text).width + 4;
    return [{ text, width, x: m.px, y: m.py, radius: (m.id === selected ? 8 : 5) + 2 }];
  });
  // Beside each marker, clear of the others, of every other label and of the plot's edges.
  const boxes = placeLabels(labels, 16, area, {
    markers: markers.map((m) => ({ x: m.px, y: m.py, radius: (m.id === selected ? 8 : 5) + 2 })),
    besideFirst: true,
  });
  labels.forEach((label, k) => {
    const box = boxes[k];
    if (!box) return; // no room: the hover names it
    ctx.fillStyle = withAlpha(theme.background, 0.8);
    ctx.fillRect(box.left, box.top, label.width, box.bottom - box.top);
    ctx.fillStyle = theme.foreground;
    ctx.fillText(label.text, box.left + 2, (box.top + box.bottom) / 2);
  });
  if (markers.some((m) => !isOnPlane(slice, m))) {
    ctx.textAlign = 'left';
    ctx.font = `10px ${theme.fontFamily}`;
    ctx.fillStyle = theme.muted;
    ctx.fillText('filled: on the plane · hollow: projected from off it (hover for names)', 64, 22);
  }
}

/** Hatches the region of a plane where λmin < 0 and dashes its boundary. */
export function drawNegativeCurvature(
  ctx: CanvasRenderingContext2D,
  slice: PlaneSlice,
  layout: PlotLayout,
  cellW: number,
  cellH: number,
  color: string,
): void {
  const rings = negativeCurvatureRings(slice);
  if (rings.length === 0) return;
  ctx.beginPath();
  traceRings(ctx, rings, layout, cellW, cellH);
  ctx.save();
  ctx.fillStyle = hatch(ctx, color) ?? withAlpha(color, 0.25);
  ctx.fill('evenodd');
  ctx.setLineDash([5, 3]);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = color;
  ctx.stroke();
  ctx.restore();
}

/** Diagonal stripes in `color`, 6 px apart. */
function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | null {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 6;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.strokeStyle = withAlpha(color, 0.7);
  t.lineWidth = 1.2;
  t.beginPath();
  t.moveTo(0, 6);
  t.lineTo(6, 0);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}
