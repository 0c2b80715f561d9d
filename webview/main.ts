// The results panel: receives host messages, keeps the model and the UI state, and renders
// its sections (sections/*.ts) in page order. It draws what it is sent and computes nothing
// about the landscape itself.
import { isHostMessage } from '../src/protocol/panelMessages';
import { themeFrom, type Theme } from './charts/common';
import { ChartHost } from './charts/host';
import { initialModel, reduce, rows, type PanelModel } from './model';
import { criticalPointsSection } from './sections/criticalPoints';
import { curvesSection } from './sections/curves';
import { bannerSection, emptySection, headerSection } from './sections/header';
import { landscapeSection } from './sections/landscape';
import { runsSection } from './sections/runs';
import type { PanelContext, PanelSection } from './sections/section';
import { spectrumSection } from './sections/spectrum';
import { button, registerControls } from './toolkit';
import { vscode, type PanelUiState } from './vscodeApi';

registerControls();

/** The panel, top to bottom. */
const sections: PanelSection[] = [
  headerSection(),
  bannerSection(),
  emptySection(),
  runsSection(),
  curvesSection(),
  landscapeSection(),
  spectrumSection(),
  criticalPointsSection(),
];
document.getElementById('app')!.append(...sections.map((s) => s.root));

let model: PanelModel = initialModel();
let ui: PanelUiState = vscode.getState() ?? {
  specPath: '',
  selected: null,
  slice: 0,
  logScale: true,
};
let theme: Theme = readTheme();
const versions = { result: 0, theme: 0 };
const charts = new ChartHost();

function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  return themeFrom((name) => style.getPropertyValue(name));
}

function setUi(change: Partial<PanelUiState>): void {
  ui = { ...ui, ...change };
  vscode.setState(ui);
  scheduleRender();
}

function baseName(): string {
  return (model.file || 'loss').replace(/\.loss\.json$/i, '').replace(/\.json$/i, '');
}

function exportPng(canvas: HTMLCanvasElement, name: string, label = 'Export PNG'): HTMLElement {
  return button(label, () => {
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

function context(): PanelContext {
  return {
    model,
    ui,
    theme,
    versions,
    charts,
    setUi,
    post: (message) => vscode.postMessage(message),
    exportPng,
    baseName,
  };
}

let renderPending = false;
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
  const now = context();
  for (const section of sections) {
    const visible = section.visible(now);
    section.root.hidden = !visible;
    if (visible) section.render(now);
    else section.hide?.(now);
  }
}

// The theme class on <body> changes when the user switches themes: re-read the colors.
new MutationObserver(() => {
  theme = readTheme();
  versions.theme++;
  charts.clear();
  scheduleRender();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

window.addEventListener('message', (event: MessageEvent) => {
  if (!isHostMessage(event.data)) return;
  const previous = model.result;
  model = reduce(model, event.data);
  if (model.result !== previous) {
    versions.result++;
    if (!ui.selected || !rows(model).some((r) => r.id === ui.selected))
      ui = { ...ui, selected: model.result?.runs[0]?.id ?? null };
  }
  if (model.specPath && model.specPath !== ui.specPath) ui = { ...ui, specPath: model.specPath };
  vscode.setState(ui);
  scheduleRender();
});

vscode.postMessage({ type: 'ready' });
