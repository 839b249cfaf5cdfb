import type { PanelColumn, PanelMetric, PanelReport } from '../../shared/drift-panel';
import { el, table } from '../common/dom';
import { sparkline } from './chart';

export function formatNumber(x: number | null): string {
  if (x === null) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function legend(): HTMLElement {
  return el('p', { class: 'legend muted' }, el('span', { class: 'swatch ref' }), 'reference ', el('span', { class: 'swatch cur' }), 'current');
}

function metricRow(m: PanelMetric): string[] {
  const change = m.change === null ? '—' : `${m.change > 0 ? '+' : ''}${formatNumber(m.change)}`;
  return [m.metric, formatNumber(m.value), formatNumber(m.baseline), change, m.degraded ? 'degraded' : 'ok'];
}

function performanceTable(metrics: PanelMetric[]): HTMLTableElement {
  const t = table('performance', ['Metric', 'Value', 'Baseline', 'Change', 'Result'], metrics.map(metricRow));
  t.querySelectorAll('tbody tr').forEach((tr, i) => {
    tr.lastElementChild?.classList.add(metrics[i]?.degraded ? 'bad' : 'ok');
  });
  return t;
}

/** The header: title, summary sentence, verdicts, where the data came from, and performance against the baseline. */
export function renderSummary(report: PanelReport): HTMLElement {
  const facts = [
    ...(report.monitor ? [`Monitor ${report.monitor}`] : []),
    ...(report.window ? [`window ${when(report.window.startMs)} → ${when(report.window.endMs)} UTC`] : []),
    `reference ${report.reference}`,
    `current ${report.current}`,
    ...(report.generatedAt ? [`made ${report.generatedAt.slice(0, 19).replace('T', ' ')}`] : []),
  ];
  const box = el(
    'section',
    { class: 'summary' },
    el('h1', { 'data-field': 'summary', class: report.datasetDrift ? 'bad' : '' }, report.summary),
    ...report.verdicts.map((v) => el('p', { class: 'verdict' }, v)),
    el('p', { class: 'muted' }, facts.join(' · ')),
  );
  if (report.error) box.append(el('p', { class: 'banner' }, `This window could not be fully evaluated: ${report.error}`));
  if (report.performance) {
    const p = report.performance;
    box.append(
      el('h2', {}, 'Model performance'),
      el('p', { class: 'muted' }, `${p.labelled} of ${p.predictions} predictions labelled; a metric degrades when it worsens by more than ${formatNumber(p.maxChange)} from the baseline the training run logged.`),
      performanceTable(p.metrics),
    );
  }
  return box;
}

export type SortKey = 'order' | 'column' | 'score' | 'drifted';

const HEADERS: { label: string; key?: SortKey; numeric?: boolean }[] = [
  { label: 'Column', key: 'column' },
  { label: 'Type' },
  { label: 'Test' },
  { label: 'Score', key: 'score', numeric: true },
  { label: 'Threshold', numeric: true },
  { label: 'Result', key: 'drifted' },
  { label: 'Distribution' },
];

/** One table row per column; the column name is a button that opens its detail. */
function row(c: PanelColumn, index: number): HTMLTableRowElement {
  const name = el('button', { class: 'link', type: 'button', 'data-column': c.column, 'aria-label': `${c.column}: ${c.drifted ? 'drift' : 'no drift'}, open its detail` }, c.column);
  const role = c.role === 'feature' ? [] : [' ', el('span', { class: 'tag' }, c.role)];
  return el(
    'tr',
    { class: c.drifted ? 'drift' : '', 'data-index': String(index), 'data-row': c.column },
    el('td', {}, name, ...role),
    el('td', {}, c.type),
    el('td', {}, c.testLabel),
    el('td', { class: 'num' }, formatNumber(c.score)),
    el('td', { class: 'num' }, formatNumber(c.threshold)),
    el('td', {}, el('span', { class: c.drifted ? 'bad' : 'ok' }, c.drifted ? 'Drift' : 'No drift')),
    el('td', { class: 'chart' }, sparkline(c.histogram)),
  );
}

/**
 * The column table. Sorting moves the existing rows (no re-render); arrow keys move between the rows' buttons, so
 * the table is usable without a mouse.
 */
export function renderColumns(report: PanelReport, open: (column: string) => void): HTMLElement {
  const rows = report.columns.map(row);
  const tbody = el('tbody', {}, ...rows);
  let sort: { key: SortKey; descending: boolean } = { key: 'order', descending: false };
  const headerCells = HEADERS.map((h) => {
    const th = el('th', { scope: 'col', class: h.numeric ? 'num' : '' });
    if (!h.key) th.append(h.label);
    else th.append(el('button', { class: 'sort', type: 'button', 'data-sort': h.key }, h.label));
    return th;
  });
  const compare = (key: SortKey) => (a: number, b: number) => {
    const x = report.columns[a]!;
    const y = report.columns[b]!;
    if (key === 'column') return x.column.localeCompare(y.column);
    if (key === 'drifted') return Number(y.drifted) - Number(x.drifted) || a - b;
    // Scores compare by how far past their threshold they are: p-values low, distances high.
    const badness = (c: PanelColumn) => (c.score === null ? -Infinity : c.scoreKind === 'p_value' ? c.threshold - c.score : c.score - c.threshold);
    if (key === 'score') return badness(y) - badness(x) || a - b;
    return a - b;
  };
  const apply = () => {
    const order = rows.map((_, i) => i).sort(compare(sort.key));
    if (sort.descending) order.reverse();
    tbody.append(...order.map((i) => rows[i]!));
    headerCells.forEach((th, i) => {
      const key = HEADERS[i]!.key;
      if (key && key === sort.key) th.setAttribute('aria-sort', sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
  };
  const thead = el('thead', {}, el('tr', {}, ...headerCells));
  thead.addEventListener('click', (event) => {
    const key = (event.target as HTMLElement).closest('button')?.dataset.sort as SortKey | undefined;
    if (!key) return;
    sort = sort.key === key ? { key, descending: !sort.descending } : { key, descending: false };
    apply();
  });
  tbody.addEventListener('click', (event) => {
    const column = (event.target as HTMLElement).closest('button')?.dataset.column;
    if (column !== undefined) open(column);
  });
  tbody.addEventListener('keydown', (event) => {
    const button = (event.target as HTMLElement).closest('button');
    if (!button) return;
    const tr = button.closest('tr')!;
    const target =
      event.key === 'ArrowDown' ? tr.nextElementSibling : event.key === 'ArrowUp' ? tr.previousElementSibling : event.key === 'Home' ? tbody.firstElementChild : event.key === 'End' ? tbody.lastElementChild : null;
    if (!target) return;
    event.preventDefault();
    target.querySelector('button')?.focus();
  });
  const caption = el('caption', { class: 'muted' }, `${report.columns.length} columns tested. Choose a column for its distributions and drift over time; column headers sort.`);
  return el(
    'section',
    { class: 'columns' },
    el('h2', {}, 'Columns'),
    legend(),
    report.columns.length ? el('table', { 'data-section': 'columns' }, caption, thead, tbody) : el('p', { class: 'muted' }, 'No columns were tested.'),
    ...(report.skipped.length ? [el('h2', {}, 'Not tested'), el('ul', {}, ...report.skipped.map((s) => el('li', {}, s)))] : []),
    ...(report.notes.length ? [el('h2', {}, 'Notes'), el('ul', {}, ...report.notes.map((s) => el('li', {}, s)))] : []),
  );
}
