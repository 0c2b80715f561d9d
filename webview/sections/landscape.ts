// The landscape slices: a plane as a heatmap with contours and the runs, points and saddles
// marked (hover for the loss, click to select), or a line with its barrier; one slice at a
// time, chosen in the toolbar, on a linear or log scale.
import type { LineSlice, PlaneSlice } from '../../src/protocol/result';
import type { ChartConfiguration } from '../charts/host';
import { lineSliceConfig } from '../charts/lineSlice';
import { element, section, setToolbar } from '../dom';
import { formatNumber } from '../format';
import { drawPlane, type PlaneDrawing } from '../landscape/draw';
import { fromPixel, nearestSample } from '../landscape/geometry';
import { checkbox, dropdown } from '../toolkit';
import { hasSettledResult, type PanelContext, type PanelSection } from './section';

/** Markers within this many pixels of the pointer are under it. */
const MARKER_RADIUS = 8;

export function landscapeSection(): PanelSection {
  const planeCanvas = element('canvas', {
    id: 'plane-canvas',
    'aria-label': 'Loss landscape plane',
  });
  const lineCanvas = element('canvas', { id: 'line-canvas', 'aria-label': 'Loss along a line' });
  const hover = element('div', { id: 'hover', class: 'hover', hidden: '' });
  const note = element('p', { class: 'note' });
  const planeWrap = element('div', { class: 'chart tall', id: 'plane-wrap' }, planeCanvas, hover);
  const lineWrap = element('div', { class: 'chart', id: 'line-wrap' }, lineCanvas);
  const root = section('landscape-section', 'Landscape', note, planeWrap, lineWrap);
  /** The plane drawn last, for hit tests and redraws on resize. */
  let shown: { slice: PlaneSlice; drawing: PlaneDrawing } | null = null;
  let latest: PanelContext | null = null;

  const drawShown = () => {
    if (!shown || !latest) return;
    const { ui, theme } = latest;
    shown.drawing = drawPlane(planeCanvas, shown.slice, {
      log: ui.logScale,
      selected: ui.selected,
      theme,
    });
  };
  const markerAt = (event: MouseEvent) => {
    const rect = planeCanvas.getBoundingClientRect();
    const [px, py] = [event.clientX - rect.left, event.clientY - rect.top];
    const marker = shown?.drawing.markers.find(
      (m) => Math.hypot(m.px - px, m.py - py) <= MARKER_RADIUS,
    );
    return { px, py, marker };
  };
  planeCanvas.addEventListener('mousemove', (event) => {
    if (!shown) return;
    const { px, py, marker } = markerAt(event);
    const point = fromPixel(shown.drawing.layout, shown.slice, px, py);
    if (!point) {
      hover.hidden = true;
      return;
    }
    const sample = nearestSample(shown.slice, point.x, point.y);
    hover.textContent =
      (marker ? `${marker.id}: ${marker.verdict}\n` : '') +
      `α = ${formatNumber(sample.x)}, β = ${formatNumber(sample.y)}\nloss = ${formatNumber(sample.loss)}`;
    hover.style.left = `${px + 14}px`;
    hover.style.top = `${py + 14}px`;
    hover.hidden = false;
  });
  planeCanvas.addEventListener('mouseleave', () => (hover.hidden = true));
  planeCanvas.addEventListener('click', (event) => {
    const { marker } = markerAt(event);
    if (marker) latest?.setUi({ selected: marker.id });
  });
  let redrawPending = false;
  new ResizeObserver(() => {
    if (!shown || redrawPending) return;
    redrawPending = true;
    requestAnimationFrame(() => {
      redrawPending = false;
      drawShown();
    });
  }).observe(planeCanvas);

  return {
    root,
    visible: hasSettledResult,
    render(context) {
      latest = context;
      const { model, ui, charts, theme, versions } = context;
      const slices = model.result?.slices ?? [];
      if (slices.length === 0) {
        note.textContent =
          'This result has no slices. Add "analysis": { "slices": [ … ] } to the file (a line between two runs, or a plane through runs and points) and analyze again.';
        note.hidden = false;
        lineWrap.hidden = planeWrap.hidden = true;
        shown = null;
        charts.hide(lineCanvas);
        setToolbar(root, []);
        return;
      }
      const index = Math.min(ui.slice, slices.length - 1);
      const slice = slices[index];
      note.hidden = slice.nonFinite === 0;
      note.textContent =
        slice.nonFinite > 0
          ? `${slice.nonFinite} grid points have a non-finite loss (left blank).`
          : '';
      setToolbar(root, [
        dropdown(
          slices.map((s, k) => ({ value: String(k), label: sliceLabel(s, k) })),
          String(index),
          (value) => context.setUi({ slice: Number(value) }),
        ),
        checkbox('Log scale', ui.logScale, (checked) => context.setUi({ logScale: checked })),
        context.exportPng(slice.type === 'plane' ? planeCanvas : lineCanvas, `slice-${index + 1}`),
      ]);
      if (slice.type === 'line') {
        planeWrap.hidden = true;
        lineWrap.hidden = false;
        shown = null;
        const lossOf = (id: string) =>
          model.result?.runs.find((r) => r.id === id)?.loss ??
          model.result?.criticalPoints.find((p) => p.id === id)?.loss ??
          NaN;
        const ends = { from: lossOf(slice.from), to: lossOf(slice.to) };
        charts.show(
          lineCanvas,
          `${versions.result}|${versions.theme}|${index}|${ui.logScale}`,
          () => lineSliceConfig(slice, ends, theme, ui.logScale) as unknown as ChartConfiguration,
        );
      } else {
        lineWrap.hidden = true;
        planeWrap.hidden = false;
        charts.hide(lineCanvas);
        shown = {
          slice,
          drawing: drawPlane(planeCanvas, slice, {
            log: ui.logScale,
            selected: ui.selected,
            theme,
          }),
        };
      }
    },
    hide({ charts }) {
      shown = null;
      charts.hide(lineCanvas);
    },
  };
}

function sliceLabel(slice: LineSlice | PlaneSlice, index: number): string {
  if (slice.type === 'line')
    return `${index + 1}. Line ${slice.from} → ${slice.to}${slice.aligned ? ' (aligned)' : ''}`;
  const through = slice.through?.length ? ` through ${slice.through.join(', ')}` : '';
  return `${index + 1}. Plane (${slice.directions}) at ${slice.center}${through}`;
}
