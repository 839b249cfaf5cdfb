import { DriftPanelRequest, DriftPanelUpdate } from '../../shared/drift-panel';
import type { DriftPanelSource, DriftPanelState, MessageFromDriftPanel, MessageToDriftPanel, PanelMetricHistory, PanelReport } from '../../shared/drift-panel';
import { el } from '../common/dom';
import { HostChannel } from '../common/vscode-api';
import { renderDetail, showHistory } from './detail';
import { renderPerformanceHistory } from './performance';
import { renderColumns, renderSummary } from './render';

const host = new HostChannel<MessageFromDriftPanel, MessageToDriftPanel, DriftPanelState>();
const app = document.getElementById('app')!;
let source: DriftPanelSource | undefined = host.state?.source;
let column: string | null = host.state?.column ?? null;
let report: PanelReport | undefined;
let nextRequest = 1;
/** Only the newest request's answer is shown; an older one arriving late is dropped. */
let reportRequest = 0;
let historyRequest = 0;
let performanceRequest = 0;
let performanceCollapsed = host.state?.performanceCollapsed ?? false;
let historySlot: HTMLElement | undefined;
const detailHolder = el('div', {});
const performanceHolder = el('div', {});

function save(): void {
  if (source) host.state = { source, column, performanceCollapsed };
}

function banner(text: string | null): void {
  document.getElementById('banner')?.remove();
  if (text) app.prepend(el('p', { id: 'banner', class: 'banner', role: 'status' }, text));
}

function loadReport(): void {
  if (!source) return;
  reportRequest = nextRequest++;
  host.post({ type: DriftPanelRequest.LoadReport, requestId: reportRequest, source });
}

function loadHistory(): void {
  if (!report || !column || !historySlot) return;
  if (!report.monitor) {
    showHistory(historySlot, 'Drift over time is kept for monitor reports; this report was opened from a file.');
    return;
  }
  historyRequest = nextRequest++;
  host.post({ type: DriftPanelRequest.LoadHistory, requestId: historyRequest, monitor: report.monitor, column });
}

function loadPerformance(): void {
  if (!report?.monitor) return;
  performanceRequest = nextRequest++;
  host.post({ type: DriftPanelRequest.LoadPerformance, requestId: performanceRequest, monitor: report.monitor });
}

function showPerformance(metrics: readonly PanelMetricHistory[]): void {
  if (!report) return;
  const section = renderPerformanceHistory(report, metrics, performanceCollapsed, (collapsed) => {
    performanceCollapsed = collapsed;
    save();
  });
  // Keep focus on a chart that is redrawn because the monitor stored a new window.
  const focused = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>('figure[data-metric]')?.dataset.metric;
  performanceHolder.replaceChildren(...(section ? [section] : []));
  if (focused) performanceHolder.querySelector<HTMLElement>(`figure[data-metric="${CSS.escape(focused)}"]`)?.focus();
}

function closeDetail(): void {
  const was = column;
  column = null;
  historySlot = undefined;
  detailHolder.replaceChildren();
  save();
  if (was !== null) app.querySelector<HTMLButtonElement>(`button[data-column="${CSS.escape(was)}"]`)?.focus();
}

function openDetail(name: string, focus: boolean): void {
  const c = report?.columns.find((x) => x.column === name);
  if (!c) return closeDetail();
  column = name;
  save();
  const { root, history } = renderDetail(c, closeDetail);
  historySlot = history;
  detailHolder.replaceChildren(root);
  for (const tr of app.querySelectorAll('tr.selected')) tr.classList.remove('selected');
  app.querySelector(`tr[data-row="${CSS.escape(name)}"]`)?.classList.add('selected');
  if (focus) root.focus();
  loadHistory();
}

function show(loaded: PanelReport): void {
  const started = performance.now();
  report = loaded;
  performanceHolder.replaceChildren();
  app.replaceChildren(renderSummary(loaded), performanceHolder, detailHolder, renderColumns(loaded, (name) => openDetail(name, true)));
  loadPerformance();
  if (column) openDetail(column, false);
  else detailHolder.replaceChildren();
  // Building and laying out the whole report, recorded for the tests that hold it to a budget.
  void app.offsetHeight;
  app.dataset.renderMs = String(Math.round(performance.now() - started));
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && column !== null) closeDetail();
});

host.onMessage((message) => {
  switch (message.type) {
    case DriftPanelUpdate.Init:
      source = message.source;
      save();
      loadReport();
      return;
    case DriftPanelUpdate.ReportLoaded:
      if (message.requestId !== reportRequest) return;
      banner(null);
      show(message.report);
      return;
    case DriftPanelUpdate.HistoryLoaded:
      if (message.requestId !== historyRequest || message.column !== column || !historySlot) return;
      showHistory(historySlot, message.history);
      return;
    case DriftPanelUpdate.PerformanceLoaded:
      if (message.requestId !== performanceRequest || message.monitor !== report?.monitor) return;
      showPerformance(message.metrics);
      return;
    case DriftPanelUpdate.RequestFailed:
      // A failed performance load leaves the section as it was: the summary's table still has the window's metrics.
      if (message.requestId === performanceRequest) return;
      if (message.requestId === historyRequest && historySlot) showHistory(historySlot, message.message);
      else if (message.requestId === reportRequest) banner(message.message);
      return;
    case DriftPanelUpdate.MonitorChanged:
      if (report?.monitor !== message.monitor) return;
      loadHistory();
      loadPerformance();
      return;
    case DriftPanelUpdate.EngineState:
      if (!message.connected) banner('The Slipway engine stopped; showing the last loaded report.');
      else if (!report) loadReport();
      else {
        banner(null);
        loadHistory();
        loadPerformance();
      }
      return;
  }
});

host.post({ type: DriftPanelRequest.Ready });
