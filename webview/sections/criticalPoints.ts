// Index against loss of the critical points: one point per class of runs, and those found
// between twins and by the search. Click one to select it everywhere.
import { criticalPointsConfig, pointOfElement } from '../charts/indexByLoss';
import type { ChartConfiguration } from '../charts/host';
import { element, section, setToolbar } from '../dom';
import { indexedPoints } from '../model';
import { hasSettledResult, type PanelSection } from './section';

export function criticalPointsSection(): PanelSection {
  const canvas = element('canvas', { id: 'critical-canvas', 'aria-label': 'Critical points' });
  const root = section(
    'critical-section',
    'Critical points',
    element('div', { class: 'chart' }, canvas),
  );
  return {
    root,
    visible: hasSettledResult,
    render(context) {
      const { model, ui, charts, theme, versions } = context;
      const points = indexedPoints(model.result);
      setToolbar(root, [context.exportPng(canvas, 'critical-points')]);
      charts.show(canvas, `${versions.result}|${versions.theme}|${ui.selected}`, () => {
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
            if (point) context.setUi({ selected: point.id });
          },
        };
        return config;
      });
    },
    hide: ({ charts }) => charts.hide(canvas),
  };
}
