import type { PanelMetricHistory, PanelReport } from '../../shared/drift-panel';
import { el } from '../common/dom';
import { metricChart } from './chart';
import { short } from './scale';
import type { ChartPoint } from './scale';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A focusable figure around one metric's chart: Left/Right (Home/End) step through the windows, and the readout under
 * the chart says the focused window's value, so the chart can be read without a mouse or sight of the dots.
 */
function figure(m: PanelMetricHistory, baseline: number | null, maxChange: number): HTMLElement {
  const { svg, points } = metricChart(m, baseline, maxChange);
  const readout = el('p', { class: 'muted readout', 'aria-live': 'polite' });
  const describe = (p: ChartPoint) => {
    const against = baseline === null ? '' : `; baseline ${short(baseline)}`;
    return `${day(p.windowStartMs)}: ${m.metric} ${short(p.value)}${against}${p.flagged ? ' — degraded' : ''}`;
  };
  const last = points.at(-1);
  readout.textContent = last ? `Latest window ${describe(last)}` : '';
  const box = el('figure', { class: 'metric-chart', 'data-metric': m.metric, tabindex: '0', 'aria-label': `${m.metric} over time; left and right arrows step through the windows` }, el('figcaption', {}, m.metric), svg, readout);
  let at = points.length - 1;
  const show = (index: number) => {
    at = Math.max(0, Math.min(points.length - 1, index));
    for (const dot of svg.querySelectorAll('circle.current')) dot.classList.remove('current');
    svg.querySelector(`circle[data-index="${at}"]`)?.classList.add('current');
    const p = points[at];
    if (p) readout.textContent = describe(p);
  };
  box.addEventListener('keydown', (event) => {
    const target = event.key === 'ArrowLeft' ? at - 1 : event.key === 'ArrowRight' ? at + 1 : event.key === 'Home' ? 0 : event.key === 'End' ? points.length - 1 : null;
    if (target === null || !points.length) return;
    event.preventDefault();
    show(target);
  });
  return box;
}

/**
 * "Performance over time": one small chart per metric the monitor has values for, with the baseline and allowed band
 * of the report shown. Null when there is nothing to draw, so the panel shows no empty section.
 */
export function renderPerformanceHistory(report: PanelReport, metrics: readonly PanelMetricHistory[], collapsed: boolean, toggled: (collapsed: boolean) => void): HTMLElement | null {
  const drawn = metrics.filter((m) => m.points.some((p) => p.value !== null));
  if (!drawn.length) return null;
  const perf = report.performance;
  const maxChange = perf?.maxChange ?? 0;
  const baselineOf = (m: PanelMetricHistory) => perf?.metrics.find((x) => x.metric === m.metric)?.baseline ?? null;
  const windows = new Set(drawn.flatMap((m) => m.points.map((p) => p.report_id))).size;
  const details = el(
    'details',
    { class: 'performance-history', 'data-section': 'performance-history' },
    el('summary', {}, el('h2', {}, 'Performance over time')),
    el(
      'p',
      { class: 'muted' },
      `${windows} window${windows === 1 ? '' : 's'} of ${report.monitor ?? 'this monitor'}. ${
        drawn.some((m) => baselineOf(m) !== null)
          ? `Dashed line: the baseline the training run logged; shaded: the allowed change of ${short(maxChange)} in the worse direction; filled dots: degraded windows.`
          : 'The model\'s run logged none of these metrics, so there is no baseline to judge them against.'
      }`,
    ),
    el('div', { class: 'metric-grid' }, ...drawn.map((m) => figure(m, baselineOf(m), maxChange))),
  );
  details.open = !collapsed;
  details.addEventListener('toggle', () => toggled(!details.open));
  return details;
}
