// The selected run's Hessian spectrum on a signed log axis about the zero band, and its
// eigenvalue density when the analysis computed one.
import type { ChartConfiguration } from '../charts/host';
import { densityConfig } from '../charts/densityChart';
import { spectrumConfig } from '../charts/spectrumChart';
import { element, section, setToolbar } from '../dom';
import { spectrumOf } from '../model';
import { hasSettledResult, type PanelSection } from './section';
import { spectrumDoubts, traceSummary } from '../../src/protocol/wording';

export function spectrumSection(): PanelSection {
  const canvas = element('canvas', { id: 'spectrum-canvas', 'aria-label': 'Hessian spectrum' });
  const wrap = element('div', { class: 'chart' }, canvas);
  const densityCanvas = element('canvas', {
    id: 'density-canvas',
    'aria-label': 'Hessian eigenvalue density',
  });
  const densityWrap = element('div', { class: 'chart' }, densityCanvas);
  // tr(H), and what of the spectrum is less sure than asked.
  const notes = element('div', { id: 'spectrum-notes' });
  const root = section('spectrum-section', 'Spectrum', wrap, notes, densityWrap);
  const heading = root.querySelector('h2')!;
  return {
    root,
    visible: hasSettledResult,
    render(context) {
      const { model, ui, charts, theme, versions } = context;
      const result = model.result;
      const id = ui.selected ?? result?.runs[0]?.id ?? null;
      const spectrum = spectrumOf(result, id);
      heading.textContent = id ? `Spectrum of ${id}` : 'Spectrum';
      const density = spectrum?.hessian.density;
      densityWrap.hidden = !density;
      if (spectrum && density)
        charts.show(
          densityCanvas,
          `${versions.result}|${versions.theme}|${spectrum.id}`,
          () =>
            densityConfig(
              spectrum.id,
              density,
              spectrum.hessian,
              theme,
            ) as unknown as ChartConfiguration,
        );
      else charts.hide(densityCanvas);
      notes.replaceChildren(
        ...(spectrum?.hessian.trace
          ? [element('p', { class: 'note' }, traceSummary(spectrum.hessian.trace))]
          : []),
        ...(spectrum
          ? spectrumDoubts(spectrum.hessian).map((doubt) =>
              element('p', { class: 'note doubt' }, `Less sure than asked: ${doubt}.`),
            )
          : []),
      );
      if (!spectrum) {
        charts.hide(canvas);
        wrap.hidden = true;
        const why = id ? `No Hessian was computed for ${id}.` : 'Select a run.';
        setToolbar(root, [element('span', { class: 'note' }, why)]);
        return;
      }
      wrap.hidden = false;
      setToolbar(root, [
        context.exportPng(canvas, `spectrum-${spectrum.id}`),
        ...(density
          ? [context.exportPng(densityCanvas, `density-${spectrum.id}`, 'Export density PNG')]
          : []),
      ]);
      charts.show(
        canvas,
        `${versions.result}|${versions.theme}|${spectrum.id}`,
        () =>
          spectrumConfig(
            spectrum.id,
            spectrum.hessian,
            spectrum.verdict,
            theme,
          ) as unknown as ChartConfiguration,
      );
    },
    hide: ({ charts }) => {
      charts.hide(canvas);
      charts.hide(densityCanvas);
    },
  };
}
