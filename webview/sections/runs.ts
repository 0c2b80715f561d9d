// The runs table: every run, named point and critical point with its loss, gradient norm,
// verdict badge (and twin), extreme eigenvalues, class and seed; a row selects that run
// everywhere; export as CSV.
import { element, section, setToolbar } from '../dom';
import { rowsToCsv } from '../exportCsv';
import { equivalenceLabel, formatNumber, verdictLabel, verdictTooltip } from '../format';
import { rows, type Row } from '../model';
import { button } from '../toolkit';
import { isEmpty, type PanelContext, type PanelSection } from './section';

const COLUMNS = ['Run', 'Loss', '‖∇L‖', 'Verdict', 'λmin', 'λmax', 'Class', 'Seed'];

export function runsSection(): PanelSection {
  const table = element('table', { id: 'runs' });
  const root = section('runs-section', 'Runs', element('div', { class: 'table-wrap' }, table));
  return {
    root,
    visible: (context) => !isEmpty(context),
    render(context) {
      const tableRows = rows(context.model);
      const head = element('tr', {}, ...COLUMNS.map((h) => element('th', { scope: 'col' }, h)));
      const body = tableRows.map((row) => tableRow(row, context));
      table.replaceChildren(element('thead', {}, head), element('tbody', {}, ...body));
      // MLP results (parameters named layerK.…) export a run as a PyTorch state_dict.
      const selected = context.ui.selected;
      const exportable =
        selected !== null &&
        context.model.result?.parameterNames[0]?.startsWith('layer1.') === true &&
        context.model.result.runs.some((r) => r.id === selected);
      setToolbar(root, [
        ...(exportable
          ? [
              button(`Export ${selected} weights`, () =>
                context.post({ type: 'export-weights', id: selected }),
              ),
            ]
          : []),
        button('Export CSV', () =>
          context.post({
            type: 'export',
            format: 'csv',
            name: `${context.baseName()}-runs.csv`,
            data: rowsToCsv(tableRows),
          }),
        ),
      ]);
    },
  };
}

function tableRow(row: Row, { ui, setUi }: PanelContext): HTMLTableRowElement {
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
}
