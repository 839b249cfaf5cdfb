import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ago, alertMessage, collectMonitoringTree, monitoringBadge, reportItems, statusText } from '../../src/extension/monitoring/collect';
import { alertIdOf, describeMonitorRun, monitorNameOf, reportIdOf } from '../../src/extension/monitoring/commands';
import { shapeHistogram, shapeMonitorReport } from '../../src/extension/drift-report/shape';
import type { AlertRecord, MonitorInfo, MonitorReport, MonitorReportSummary } from '../../src/shared/monitoring';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 4, 12);

function summary(id: string, monitor: string, status: MonitorReportSummary['status'], createdMs: number, extra: Partial<MonitorReportSummary> = {}): MonitorReportSummary {
  return {
    id,
    monitor,
    window_start_ms: createdMs - 24 * HOUR,
    window_end_ms: createdMs,
    created_ms: createdMs,
    status,
    rows: 500,
    dataset_drift: status === 'drift',
    number_of_columns: 12,
    number_of_drifted_columns: status === 'drift' ? 7 : 0,
    degraded: [],
    summary: status === 'drift' ? 'Drift detected in 7 of 12 columns' : 'No drift in 12 columns',
    ...extra,
  };
}

function monitor(name: string, latest: MonitorReportSummary | null, openAlerts = 0): MonitorInfo {
  return { name, source: { kind: 'data', path: 'data/live.csv' }, model: null, window_ms: 24 * HOUR, window: '1d', latest, next_due_ms: NOW + HOUR, open_alerts: openAlerts };
}

const alert = (id: string, monitorName: string, reportId: string, createdMs: number): AlertRecord => ({
  id,
  rule: 'on-drift',
  monitor: monitorName,
  report_id: reportId,
  created_ms: createdMs,
  status: 'drift',
  message: `${monitorName}: Drift detected in 7 of 12 columns.`,
  actions: [],
  acknowledged_ms: null,
});

void test('status in a few words, for every verdict', () => {
  const base = summary('r', 'm', 'ok', NOW);
  assert.equal(statusText({ ...base, status: 'drift', number_of_drifted_columns: 7 }), 'drift 7/12');
  assert.equal(statusText(base), 'ok');
  assert.equal(statusText({ ...base, status: 'degraded', degraded: ['roc_auc'] }), 'degraded: roc_auc');
  assert.equal(statusText({ ...base, status: 'drift_and_degraded', number_of_drifted_columns: 3, degraded: ['roc_auc', 'f1'] }), 'drift 3/12, degraded: roc_auc, f1');
  assert.equal(statusText({ ...base, status: 'insufficient' }), 'insufficient');
  assert.deepEqual([ago(NOW - 10_000, NOW), ago(NOW - 5 * 60_000, NOW), ago(NOW - 2 * HOUR, NOW), ago(NOW - 50 * HOUR, NOW)], ['just now', '5m ago', '2h ago', '2d ago']);
});

void test('tree: Alerts first with the open alerts, then monitors by name with their alerts and recent reports', () => {
  const drifted = summary('r2', 'credit-live', 'drift', NOW - 2 * HOUR);
  const older = summary('r1', 'credit-live', 'ok', NOW - 26 * HOUR);
  const open = alert('a1', 'credit-live', 'r2', NOW - 2 * HOUR);
  const tree = collectMonitoringTree(
    [monitor('credit-live', drifted, 1), monitor('batch', null)],
    new Map([['credit-live', [drifted, older]]]),
    [open],
    NOW,
  );
  assert.deepEqual(tree.map((n) => [n.label, n.description]), [
    ['Alerts', '1 open'],
    ['batch', 'no reports yet'],
    ['credit-live', 'drift 7/12 · 2h ago · 1 alert'],
  ]);
  assert.equal(tree[0]!.collapsible, 'expanded');
  assert.deepEqual(tree[0]!.children!.map((n) => [n.id, n.label, n.contextValue]), [['alerts/alert:a1', 'credit-live: Drift detected in 7 of 12 columns', 'alert']]);
  assert.equal(tree[1]!.collapsible, 'none');
  const live = tree[2]!;
  assert.equal(live.icon?.id, 'warning');
  assert.deepEqual(live.children!.map((n) => [n.contextValue, n.description]), [
    ['alert', '2h ago'],
    ['monitorReport', 'drift 7/12 · 2h ago'],
    ['monitorReport', 'ok · 1d ago'],
  ]);
  assert.match(live.children![1]!.label, /^2026-12-03 10:00 → 12-04 10:00$/);
  // A row's click opens its report; the ids differ where the same alert is listed twice.
  assert.deepEqual(live.children![1]!.command?.arguments, [{ id: 'report:r2', contextValue: 'monitorReport' }]);
  assert.notEqual(live.children![0]!.id, tree[0]!.children![0]!.id);
  assert.deepEqual(monitoringBadge([open]), { value: 1, tooltip: '1 open monitoring alert' });
  assert.equal(monitoringBadge([]), undefined);
  assert.deepEqual(collectMonitoringTree([], new Map(), [], NOW), []);
});

void test('command arguments are recognised from rows, records and strings', () => {
  const tree = collectMonitoringTree([monitor('m', null)], new Map([['m', [summary('r9', 'm', 'ok', NOW)]]]), [alert('a7', 'm', 'r9', NOW)], NOW);
  const monitorRow = tree[1]!;
  assert.equal(monitorNameOf(monitorRow), 'm');
  assert.equal(monitorNameOf('other'), 'other');
  assert.equal(monitorNameOf(tree[0]), undefined);
  const alertRow = monitorRow.children![0]!;
  const reportRow = monitorRow.children![1]!;
  assert.equal(alertIdOf(alertRow), 'a7');
  assert.equal(alertIdOf(tree[0]!.children![0]), 'a7');
  assert.equal(alertIdOf(alert('a8', 'm', 'r9', NOW)), 'a8');
  assert.equal(reportIdOf(reportRow), 'r9');
  assert.equal(reportIdOf(alertRow.command!.arguments![0]), 'r9');
  assert.equal(reportIdOf({ reportId: 'r3' }), 'r3');
  assert.equal(reportIdOf(monitorRow), undefined);
  assert.deepEqual(reportItems(new Map([['m', [summary('r1', 'm', 'ok', NOW - HOUR), summary('r2', 'm', 'drift', NOW)]]])).map((i) => [i.value, i.description]), [['r2', 'drift 7/12'], ['r1', 'ok']]);
});

void test('notification and result sentences', () => {
  assert.equal(alertMessage(alert('a', 'credit-live', 'r', NOW)), 'Monitor credit-live: drift detected in 7 of 12 columns');
  assert.equal(alertMessage({ monitor: 'x.y', message: 'Monitor x.y: Degraded: roc_auc' }), 'Monitor x.y: degraded: roc_auc');
  assert.equal(alertMessage({ monitor: 'credit-live', message: 'credit-live: Drift detected in 7 of 12 columns.' }), 'Monitor credit-live: drift detected in 7 of 12 columns');
  assert.equal(alertMessage({ monitor: 'a+b', message: 'axb: Drift.' }), 'Monitor a+b: axb: Drift');
  const r = summary('r', 'credit-live', 'drift', NOW);
  assert.equal(describeMonitorRun('credit-live', { reports: [r], alerts: [alert('a', 'credit-live', 'r', NOW)], negative: true }), 'Monitor credit-live: evaluated 1 window; the latest is drift 7/12: Drift detected in 7 of 12 columns. Raised 1 alert.');
  assert.equal(describeMonitorRun('m', { reports: [], alerts: [], negative: false }), 'Monitor m: no window was due, so nothing was evaluated.');
});

void test('histograms: shares on at most 60 bins; numerical bins merged with their edges, rare categories merged', () => {
  const edges = Array.from({ length: 121 }, (_, i) => i);
  const counts = Array.from({ length: 120 }, (_, i) => i + 1);
  const h = shapeHistogram({ edges, counts }, { edges, counts: counts.map(() => 2) });
  assert.equal(h.labels.length, 60);
  assert.equal(h.edges!.length, 61);
  assert.deepEqual([h.edges![0], h.edges![1], h.edges![60]], [0, 2, 120]);
  assert.equal(h.labels[0], '0 – 2');
  const total = counts.reduce((s, c) => s + c, 0);
  assert.ok(Math.abs(h.reference[0]! - 3 / total) < 1e-12);
  assert.ok(Math.abs(h.reference.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  assert.ok(Math.abs(h.current[59]! - 1 / 60) < 1e-12);

  const categories = Array.from({ length: 100 }, (_, i) => `c${i}`);
  const cat = shapeHistogram({ categories, counts: categories.map((_, i) => i) }, { categories, counts: categories.map(() => 1) });
  assert.equal(cat.labels.length, 60);
  assert.equal(cat.labels.at(-1), '41 other categories');
  assert.equal(cat.labels[0], 'c41');
  assert.ok(Math.abs(cat.current.at(-1)! - 41 / 100) < 1e-12);
  const empty = shapeHistogram({ categories: ['a'], counts: [0] }, { categories: ['a'], counts: [0] });
  assert.deepEqual(empty.reference, [0]);
});

void test('a monitor report with performance: metrics against the baseline, degraded ones flagged, notes kept', () => {
  const metrics = { accuracy: 0.81, precision: 0.7, recall: 0.6, f1: 0.65, roc_auc: 0.71, log_loss: 0.52, brier: null, ece: null };
  const window = { start_ms: NOW - 24 * HOUR, end_ms: NOW, predictions: 900, labelled: 850, positives: 200, metrics, calibration: [], degraded: ['roc_auc' as const] };
  const report: MonitorReport = {
    ...summary('p1', 'scores', 'degraded', NOW, { degraded: ['roc_auc'], summary: 'Degraded: roc_auc.', dataset_drift: null, number_of_columns: 0 }),
    reference: { path: 'data/train.csv', rev: null, md5: null },
    drift: null,
    performance: {
      schema_version: 1,
      generated_at: new Date(NOW).toISOString(),
      source: { kind: 'endpoint', endpoint: 'credit' },
      model: 'credit',
      version: '3',
      positive_label: '1',
      threshold: 0.5,
      baseline: { roc_auc: 0.83, accuracy: 0.8 },
      max_change: 0.05,
      min_labels: 100,
      windows: [window],
      overall: { ...window, degraded: [] },
      notes: [],
    },
    error: null,
    notes: ['Drift was not computed: the endpoint logged no inputs.'],
  };
  const panel = shapeMonitorReport(report);
  assert.equal(panel.summary, 'Degraded: roc_auc.');
  assert.deepEqual(panel.verdicts, ['Degraded: roc_auc (beyond 0.05 from the baseline).']);
  assert.equal(panel.columns.length, 0);
  assert.deepEqual(panel.notes, ['Drift was not computed: the endpoint logged no inputs.']);
  const rows = Object.fromEntries(panel.performance!.metrics.map((m) => [m.metric, m]));
  assert.deepEqual(Object.keys(rows), ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss']);
  assert.equal(rows.roc_auc!.degraded, true);
  assert.ok(Math.abs(rows.roc_auc!.change! - -0.12) < 1e-12);
  assert.equal(rows.accuracy!.degraded, false);
  assert.equal(rows.precision!.baseline, null);
  assert.equal(rows.log_loss!.lowerIsBetter, true);
  assert.deepEqual([panel.performance!.labelled, panel.performance!.predictions], [850, 900]);
});
