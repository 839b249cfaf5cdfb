/** Stored monitor reports and alerts (tables monitor_reports and alerts, migration 8). */
import type { AlertAction, AlertRecord, MonitorHistoryPoint, MonitorHistoryResponse, MonitorReport, MonitorReportSummary, PerformanceMetric } from '../../shared/monitoring';
import { SlipwayError } from '../errors';
import type { Store } from '../store';

/** Change-log topic of monitors; keys are a monitor name (new report) or `alert:<id>`. */
export const MONITORS_TOPIC = 'monitors';

interface ReportRow {
  id: string;
  monitor: string;
  window_start_ms: number;
  window_end_ms: number;
  created_ms: number;
  status: MonitorReportSummary['status'];
  rows: number;
  dataset_drift: number | null;
  number_of_columns: number;
  number_of_drifted_columns: number;
  degraded: string;
  summary: string;
}

const SUMMARY_COLUMNS = 'id, monitor, window_start_ms, window_end_ms, created_ms, status, rows, dataset_drift, number_of_columns, number_of_drifted_columns, degraded, summary';

function toSummary(r: ReportRow): MonitorReportSummary {
  return {
    id: r.id, monitor: r.monitor, window_start_ms: r.window_start_ms, window_end_ms: r.window_end_ms, created_ms: r.created_ms,
    status: r.status, rows: r.rows, dataset_drift: r.dataset_drift === null ? null : r.dataset_drift === 1,
    number_of_columns: r.number_of_columns, number_of_drifted_columns: r.number_of_drifted_columns,
    degraded: JSON.parse(r.degraded) as PerformanceMetric[], summary: r.summary,
  };
}

/**
 * Stores a report (never replaced) and logs the change for the monitor. Unless `force`, a window that already has a
 * report (another process evaluated it meanwhile) is left alone and false is returned; the check and the insert are
 * one write transaction.
 */
export function insertReport(store: Store, report: MonitorReport, force = false): boolean {
  return store.write((changed) => {
    if (!force && hasReport(store, report.monitor, report.window_start_ms, report.window_end_ms)) return false;
    store.db.prepare(`INSERT INTO monitor_reports (${SUMMARY_COLUMNS}, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      report.id, report.monitor, report.window_start_ms, report.window_end_ms, report.created_ms, report.status, report.rows,
      report.dataset_drift === null ? null : report.dataset_drift ? 1 : 0, report.number_of_columns, report.number_of_drifted_columns,
      JSON.stringify(report.degraded), report.summary, JSON.stringify(report),
    );
    changed(MONITORS_TOPIC, report.monitor);
    return true;
  });
}

/** End of the newest window stored for a monitor; null before its first report. */
export function evaluatedUntil(store: Store, monitor: string): number | null {
  const row = store.db.prepare('SELECT max(window_end_ms) AS end FROM monitor_reports WHERE monitor = ?').get(monitor) as { end: number | null };
  return row.end;
}

/** True when a report for exactly this window is stored. */
export function hasReport(store: Store, monitor: string, start: number, end: number): boolean {
  return store.db.prepare('SELECT 1 FROM monitor_reports WHERE monitor = ? AND window_end_ms = ? AND window_start_ms = ? LIMIT 1').get(monitor, end, start) !== undefined;
}

/** A monitor's reports, newest window first (newest evaluation first within a window). */
export function listReports(store: Store, monitor: string, limit = 50): MonitorReportSummary[] {
  const rows = store.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM monitor_reports WHERE monitor = ? ORDER BY window_end_ms DESC, created_ms DESC, id DESC LIMIT ?`).all(monitor, limit) as ReportRow[];
  return rows.map(toSummary);
}

export function latestReport(store: Store, monitor: string): MonitorReportSummary | null {
  return listReports(store, monitor, 1)[0] ?? null;
}

/** The whole stored report; RESOURCE_DOES_NOT_EXIST for an unknown id. */
export function getReport(store: Store, id: string): MonitorReport {
  const row = store.db.prepare('SELECT report FROM monitor_reports WHERE id = ?').get(id) as { report: string } | undefined;
  if (!row) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Monitor report ${id} not found. List reports with \`slipway monitor show NAME\`.`);
  return JSON.parse(row.report) as MonitorReport;
}

/**
 * Drift score per column and value per metric over a monitor's newest `limit` windows, oldest first. A window
 * evaluated more than once counts with its newest report.
 */
export function monitorHistory(store: Store, monitor: string, limit = 90): MonitorHistoryResponse {
  const rows = store.db.prepare(
    `SELECT report FROM monitor_reports r WHERE monitor = ? AND created_ms = (SELECT max(created_ms) FROM monitor_reports s WHERE s.monitor = r.monitor AND s.window_end_ms = r.window_end_ms)
     ORDER BY window_end_ms DESC LIMIT ?`,
  ).all(monitor, limit) as { report: string }[];
  const out: MonitorHistoryResponse = { monitor, columns: {}, metrics: {} };
  for (const { report: text } of rows.reverse()) {
    const report = JSON.parse(text) as MonitorReport;
    const point = (value: number | null, flagged: boolean): MonitorHistoryPoint => ({ window_start_ms: report.window_start_ms, window_end_ms: report.window_end_ms, report_id: report.id, value, flagged });
    for (const c of report.drift?.columns ?? []) {
      const entry = (out.columns[c.column] ??= { test: c.test, threshold: c.threshold, points: [] });
      entry.test = c.test;
      entry.threshold = c.threshold;
      entry.points.push(point(c.score, c.drifted));
    }
    const overall = report.performance?.overall;
    if (overall) {
      for (const [metric, value] of Object.entries(overall.metrics) as [PerformanceMetric, number | null][]) {
        (out.metrics[metric] ??= []).push(point(value, overall.degraded.includes(metric)));
      }
    }
  }
  return out;
}

interface AlertRow {
  id: string;
  rule: string;
  monitor: string;
  report_id: string;
  created_ms: number;
  status: AlertRecord['status'];
  message: string;
  actions: string;
  acknowledged_ms: number | null;
}

const toAlert = (r: AlertRow): AlertRecord => ({ ...r, actions: JSON.parse(r.actions) as AlertAction[] });

/** Records a raised alert and logs `alert:<id>`. */
export function insertAlert(store: Store, alert: AlertRecord): void {
  store.write((changed) => {
    store.db.prepare('INSERT INTO alerts (id, rule, monitor, report_id, created_ms, status, message, actions, acknowledged_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      alert.id, alert.rule, alert.monitor, alert.report_id, alert.created_ms, alert.status, alert.message, JSON.stringify(alert.actions), alert.acknowledged_ms,
    );
    changed(MONITORS_TOPIC, `alert:${alert.id}`);
  });
}

/** Records what an alert's command and webhook did. */
export function setAlertActions(store: Store, id: string, actions: AlertAction[]): void {
  store.write((changed) => {
    store.db.prepare('UPDATE alerts SET actions = ? WHERE id = ?').run(JSON.stringify(actions), id);
    changed(MONITORS_TOPIC, `alert:${id}`);
  });
}

export function getAlert(store: Store, id: string): AlertRecord {
  const row = store.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined;
  if (!row) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Alert ${id} not found. List alerts with \`slipway alerts list\`.`);
  return toAlert(row);
}

/** Alerts, newest first; only unacknowledged ones with `open`. */
export function listAlerts(store: Store, options: { open?: boolean; monitor?: string; limit?: number } = {}): AlertRecord[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (options.open) where.push('acknowledged_ms IS NULL');
  if (options.monitor !== undefined) { where.push('monitor = ?'); args.push(options.monitor); }
  const sql = `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_ms DESC, id DESC LIMIT ?`;
  return (store.db.prepare(sql).all(...args, options.limit ?? 100) as AlertRow[]).map(toAlert);
}

export function openAlertCount(store: Store, monitor: string): number {
  return (store.db.prepare('SELECT count(*) AS n FROM alerts WHERE monitor = ? AND acknowledged_ms IS NULL').get(monitor) as { n: number }).n;
}

/** Acknowledges an alert (acknowledging twice keeps the first time). */
export function acknowledgeAlert(store: Store, id: string, now = Date.now()): AlertRecord {
  store.write((changed) => {
    getAlert(store, id);
    store.db.prepare('UPDATE alerts SET acknowledged_ms = coalesce(acknowledged_ms, ?) WHERE id = ?').run(now, id);
    changed(MONITORS_TOPIC, `alert:${id}`);
  });
  return getAlert(store, id);
}
