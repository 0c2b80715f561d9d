// The top of the panel: title, facts of the result, the run's progress and the main actions;
// under it the banner for a failed, cancelled or stale analysis; and the empty state.
import { element } from '../dom';
import { shardSummary, stageTimes } from '../../src/protocol/wording';
import { resultFacts } from '../panelWording';
import { button, progressRing } from '../toolkit';
import { isEmpty, type PanelContext, type PanelSection } from './section';

export function headerSection(): PanelSection {
  const root = element('header', { id: 'status' });
  return {
    root,
    visible: () => true,
    render({ model, post }) {
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
          button('Cancel', () => post({ type: 'cancel' })),
        );
      } else {
        actions.append(button('Analyze', () => post({ type: 'analyze' }), 'primary'));
        if (result) actions.append(button('Open result file', () => post({ type: 'open-result' })));
      }
      const times = result ? stageTimes(result.timings) : '';
      root.replaceChildren(
        title,
        element('p', { class: 'facts' }, facts.join(' · ')),
        ...(times ? [element('p', { class: 'facts timings' }, `time: ${times}`)] : []),
        ...(result?.shards?.length
          ? [element('p', { class: 'facts shards', id: 'shards' }, shardSummary(result.shards))]
          : []),
        actions,
      );
    },
  };
}

/** What the banner says, if anything: a failed run, a cancelled one, or a stale result. */
function bannerKind({ model }: PanelContext): 'error' | 'info' | 'warning' | null {
  if (model.status === 'failed') return 'error';
  if (model.status === 'cancelled') return 'info';
  if (model.stale && model.result && model.status !== 'running') return 'warning';
  return null;
}

export function bannerSection(): PanelSection {
  const root = element('div', { id: 'banner', role: 'status' });
  return {
    root,
    visible: (context) => bannerKind(context) !== null,
    render(context) {
      const { model, post } = context;
      const kind = bannerKind(context)!;
      root.className = kind;
      switch (kind) {
        case 'error':
          root.replaceChildren(
            element('strong', {}, 'The analysis failed. '),
            element('span', { class: 'message' }, (model.message ?? '').split('\n')[0]),
            ...(model.result
              ? [element('span', {}, ' The result below is from the previous run.')]
              : []),
            button('Show log', () => post({ type: 'show-log' })),
          );
          return;
        case 'info':
          root.replaceChildren(
            element(
              'span',
              {},
              model.result
                ? 'Analysis cancelled; the result below is the previous one, unchanged.'
                : 'Analysis cancelled before it produced a result.',
            ),
          );
          return;
        case 'warning':
          root.replaceChildren(
            element('strong', {}, 'Stale: '),
            element('span', {}, `${model.file} changed since this result was computed. `),
            button('Analyze again', () => post({ type: 'analyze' }), 'primary'),
          );
          return;
      }
    },
  };
}

export function emptySection(): PanelSection {
  const root = element('div', { id: 'empty', class: 'empty' });
  return {
    root,
    visible: isEmpty,
    render({ model, post }) {
      root.replaceChildren(
        element('h2', {}, 'No result yet'),
        element(
          'p',
          {},
          `Analyze ${model.file || 'the file'} to train its runs, classify where each one stops (minimum, saddle, or a permutation twin of another run) and draw the landscape around them.`,
        ),
        button('Analyze', () => post({ type: 'analyze' }), 'primary'),
      );
    },
  };
}
