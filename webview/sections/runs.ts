// The runs table: every run, named point and critical point with its loss, gradient norm,
// verdict badge (and twin), extreme eigenvalues, class and seed; a row selects that run
// everywhere; export as CSV.
import { element, section, setToolbar } from '../dom';
import { equivalenceLabel, formatNumber, MISSING, verdictLabel } from '../../src/protocol/wording';
import { verdictTooltip } from '../panelWording';
import { rows } from '../model';
import { RUN_COLUMNS, rowsToCsv, twinOf, type RunRow } from '../../src/protocol/runTable';
import { button } from '../toolkit';
import { isEmpty, type PanelContext, type PanelSection } from './section';

/** The columns the panel shows, from the one table of columns (the CSV has them all). */
const COLUMNS = RUN_COLUMNS.filter((column) => column.panel);

export function runsSection(): PanelSection {
  const table = element('table', { id: 'runs' });
  const root = section('runs-section', 'Runs', element('div', { class: 'table-wrap' }, table));
  return {
    root,
    visible: (context) => !isEmpty(context),
    render(context) {
      const tableRows = rows(context.model);
      const head = element(
        'tr',
        {},
        ...COLUMNS.map((column) => element('th', { scope: 'col' }, column.heading)),
      );
      const body = tableRows.map((row) => tableRow(row, context));
      table.replaceChildren(element('thead', {}, head), element('tbody', {}, ...body));
      // A network the result describes layer by layer exports a run as a PyTorch state_dict
      // (an nn.Sequential's: a layer norm has no place in it).
      const selected = context.ui.selected;
      const model = context.model.result?.model;
      const exportable =
        selected !== null &&
        model?.kind === 'mlp' &&
        model.layers.every((layer) => !layer.norm) &&
        context.model.result!.runs.some((r) => r.id === selected);
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

function tableRow(row: RunRow, { ui, setUi }: PanelContext): HTMLTableRowElement {
  const cells = COLUMNS.map((column) => {
    if (column.csv === 'id') return element('th', { scope: 'row' }, row.id);
    if (column.csv === 'verdict') return verdictCell(row);
    return element(
      'td',
      { class: column.numeric ? `num ${column.csv}` : column.csv },
      column.text(row),
    );
  });
  const tr = element(
    'tr',
    { 'data-id': row.id, tabindex: '0', class: row.id === ui.selected ? 'selected' : '' },
    ...cells,
  );
  const select = () => setUi({ selected: row.id });
  tr.addEventListener('click', select);
  tr.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') select();
  });
  return tr;
}

/** The verdict as a badge (its tooltip the reason and tolerances), and the twin's badge. */
function verdictCell(row: RunRow): HTMLTableCellElement {
  const cell = element('td', { class: 'verdict' });
  if (!row.verdict) {
    cell.append(element('span', { class: 'pending' }, row.state ?? MISSING));
    return cell;
  }
  cell.append(
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
  const twin = twinOf(row);
  if (twin)
    cell.append(
      element(
        'span',
        {
          class: 'badge equivalent',
          'data-equivalent-to': twin.id,
          title: `The same network as ${twin.id} up to ${twin.relation} (distance after mapping ${formatNumber(twin.distance)}).`,
        },
        equivalenceLabel(twin),
      ),
    );
  return cell;
}
