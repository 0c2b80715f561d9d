// The landscape slices: a plane as a heatmap with contours or as a 3-D surface, a line
// between two runs with its barrier, or the loss along one parameter — with the runs,
// points and saddles marked (hover for the loss, click to select), every run's training
// path, and a play control that moves a dot along the paths in step with a cursor on the
// loss curves. One slice at a time, chosen in the toolbar, on a linear or log scale.
import type { PlaneSlice, Slice, SmoothedSurface } from '../../src/protocol/result';
import { axisSliceConfig } from '../charts/axisSlice';
import { bifurcationConfig } from '../charts/bifurcation';
import type { ChartConfiguration } from '../charts/host';
import { lineSliceConfig } from '../charts/lineSlice';
import { element, section, setToolbar } from '../dom';
import { curvatureSummary } from '../../src/protocol/wording';
import { formatNumber } from '../../src/protocol/wording';
import { drawPlane, type PlaneDrawing } from '../landscape/draw';
import {
  curvatureReadout,
  fromPixel,
  isOnPlane,
  nearestSample,
  planeName,
  type ColorBy,
} from '../landscape/geometry';
import { clockOf, playback, sampleAt } from '../landscape/playback';
import { loadedSurface, loadSurface, type SurfaceModule } from '../landscape/loadSurface';
import { smoothedPlaneView } from '../landscape/smoothedPlane';
import type { SurfaceView } from '../landscape/surface3d';
import { button, checkbox, dropdown, slider } from '../toolkit';
import { hasSettledResult, type PanelContext, type PanelSection } from './section';
import type { PanelUiState } from '../vscodeApi';

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
  const automaticNote = element('div', { class: 'note automatic', id: 'automatic-note' });
  const pathNote = element('p', { class: 'note', id: 'path-note' });
  const curvatureNote = element('p', { class: 'note', id: 'curvature-note' });
  const planeWrap = element('div', { class: 'chart tall', id: 'plane-wrap' }, planeCanvas, hover);
  const surfaceHover = element('div', { id: 'surface-hover', class: 'hover', hidden: '' });
  const surfaceWrap = element('div', { class: 'chart tall', id: 'surface-wrap' }, surfaceHover);
  const lineWrap = element('div', { class: 'chart', id: 'line-wrap' }, lineCanvas);
  const bifurcationCanvas = element('canvas', {
    id: 'bifurcation-canvas',
    'aria-label': 'Critical points of the smoothed loss against σ',
  });
  const bifurcationWrap = element(
    'div',
    { class: 'chart', id: 'bifurcation-wrap', hidden: '' },
    bifurcationCanvas,
  );
  const playBar = element('div', { class: 'play-bar', id: 'play-bar' });
  const root = section(
    'landscape-section',
    'Landscape',
    automaticNote,
    note,
    planeWrap,
    surfaceWrap,
    lineWrap,
    bifurcationWrap,
    playBar,
    curvatureNote,
    pathNote,
  );
  /** The plane drawn last, for hit tests and redraws on resize, and what its grid holds. */
  let shown: { slice: PlaneSlice; drawing: PlaneDrawing; valueName: string } | null = null;
  let latest: PanelContext | null = null;
  let surfaceView: SurfaceView | null = null;
  /** The plane the 3-D view shows. */
  let surfaceSlice: PlaneSlice | null = null;
  let surfaceValueName = 'loss';
  /** Redraws what shows the play step: the plane, the surface or the chart. */
  let redrawStep: () => void = () => undefined;

  const drawShown = () => {
    if (!shown || !latest) return;
    const { ui, theme } = latest;
    shown.drawing = drawPlane(planeCanvas, shown.slice, {
      log: ui.logScale,
      selected: ui.selected,
      theme,
      epoch: playback.epoch,
      curvature: ui.curvature !== false,
      colorBy: colorByOf(shown.slice, ui),
    });
    exposeDots(planeCanvas, shown.drawing.dots);
    exposePlane(planeCanvas, shown.drawing, colorByOf(shown.slice, ui));
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
    const [a, b] = shown.slice.axes ? [shown.slice.axes.x, shown.slice.axes.y] : ['α', 'β'];
    hover.textContent =
      (marker ? `${marker.id}: ${marker.verdict}\n` : '') +
      `${a} = ${formatNumber(sample.x)}, ${b} = ${formatNumber(sample.y)}\n${shown.valueName} = ${formatNumber(sample.loss)}` +
      curvatureReadout(shown.slice, sample.i, sample.j);
    hover.hidden = false;
    placeHover(hover, px, py);
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
  playback.subscribe(() => {
    redrawStep();
    renderPlayBar();
  });

  const renderPlayBar = () => {
    const steps = playback.clock.length;
    if (steps === 0) {
      playBar.hidden = true;
      return;
    }
    playBar.hidden = false;
    const step = playback.step;
    const label = element(
      'span',
      { class: 'play-label', id: 'play-label' },
      step === null
        ? `training paths: ${steps} samples, epochs 0 to ${playback.clock[steps - 1]}`
        : `epoch ${playback.clock[step]} (sample ${step} of ${steps - 1})`,
    );
    const range = slider(step ?? 0, steps - 1, (value) => playback.seek(value), 'Training step');
    range.id = 'play-slider';
    const toggle = button(playback.playing ? 'Pause' : 'Play', () =>
      playback.playing ? playback.pause() : playback.play(),
    );
    toggle.id = 'play-button';
    const next = button('Step', () => playback.next());
    next.id = 'step-button';
    next.setAttribute('title', 'One sample of the training paths forward');
    const reset = button('Hide', () => playback.seek(null));
    reset.setAttribute('title', 'Hide the dots and the cursor');
    playBar.replaceChildren(toggle, next, range, label, ...(step === null ? [] : [reset]));
  };

  /** The bifurcation diagram under a smoothed slice (hidden for any other). */
  const showBifurcation = (slice: Slice, smoothed: { sigma: number } | null) => {
    const context = latest;
    if (!context || !slice.smoothing) {
      bifurcationWrap.hidden = true;
      context?.charts.hide(bifurcationCanvas);
      return;
    }
    bifurcationWrap.hidden = false;
    const key = `${context.versions.result}|${context.versions.theme}|${context.ui.slice}|${smoothed?.sigma}`;
    context.charts.show(
      bifurcationCanvas,
      key,
      () =>
        bifurcationConfig(
          slice,
          context.theme,
          smoothed?.sigma ?? null,
        ) as unknown as ChartConfiguration,
    );
  };

  return {
    root,
    visible: hasSettledResult,
    render(context) {
      latest = context;
      const { model, ui, charts, theme, versions } = context;
      const slices = model.result?.slices ?? [];
      if (slices.length === 0) {
        note.textContent =
          'This result has no landscape: the file says "slices": [] (or the result is older than automatic slices). Remove the key to let the engine choose one, or name a line or a plane, and analyze again.';
        note.hidden = false;
        automaticNote.hidden = pathNote.hidden = curvatureNote.hidden = true;
        lineWrap.hidden = planeWrap.hidden = surfaceWrap.hidden = true;
        shown = null;
        charts.hide(lineCanvas);
        bifurcationWrap.hidden = true;
        charts.hide(bifurcationCanvas);
        playback.setClock([]);
        renderPlayBar();
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
      renderAutomatic(automaticNote, slice);
      renderPathNote(pathNote, slice);
      const curvature = slice.curvature !== undefined && ui.curvature !== false;
      curvatureNote.hidden = !slice.curvature;
      curvatureNote.textContent = slice.curvature
        ? `Curvature: ${curvatureSummary(slice.curvature)}.${slice.curvature.negative > 0 && curvature ? ' Shaded where λmin < 0.' : ''}`
        : '';
      playback.setClock(clockOf(slice.paths ?? []));
      renderPlayBar();
      // A plane under the σ slider is drawn as L_σ with its critical points (no λmin).
      const surface = slice.type === 'plane' ? chosenSmoothing(slice.smoothing, ui) : null;
      const drawn = slice.type === 'plane' && surface ? smoothedPlaneView(slice, surface) : slice;
      const asSurface = slice.type === 'plane' && ui.surface === true;
      const surfaceModule = asSurface ? loadedSurface() : null;
      if (surfaceModule) surfaceView ??= createSurface(surfaceModule);
      setToolbar(root, [
        dropdown(
          slices.map((s, k) => ({ value: String(k), label: sliceLabel(s, k) })),
          String(index),
          (value) => context.setUi({ slice: Number(value) }),
        ),
        slice.type === 'axis'
          ? checkbox('Log scale', ui.axisLogScale === true, (checked) =>
              context.setUi({ axisLogScale: checked }),
            )
          : checkbox('Log scale', ui.logScale, (checked) => context.setUi({ logScale: checked })),
        ...(slice.type === 'plane'
          ? [checkbox('3-D', asSurface, (checked) => context.setUi({ surface: checked }))]
          : []),
        ...(drawn.curvature
          ? [checkbox('λmin < 0', curvature, (checked) => context.setUi({ curvature: checked }))]
          : []),
        ...(drawn.type === 'plane' && drawn.curvature?.ratio
          ? [
              withId(
                'color-by',
                dropdown(
                  [
                    { value: 'loss', label: 'Color: loss' },
                    { value: 'ratio', label: 'Color: |λmin/λmax|' },
                  ],
                  colorByOf(slice, ui),
                  (value) => context.setUi({ colorBy: value as ColorBy }),
                ),
              ),
            ]
          : []),
        ...smoothingSlider(slice, ui, context),
        context.exportPng(
          slice.type !== 'plane' ? lineCanvas : (asSurface && surfaceView?.canvas) || planeCanvas,
          `slice-${index + 1}`,
        ),
      ]);
      if (slice.type !== 'plane') {
        planeWrap.hidden = surfaceWrap.hidden = true;
        lineWrap.hidden = false;
        shown = null;
        const log = slice.type === 'axis' ? ui.axisLogScale === true : ui.logScale;
        const smoothed = chosenSmoothing(slice.smoothing, ui);
        const key = `${versions.result}|${versions.theme}|${index}|${log}|${ui.selected}|${curvature}|${smoothed?.sigma}`;
        const build = () => {
          if (slice.type === 'axis')
            return axisSliceConfig(slice, theme, {
              logScale: log,
              selected: ui.selected,
              epoch: playback.epoch,
              curvature,
              smoothed,
            }) as unknown as ChartConfiguration;
          const lossOf = (id: string) =>
            model.result?.runs.find((r) => r.id === id)?.loss ??
            model.result?.criticalPoints.find((p) => p.id === id)?.loss ??
            NaN;
          const ends = { from: lossOf(slice.from), to: lossOf(slice.to) };
          return lineSliceConfig(
            slice,
            ends,
            theme,
            ui.logScale,
            curvature,
            smoothed,
          ) as unknown as ChartConfiguration;
        };
        charts.show(lineCanvas, `${key}|${playback.step}`, build);
        showBifurcation(slice, smoothed);
        redrawStep = () => {
          charts.show(lineCanvas, `${key}|${playback.step}`, build);
          exposeAxisDots(lineCanvas, slice);
        };
        exposeAxisDots(lineCanvas, slice);
        return;
      }
      const plane = surface ? smoothedPlaneView(slice, surface) : slice;
      lineWrap.hidden = true;
      charts.hide(lineCanvas);
      showBifurcation(slice, surface);
      if (asSurface) {
        planeWrap.hidden = true;
        surfaceWrap.hidden = false;
        shown = null;
        if (!surfaceView) {
          // three.js comes in its own script, loaded the first time: draw when it is here.
          surfaceWrap.replaceChildren(
            surfaceHover,
            element('p', { class: 'note', id: 'surface-loading' }, 'Loading the 3-D view…'),
          );
          loadSurface().then(
            () => latest?.setUi({}),
            (error: Error) =>
              surfaceWrap.replaceChildren(
                element('p', { class: 'note' }, `The 3-D view could not load: ${error.message}`),
              ),
          );
          return;
        }
        surfaceWrap.querySelector('#surface-loading')?.remove();
        const view = surfaceView;
        surfaceSlice = plane;
        surfaceValueName = surface ? 'L_σ' : 'loss';
        if (!view.available) {
          surfaceWrap.replaceChildren(
            element(
              'p',
              { class: 'note' },
              'The 3-D view needs WebGL, which this editor does not offer; the heatmap shows the same plane.',
            ),
          );
          return;
        }
        view.show(plane, {
          log: ui.logScale,
          selected: ui.selected,
          theme,
          epoch: playback.epoch,
          colorBy: colorByOf(plane, ui),
          ...valueNameOf(surface),
        });
        exposeDots(view.canvas, view.state.dots);
        exposeSmoothedPlane(view.canvas, surface);
        // A play step moves the dots only: the surface, contours and paths stay built.
        redrawStep = () => {
          view.setEpoch(playback.epoch);
          exposeDots(view.canvas, view.state.dots);
        };
        return;
      }
      surfaceWrap.hidden = true;
      planeWrap.hidden = false;
      shown = {
        slice: plane,
        valueName: surface ? 'L_σ' : 'loss',
        drawing: drawPlane(planeCanvas, plane, {
          log: ui.logScale,
          selected: ui.selected,
          theme,
          epoch: playback.epoch,
          curvature: curvature && !surface,
          colorBy: colorByOf(plane, ui),
          ...valueNameOf(surface),
        }),
      };
      exposeDots(planeCanvas, shown.drawing.dots);
      exposePlane(planeCanvas, shown.drawing, colorByOf(plane, ui));
      exposeSmoothedPlane(planeCanvas, surface);
      redrawStep = drawShown;
    },
    hide({ charts }) {
      shown = null;
      charts.hide(lineCanvas);
    },
  };

  /** The 3-D view: click selects a marker, hovering reads out the sample under the pointer. */
  function createSurface(module: SurfaceModule): SurfaceView {
    return new module.SurfaceView(
      surfaceWrap,
      (id) => latest?.setUi({ selected: id }),
      (under) => {
        if (!under) {
          surfaceHover.hidden = true;
          return;
        }
        const axes = surfaceSlice?.axes;
        const [a, b] = axes ? [axes.x, axes.y] : ['α', 'β'];
        const sample = surfaceSlice ? nearestSample(surfaceSlice, under.x, under.y) : null;
        surfaceHover.textContent =
          (under.marker ? `${under.marker.id}: ${under.marker.verdict}\n` : '') +
          `${a} = ${formatNumber(under.x)}, ${b} = ${formatNumber(under.y)}\n${surfaceValueName} = ${formatNumber(under.loss)}` +
          (surfaceSlice && sample ? curvatureReadout(surfaceSlice, sample.i, sample.j) : '');
        surfaceHover.hidden = false;
        placeHover(surfaceHover, under.px, under.py);
      },
    );
  }
}

/** Beside the pointer, on its left where the readout would leave the plot. */
function placeHover(hover: HTMLElement, px: number, py: number): void {
  const room = hover.parentElement?.clientWidth ?? Infinity;
  const left = px + 14 + hover.offsetWidth > room ? px - 14 - hover.offsetWidth : px + 14;
  hover.style.left = `${Math.max(0, left)}px`;
  hover.style.top = `${py + 14}px`;
}

/** What the heatmap is colored by, and where its markers are: what the end-to-end test reads. */
/** The smoothing the σ slider chose (null: the plain loss, or a slice without smoothings). */
function chosenSmoothing<T>(smoothing: T[] | undefined, ui: PanelUiState): T | null {
  if (!smoothing) return null;
  const k = Math.min(ui.smoothing ?? 0, smoothing.length);
  return k > 0 ? smoothing[k - 1] : null;
}

/** The name of what a smoothed plane shows, for its title and color bar. */
function valueNameOf(surface: SmoothedSurface | null): { valueName?: string } {
  return surface ? { valueName: `L_σ, σ = ${surface.sigma}` } : {};
}

/**
 * Writes the plane's smoothing shown and its critical points on the canvas (heatmap or 3-D):
 * the end-to-end test moves the σ slider and watches the minima merge with it.
 */
function exposeSmoothedPlane(canvas: HTMLElement, surface: SmoothedSurface | null): void {
  canvas.dataset.smoothed = JSON.stringify(
    surface
      ? {
          sigma: surface.sigma,
          points: surface.criticalPoints.map(({ x, y, kind }) => ({ x, y, kind })),
        }
      : null,
  );
}

/**
 * "σ = 0.5" and a slider from the plain loss (0) through each σ the slice was smoothed with:
 * the curve or the plane, its critical points and their labels follow it.
 */
function smoothingSlider(slice: Slice, ui: PanelUiState, context: PanelContext): HTMLElement[] {
  if (!slice.smoothing) return [];
  const k = Math.min(ui.smoothing ?? 0, slice.smoothing.length);
  const range = slider(
    k,
    slice.smoothing.length,
    (value) => context.setUi({ smoothing: value }),
    'Smoothing σ',
  );
  range.id = 'sigma-slider';
  const label = element(
    'span',
    { class: 'play-label', id: 'sigma-label' },
    k === 0 ? 'σ = 0 (the loss itself)' : `σ = ${slice.smoothing[k - 1].sigma}: E[L(θ + σε)]`,
  );
  return [label, range];
}

function exposePlane(canvas: HTMLElement, drawing: PlaneDrawing, colorBy: ColorBy): void {
  canvas.dataset.colorBy = colorBy;
  canvas.dataset.markers = JSON.stringify(
    drawing.markers.map(({ id, px, py }) => ({ id, px: Math.round(px), py: Math.round(py) })),
  );
}

/** The play step's dots as a data attribute: what the end-to-end test checks against the result. */
function exposeDots(
  canvas: HTMLElement,
  dots: Array<{ id: string; sample: number; x: number; y: number }>,
) {
  canvas.dataset.dots = JSON.stringify(dots.map(({ id, sample, x, y }) => ({ id, sample, x, y })));
}

function exposeAxisDots(canvas: HTMLElement, slice: Slice): void {
  const epoch = playback.epoch;
  if (slice.type !== 'axis' || epoch === null || !slice.paths) {
    canvas.dataset.dots = '[]';
    return;
  }
  canvas.dataset.dots = JSON.stringify(
    slice.paths.map((path) => {
      const k = sampleAt(path, epoch);
      return { id: path.id, sample: k, x: path.x[k], y: path.loss[k] };
    }),
  );
}

/** "Chosen automatically: … To keep it, add to analysis.slices: {…}" */
function renderAutomatic(target: HTMLElement, slice: Slice): void {
  if (!slice.automatic) {
    target.hidden = true;
    return;
  }
  target.hidden = false;
  target.replaceChildren(
    element(
      'span',
      {},
      `Chosen automatically: ${slice.automatic.reason}. To keep it, add to "analysis":`,
    ),
    element(
      'pre',
      { class: 'snippet', id: 'automatic-snippet' },
      `"slices": [${JSON.stringify(slice.automatic.spec)}]`,
    ),
  );
}

/** Whether the paths lie in the slice or are projected onto it, and how far off at most. */
function renderPathNote(target: HTMLElement, slice: Slice): void {
  const paths = slice.paths ?? [];
  if (paths.length === 0) {
    target.hidden = true;
    return;
  }
  const farthest = Math.max(...paths.flatMap((p) => p.distance));
  const onIt =
    slice.type === 'plane'
      ? paths.every((p) =>
          p.distance.every((d, k) =>
            isOnPlane(slice, { id: p.id, x: p.x[k], y: p.y![k], distance: d, verdict: 'minimum' }),
          ),
        )
      : farthest === 0;
  target.hidden = false;
  target.textContent = onIt
    ? `The training paths of ${paths.length} run${paths.length === 1 ? '' : 's'} lie in this slice.`
    : `The training paths of ${paths.length} run${paths.length === 1 ? '' : 's'} are projected onto this slice: they leave it by up to ${formatNumber(farthest)} in parameter space.`;
}

function sliceLabel(slice: Slice, index: number): string {
  const auto = slice.automatic ? ' (automatic)' : '';
  if (slice.type === 'line')
    return `${index + 1}. Line ${slice.from} → ${slice.to}${slice.aligned ? ' (aligned)' : ''}${auto}`;
  if (slice.type === 'axis') return `${index + 1}. Along ${slice.parameter}${auto}`;
  return `${index + 1}. ${planeName(slice)}${auto}`;
}

/** What a plane is colored by: the ratio when the user chose it and the slice has it. */
function colorByOf(slice: Slice, ui: PanelUiState): ColorBy {
  return ui.colorBy === 'ratio' && slice.curvature && 'ratio' in slice.curvature ? 'ratio' : 'loss';
}

function withId<E extends HTMLElement>(id: string, element: E): E {
  element.id = id;
  return element;
}
