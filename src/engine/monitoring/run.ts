/** Runs monitors (CLI `slipway monitor run` and the daemon's scheduler) and describes them for listings. */
import type { AlertRecord, MonitorInfo, MonitorReportSummary, MonitorRunOutput } from '../../shared/monitoring';
import { SlipwayError } from '../errors';
import type { OpenProject } from '../project';
import { raiseAlerts } from './alerts';
import { checkAlertMonitors, type MonitorSettings } from './config';
import { evaluateMonitor, monitorModel, type EvaluateOptions } from './evaluate';
import { evaluatedUntil, latestReport, openAlertCount } from './records';
import { nextDue } from './window';

export interface RunMonitorsOptions extends EvaluateOptions {
  /** Monitors to run (default: all, in slipway.yaml order). */
  names?: readonly string[];
  /** False when the workspace is not trusted: alert commands and webhooks are skipped. */
  trusted: boolean;
}

/** The configured monitors, by the names asked for; an unknown name is a usage error listing the known ones. */
export function selectMonitors(project: OpenProject, names?: readonly string[]): MonitorSettings[] {
  const all = project.config.settings.monitors.monitors;
  if (!names?.length) return Object.values(all);
  return names.map((name) => {
    const monitor = all[name];
    if (!monitor) {
      const known = Object.keys(all);
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No monitor "${name}" in ${project.config.path}. ${known.length ? `Monitors: ${known.join(', ')}.` : 'Declare monitors under `monitors:`.'}`);
    }
    return monitor;
  });
}

const summaryOf = (r: MonitorReportSummary): MonitorReportSummary => ({
  id: r.id, monitor: r.monitor, window_start_ms: r.window_start_ms, window_end_ms: r.window_end_ms, created_ms: r.created_ms, status: r.status, rows: r.rows,
  dataset_drift: r.dataset_drift, number_of_columns: r.number_of_columns, number_of_drifted_columns: r.number_of_drifted_columns, degraded: r.degraded, summary: r.summary,
});

/**
 * Evaluates every due window of the selected monitors, stores the reports and raises the alerts they trip.
 * `negative` is true when any evaluated window drifted or degraded.
 */
export async function runMonitors(project: OpenProject, options: RunMonitorsOptions): Promise<MonitorRunOutput> {
  const monitors = selectMonitors(project, options.names);
  const rules = Object.values(project.config.settings.alerts.rules);
  checkAlertMonitors(project.config.path, project.config.settings.monitors, project.config.settings.alerts);
  const reports: MonitorReportSummary[] = [];
  const alerts: AlertRecord[] = [];
  for (const monitor of monitors) {
    for (const report of await evaluateMonitor(project, monitor, options)) {
      reports.push(summaryOf(report));
      alerts.push(...(await raiseAlerts({ store: project.store, paths: project.paths, trusted: options.trusted }, rules, report)));
    }
  }
  const negative = reports.some((r) => r.status === 'drift' || r.status === 'degraded' || r.status === 'drift_and_degraded');
  return { reports, alerts, negative };
}

/** What the Monitoring tree and `slipway monitor list` show for each monitor. */
export function describeMonitors(project: OpenProject, now = Date.now()): MonitorInfo[] {
  return Object.values(project.config.settings.monitors.monitors).map((m) => describeMonitor(project, m, now));
}

export function describeMonitor(project: OpenProject, m: MonitorSettings, now = Date.now()): MonitorInfo {
  return {
    name: m.name,
    source: m.endpoint ? { kind: 'endpoint', endpoint: m.endpoint } : { kind: 'data', path: m.data ?? '' },
    model: monitorModel(project, m),
    window_ms: m.windowMs,
    window: m.window,
    latest: latestReport(project.store, m.name),
    next_due_ms: nextDue(m.windowMs, now, evaluatedUntil(project.store, m.name)),
    open_alerts: openAlertCount(project.store, m.name),
  };
}
