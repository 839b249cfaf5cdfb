import type { PanelColumn, PanelHistory } from '../../shared/drift-panel';
import { el, table } from '../common/dom';
import { distributionChart, historyChart } from './chart';
import { formatNumber, legend } from './render';

/** The detail of one column: verdict, both sides' counts, overlaid distributions, and a slot for its history. */
export function renderDetail(c: PanelColumn, close: () => void): { root: HTMLElement; history: HTMLElement } {
  const back = el('button', { class: 'close', type: 'button', 'aria-label': 'Close the column detail' }, 'All columns');
  back.addEventListener('click', close);
  const history = el('div', { 'data-section': 'history' }, el('p', { class: 'muted' }, 'Loading the drift over time…'));
  const comparison = c.scoreKind === 'p_value' ? 'drifts when the p-value is below the threshold' : 'drifts when the distance reaches the threshold';
  const root = el(
    'section',
    { id: 'detail', class: 'detail', 'aria-label': `Column ${c.column}`, tabindex: '-1' },
    el('header', {}, el('h2', { 'data-field': 'detail-column' }, c.column), el('span', { class: c.drifted ? 'bad' : 'ok' }, c.drifted ? 'Drift' : 'No drift'), back),
    el('p', {}, `${c.testLabel}: ${formatNumber(c.score)} (threshold ${formatNumber(c.threshold)}; ${comparison}). ${c.type}, ${c.role}.`),
    table('sides', ['', 'Rows', 'Missing', 'Distinct'], [
      ['Reference', String(c.reference.rows), String(c.reference.missing), String(c.reference.distinct)],
      ['Current', String(c.current.rows), String(c.current.missing), String(c.current.distinct)],
    ]),
    el('h3', {}, 'Distribution'),
    legend(),
    distributionChart(c.histogram, c.column),
    ...(c.notes.length ? [el('ul', { class: 'muted' }, ...c.notes.map((n) => el('li', {}, n)))] : []),
    el('h3', {}, 'Drift over time'),
    history,
  );
  return { root, history };
}

/** Fills the history slot: the chart, or why there is none. */
export function showHistory(slot: HTMLElement, history: PanelHistory | null | string): void {
  if (typeof history === 'string') slot.replaceChildren(el('p', { class: 'muted' }, history));
  else if (!history || !history.points.some((p) => p.value !== null)) slot.replaceChildren(el('p', { class: 'muted' }, 'No scores over time for this column yet.'));
  else
    slot.replaceChildren(
      historyChart(history),
      el(
        'p',
        { class: 'muted' },
        `${history.points.length} window${history.points.length === 1 ? '' : 's'}; dashed line: threshold ${history.threshold}; filled dots: windows where it drifted${history.scoreKind === 'p_value' ? '; p-values on a log scale (below 1e-300 drawn at 1e-300)' : ''}.`,
      ),
    );
}
