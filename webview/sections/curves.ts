// Loss curves of every run, live while training (updated in place) and coloured by class once
// the result is in; a result without training runs says so instead.
import type { ChartConfiguration } from '../charts/host';
import { lossCurvesConfig } from '../charts/lossCurves';
import { element, section, setToolbar } from '../dom';
import { noCurvesNote } from '../panelWording';
import { curveSeries } from '../model';
import { epochCursor } from '../charts/epochCursor';
import { playback } from '../landscape/playback';
import { isEmpty, type PanelSection } from './section';

export function curvesSection(): PanelSection {
  const canvas = element('canvas', { id: 'curves-canvas', 'aria-label': 'Loss curves' });
  const note = element('p', { class: 'note', id: 'curves-note' });
  const wrap = element('div', { class: 'chart' }, canvas);
  const root = section('curves-section', 'Loss curves', note, wrap);
  let redraw: () => void = () => undefined;
  // The play control's step moves the cursor: redraw, no new data.
  playback.subscribe(() => redraw());
  return {
    root,
    visible: (context) => !isEmpty(context),
    render(context) {
      const { model, theme, ui, charts } = context;
      const text = model.status === 'running' ? null : noCurvesNote(model.result);
      note.hidden = text === null;
      note.textContent = text ?? '';
      wrap.hidden = text !== null;
      if (text !== null) {
        charts.hide(canvas);
        setToolbar(root, []);
        return;
      }
      const config = lossCurvesConfig(curveSeries(model), theme, ui.selected);
      config.plugins = [epochCursor(theme, () => playback.epoch)];
      redraw = () => charts.get(canvas)?.draw();
      charts.update(canvas, config as ChartConfiguration, (chart) => {
        chart.options.onClick = (_event, elements) => {
          const hit = elements[0];
          const label = hit && chart.data.datasets[hit.datasetIndex]?.label;
          if (label) context.setUi({ selected: label });
        };
      });
      setToolbar(root, [context.exportPng(canvas, 'loss-curves')]);
    },
    hide: ({ charts }) => charts.hide(canvas),
  };
}
