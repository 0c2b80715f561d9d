// The results panel: receives host messages, keeps the model, and renders the sections —
// status, runs table, loss curves, landscape, spectrum, critical points. It draws what it is
// sent and computes nothing about the landscape itself.
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { isHostMessage } from '../src/protocol/panel';
import type { LineSlice, PlaneSlice } from '../src/protocol/result';
import { criticalPointsConfig, pointOfElement } from './charts/criticalPoints';
import { themeFrom, type Theme } from './charts/common';
import { lineSliceConfig } from './charts/lineSlice';
import { lossCurvesConfig } from './charts/lossCurves';
import { spectrumConfig } from './charts/spectrum';
import { rowsToCsv } from './exportCsv';
import {
  equivalenceLabel,
  formatNumber,
  noCurvesNote,
  resultFacts,
  verdictLabel,
  verdictTooltip,
} from './format';
import { drawPlane, type PlaneDrawing } from './landscape/draw';
import { fromPixel, nearestSample } from './landscape/geometry';
import {
  curveSeries,
  indexedPoints,
  initialModel,
  reduce,
  rows,
  spectrumOf,
  type PanelModel,
} from './model';
import { button, checkbox, dropdown, progressRing, registerControls } from './toolkit';
import { vscode, type PanelUiState } from './vscodeApi';

Chart.register(
  LineController,
  ScatterController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Title,
  Tooltip,
);
registerControls();

let model: PanelModel = initialModel();
let ui: PanelUiState = vscode.getState() ?? {
  specPath: '',
  selected: null,
  slice: 0,
  logScale: true,
};
let theme: Theme = readTheme();

function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  return themeFrom((name) => style.getPropertyValue(name));
}

function setUi(change: Partial<PanelUiState>): void {
  ui = { ...ui, ...change };
  vscode.setState(ui);
  scheduleRender();
}

// ---------------------------------------------------------------- layout

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function section(id: string, title: string, ...body: Node[]): HTMLElement {
  return element(
    'section',
    { id },
    element(
      'div',
      { class: 'section-head' },
      element('h2', {}, title),
      element('div', { class: 'toolbar' }),
    ),
    ...body,
  );
}

const app = document.getElementById('app')!;
const header = element('header', { id: 'status' });
const banner = element('div', { id: 'banner', role: 'status' });
const emptyState = element('div', { id: 'empty', class: 'empty' });
const runsTable = element('table', { id: 'runs' });
const curvesCanvas = element('canvas', { id: 'curves-canvas', 'aria-label': 'Loss curves' });
const planeCanvas = element('canvas', { id: 'plane-canvas', 'aria-label': 'Loss landscape plane' });
const lineCanvas = element('canvas', { id: 'line-canvas', 'aria-label': 'Loss along a line' });
const spectrumCanvas = element('canvas', {
  id: 'spectrum-canvas',
  'aria-label': 'Hessian spectrum',
});
const criticalCanvas = element('canvas', {
  id: 'critical-canvas',
  'aria-label': 'Critical points',
});
const hover = element('div', { id: 'hover', class: 'hover', hidden: '' });
const landscapeNote = element('p', { class: 'note' });
const curvesNote = element('p', { class: 'note', id: 'curves-note' });
const curvesWrap = element('div', { class: 'chart' }, curvesCanvas);

const sections = {
  runs: section('runs-section', 'Runs', element('div', { class: 'table-wrap' }, runsTable)),
  curves: section('curves-section', 'Loss curves', curvesNote, curvesWrap),
  landscape: section(
    'landscape-section',
    'Landscape',
    landscapeNote,
    element('div', { class: 'chart tall', id: 'plane-wrap' }, planeCanvas, hover),
    element('div', { class: 'chart', id: 'line-wrap' }, lineCanvas),
  ),
  spectrum: section(
    'spectrum-section',
    'Spectrum',
    element('div', { class: 'chart' }, spectrumCanvas),
  ),
  critical: section(
    'critical-section',
    'Critical points',
    element('div', { class: 'chart' }, criticalCanvas),
  ),
};
app.append(header, banner, emptyState, ...Object.values(sections));

// ---------------------------------------------------------------- charts

const charts = new Map<HTMLCanvasElement, { chart: Chart; key: string }>();

/** Creates the chart, or rebuilds it when its inputs (the key) changed. */
function showChart(canvas: HTMLCanvasElement, key: string, build: () => ChartConfiguration): void {
  const existing = charts.get(canvas);
  if (existing && existing.key === key) return;
  existing?.chart.destroy();
  charts.set(canvas, { chart: new Chart(canvas, build()), key });
}

function hideChart(canvas: HTMLCanvasElement): void {
  charts.get(canvas)?.chart.destroy();
  charts.delete(canvas);
}

/** Live loss curves change every batch: update the data in place instead of rebuilding. */
function showCurves(): void {
  const series = curveSeries(model);
  const config = lossCurvesConfig(series, theme, ui.selected);
  const existing = charts.get(curvesCanvas);
  if (existing) {
    existing.chart.data = config.data as Chart['data'];
    existing.chart.options = config.options as Chart['options'];
    existing.chart.update('none');
  } else {
    const chart = new Chart(curvesCanvas, config as ChartConfiguration);
    chart.options.onClick = (_event, elements) => {
      const hit = elements[0];
      const label = hit && chart.data.datasets[hit.datasetIndex]?.label;
      if (label) setUi({ selected: label });
    };
    charts.set(curvesCanvas, { chart, key: '' });
  }
}

// ---------------------------------------------------------------- rendering

let renderPending = false;
let themeVersion = 0;
let resultVersion = 0;
let planeDrawing: { slice: PlaneSlice; drawing: PlaneDrawing } | null = null;

function scheduleRender(): void {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    render();
  });
}

function render(): void {
  document.body.dataset.status = model.status;
  renderHeader();
  renderBanner();
  const hasResult = model.result !== null;
  const running = model.status === 'running';
  emptyState.hidden = hasResult || running;
  if (!emptyState.hidden) renderEmpty();
  sections.runs.hidden = !hasResult && !running;
  sections.curves.hidden = !hasResult && !running;
  for (const name of ['landscape', 'spectrum', 'critical'] as const)
    sections[name].hidden = !hasResult || running;
  if (!sections.runs.hidden) renderRuns();
  const note = running ? null : noCurvesNote(model.result);
  curvesNote.hidden = note === null;
  curvesNote.textContent = note ?? '';
  curvesWrap.hidden = note !== null;
  if (!sections.curves.hidden && note === null) {
    showCurves();
    setToolbar(sections.curves, [exportPngButton(curvesCanvas, 'loss-curves')]);
  } else {
    hideChart(curvesCanvas);
    setToolbar(sections.curves, []);
  }
  if (!sections.landscape.hidden) renderLandscape();
  if (!sections.spectrum.hidden) renderSpectrum();
  if (!sections.critical.hidden) renderCriticalPoints();
}

function renderHeader(): void {
  const result = model.result;
  const title = element('h1', {}, result?.name ?? model.file ?? 'Loss Landscape');
  const facts = result ? resultFacts(result, model.file) : [];
  const actions = element('div', { class: 'actions' });
  if (model.status === 'running') {
    const live = model.live;
    const progress = live ? `${live.finished}/${live.runs} runs trained` : 'starting';
    actions.append(
      progressRing(),
      element('span', { class: 'phase' }, `${model.phase ?? 'working'} · ${progress}`),
      button('Cancel', () => vscode.postMessage({ type: 'cancel' })),
    );
  } else {
    actions.append(button('Analyze', () => vscode.postMessage({ type: 'analyze' }), 'primary'));
    if (result)
      actions.append(button('Open result file', () => vscode.postMessage({ type: 'open-result' })));
  }
  header.replaceChildren(title, element('p', { class: 'facts' }, facts.join(' · ')), actions);
}

function renderBanner(): void {
  const parts: Node[] = [];
  let kind = '';
  if (model.status === 'failed') {
    kind = 'error';
    parts.push(
      element('strong', {}, 'The analysis failed. '),
      element('span', { class: 'message' }, (model.message ?? '').split('\n')[0]),
      ...(model.result ? [element('span', {}, ' The result below is from the previous run.')] : []),
      button('Show log', () => vscode.postMessage({ type: 'show-log' })),
    );
  } else if (model.status === 'cancelled') {
    kind = 'info';
    parts.push(
      element(
        'span',
        {},
        model.result
          ? 'Analysis cancelled; the result below is the previous one, unchanged.'
          : 'Analysis cancelled before it produced a result.',
      ),
    );
  } else if (model.stale && model.result && model.status !== 'running') {
    kind = 'warning';
    parts.push(
      element('strong', {}, 'Stale: '),
      element('span', {}, `${model.file} changed since this result was computed. `),
      button('Analyze again', () => vscode.postMessage({ type: 'analyze' }), 'primary'),
    );
  }
  banner.className = kind;
  banner.hidden = parts.length === 0;
  banner.replaceChildren(...parts);
}

function renderEmpty(): void {
  emptyState.replaceChildren(
    element('h2', {}, 'No result yet'),
    element(
      'p',
      {},
      `Analyze ${model.file || 'the file'} to train its runs, classify where each one stops (minimum, saddle, or a permutation twin of another run) and draw the landscape around them.`,
    ),
    button('Analyze', () => vscode.postMessage({ type: 'analyze' }), 'primary'),
  );
}

function setToolbar(target: HTMLElement, controls: HTMLElement[]): void {
  target.querySelector('.toolbar')!.replaceChildren(...controls);
}

function exportPngButton(canvas: HTMLCanvasElement, name: string): HTMLElement {
  return button('Export PNG', () => {
    // Charts draw on a transparent canvas: paint the theme's background under them.
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    vscode.postMessage({
      type: 'export',
      format: 'png',
      name: `${baseName()}-${name}.png`,
      data: copy.toDataURL('image/png'),
    });
  });
}

function baseName(): string {
  return (model.file || 'loss').replace(/\.loss\.json$/i, '').replace(/\.json$/i, '');
}

function renderRuns(): void {
  const tableRows = rows(model);
  const head = element(
    'tr',
    {},
    ...['Run', 'Loss', '‖∇L‖', 'Verdict', 'λmin', 'λmax', 'Class', 'Seed'].map((h) =>
      element('th', { scope: 'col' }, h),
    ),
  );
  const body = tableRows.map((row) => {
    const verdictCell = element('td', { class: 'verdict' });
    if (row.verdict) {
      verdictCell.append(
        element(
          'span',
          {
            class: `badge ${row.verdict.kind}`,
            'data-verdict': row.verdict.kind,
            title: verdictTooltip(row.verdict),
          },
          verdictLabel(row.verdict),
        ),
      );
      if (row.equivalentTo && row.equivalentTo.id !== row.id)
        verdictCell.append(
          element(
            'span',
            {
              class: 'badge equivalent',
              'data-equivalent-to': row.equivalentTo.id,
              title: `The same network as ${row.equivalentTo.id} up to ${row.equivalentTo.relation} (distance after mapping ${formatNumber(row.equivalentTo.distance)}).`,
            },
            equivalenceLabel(row.equivalentTo),
          ),
        );
    } else verdictCell.append(element('span', { class: 'pending' }, row.state ?? '—'));
    const tr = element(
      'tr',
      { 'data-id': row.id, tabindex: '0', class: row.id === ui.selected ? 'selected' : '' },
      element('th', { scope: 'row' }, row.id),
      element('td', { class: 'num' }, formatNumber(row.loss)),
      element('td', { class: 'num' }, formatNumber(row.gradientNorm)),
      verdictCell,
      element('td', { class: 'num' }, formatNumber(row.lambdaMin)),
      element('td', { class: 'num' }, formatNumber(row.lambdaMax)),
      element('td', { class: 'num' }, row.classNumber === null ? '—' : String(row.classNumber)),
      element('td', { class: 'num seed' }, row.seed === null ? '—' : String(row.seed)),
    );
    const select = () => setUi({ selected: row.id });
    tr.addEventListener('click', select);
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') select();
    });
    return tr;
  });
  runsTable.replaceChildren(element('thead', {}, head), element('tbody', {}, ...body));
  setToolbar(sections.runs, [
    button('Export CSV', () =>
      vscode.postMessage({
        type: 'export',
        format: 'csv',
        name: `${baseName()}-runs.csv`,
        data: rowsToCsv(tableRows),
      }),
    ),
  ]);
}

function sliceLabel(slice: LineSlice | PlaneSlice, index: number): string {
  if (slice.type === 'line')
    return `${index + 1}. Line ${slice.from} → ${slice.to}${slice.aligned ? ' (aligned)' : ''}`;
  const through = slice.through?.length ? ` through ${slice.through.join(', ')}` : '';
  return `${index + 1}. Plane (${slice.directions}) at ${slice.center}${through}`;
}

function renderLandscape(): void {
  const slices = model.result?.slices ?? [];
  const lineWrap = lineCanvas.parentElement!;
  const planeWrap = planeCanvas.parentElement!;
  if (slices.length === 0) {
    landscapeNote.textContent =
      'This result has no slices. Add "analysis": { "slices": [ … ] } to the file (a line between two runs, or a plane through runs and points) and analyze again.';
    landscapeNote.hidden = false;
    lineWrap.hidden = planeWrap.hidden = true;
    setToolbar(sections.landscape, []);
    return;
  }
  const index = Math.min(ui.slice, slices.length - 1);
  const slice = slices[index];
  landscapeNote.hidden = slice.nonFinite === 0;
  landscapeNote.textContent =
    slice.nonFinite > 0
      ? `${slice.nonFinite} grid points have a non-finite loss (left blank).`
      : '';
  setToolbar(sections.landscape, [
    dropdown(
      slices.map((s, k) => ({ value: String(k), label: sliceLabel(s, k) })),
      String(index),
      (value) => setUi({ slice: Number(value) }),
    ),
    checkbox('Log scale', ui.logScale, (checked) => setUi({ logScale: checked })),
    exportPngButton(slice.type === 'plane' ? planeCanvas : lineCanvas, `slice-${index + 1}`),
  ]);
  if (slice.type === 'line') {
    planeWrap.hidden = true;
    lineWrap.hidden = false;
    planeDrawing = null;
    const lossOf = (id: string) =>
      model.result?.runs.find((r) => r.id === id)?.loss ??
      model.result?.criticalPoints.find((p) => p.id === id)?.loss ??
      NaN;
    const ends = { from: lossOf(slice.from), to: lossOf(slice.to) };
    showChart(
      lineCanvas,
      `${resultVersion}|${themeVersion}|${index}|${ui.logScale}`,
      () => lineSliceConfig(slice, ends, theme, ui.logScale) as unknown as ChartConfiguration,
    );
  } else {
    lineWrap.hidden = true;
    planeWrap.hidden = false;
    hideChart(lineCanvas);
    planeDrawing = {
      slice,
      drawing: drawPlane(planeCanvas, slice, { log: ui.logScale, selected: ui.selected, theme }),
    };
  }
}

function renderSpectrum(): void {
  const result = model.result;
  const id = ui.selected ?? result?.runs[0]?.id ?? null;
  const spectrum = spectrumOf(result, id);
  const wrap = spectrumCanvas.parentElement!;
  sections.spectrum.querySelector('h2')!.textContent = id ? `Spectrum of ${id}` : 'Spectrum';
  if (!spectrum) {
    hideChart(spectrumCanvas);
    wrap.hidden = true;
    setToolbar(sections.spectrum, [
      element(
        'span',
        { class: 'note' },
        id ? `No Hessian was computed for ${id}.` : 'Select a run.',
      ),
    ]);
    return;
  }
  wrap.hidden = false;
  setToolbar(sections.spectrum, [exportPngButton(spectrumCanvas, `spectrum-${spectrum.id}`)]);
  showChart(
    spectrumCanvas,
    `${resultVersion}|${themeVersion}|${spectrum.id}`,
    () =>
      spectrumConfig(
        spectrum.id,
        spectrum.hessian,
        spectrum.verdict,
        theme,
      ) as unknown as ChartConfiguration,
  );
}

function renderCriticalPoints(): void {
  const points = indexedPoints(model.result);
  setToolbar(sections.critical, [exportPngButton(criticalCanvas, 'critical-points')]);
  showChart(criticalCanvas, `${resultVersion}|${themeVersion}|${ui.selected}`, () => {
    const config = criticalPointsConfig(
      points,
      theme,
      ui.selected,
    ) as unknown as ChartConfiguration;
    config.options = {
      ...config.options,
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (!hit) return;
        const point = pointOfElement(points, hit.datasetIndex, hit.index);
        if (point) setUi({ selected: point.id });
      },
    };
    return config;
  });
}

// ---------------------------------------------------------------- interaction

planeCanvas.addEventListener('mousemove', (event) => {
  if (!planeDrawing) return;
  const { slice, drawing } = planeDrawing;
  const rect = planeCanvas.getBoundingClientRect();
  const px = event.clientX - rect.left;
  const py = event.clientY - rect.top;
  const marker = drawing.markers.find((m) => Math.hypot(m.px - px, m.py - py) <= 8);
  const point = fromPixel(drawing.layout, slice, px, py);
  if (!point) {
    hover.hidden = true;
    return;
  }
  const sample = nearestSample(slice, point.x, point.y);
  hover.textContent =
    (marker ? `${marker.id}: ${marker.verdict}\n` : '') +
    `α = ${formatNumber(sample.x)}, β = ${formatNumber(sample.y)}\nloss = ${formatNumber(sample.loss)}`;
  hover.style.left = `${px + 14}px`;
  hover.style.top = `${py + 14}px`;
  hover.hidden = false;
});
planeCanvas.addEventListener('mouseleave', () => (hover.hidden = true));
planeCanvas.addEventListener('click', (event) => {
  if (!planeDrawing) return;
  const rect = planeCanvas.getBoundingClientRect();
  const marker = planeDrawing.drawing.markers.find(
    (m) => Math.hypot(m.px - (event.clientX - rect.left), m.py - (event.clientY - rect.top)) <= 8,
  );
  if (marker) setUi({ selected: marker.id });
});

// The theme class on <body> changes when the user switches themes: re-read the colors.
new MutationObserver(() => {
  theme = readTheme();
  themeVersion++;
  charts.forEach(({ chart }) => chart.destroy());
  charts.clear();
  scheduleRender();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

new ResizeObserver(() => {
  if (planeDrawing) scheduleRenderPlane();
}).observe(planeCanvas);

let planePending = false;
function scheduleRenderPlane(): void {
  if (planePending) return;
  planePending = true;
  requestAnimationFrame(() => {
    planePending = false;
    if (planeDrawing)
      planeDrawing.drawing = drawPlane(planeCanvas, planeDrawing.slice, {
        log: ui.logScale,
        selected: ui.selected,
        theme,
      });
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  if (!isHostMessage(event.data)) return;
  const previous = model.result;
  model = reduce(model, event.data);
  if (model.result !== previous) {
    resultVersion++;
    if (!ui.selected || !rows(model).some((r) => r.id === ui.selected))
      ui = { ...ui, selected: model.result?.runs[0]?.id ?? null };
  }
  if (model.specPath && model.specPath !== ui.specPath) ui = { ...ui, specPath: model.specPath };
  vscode.setState(ui);
  scheduleRender();
});

vscode.postMessage({ type: 'ready' });
