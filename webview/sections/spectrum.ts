// The selected run's Hessian spectrum on a signed log axis about the zero band.
import type { ChartConfiguration } from '../charts/host';
import { spectrumConfig } from '../charts/spectrum';
import { element, section, setToolbar } from '../dom';
import { spectrumOf } from '../model';
import { hasSettledResult, type PanelSection } from './section';

export function spectrumSection(): PanelSection {
  const canvas = element('canvas', { id: 'spectrum-canvas', 'aria-label': 'Hessian spectrum' });
  const wrap = element('div', { class: 'chart' }, canvas);
  const root = section('spectrum-section', 'Spectrum', wrap);
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
      if (!spectrum) {
        charts.hide(canvas);
        wrap.hidden = true;
        const why = id ? `No Hessian was computed for ${id}.` : 'Select a run.';
        setToolbar(root, [element('span', { class: 'note' }, why)]);
        return;
      }
      wrap.hidden = false;
      setToolbar(root, [context.exportPng(canvas, `spectrum-${spectrum.id}`)]);
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
    hide: ({ charts }) => charts.hide(canvas),
  };
}
