/** Monitoring: monitors over data and prediction logs, stored reports, alerts and the daemon's scheduler. */
export { monitorsSection, alertsSection } from './config';
export type { MonitorSettings, AlertRuleSettings, MonitorsSettings, AlertsSettings, ReferenceSetting, PerformanceSetting } from './config';
export { parseWindowLength, dueWindows, nextDue, windowStart } from './window';
export { readPredictionWindow } from './prediction-table';
export type { PredictionWindow } from './prediction-table';
export { evaluateMonitor, monitorModel } from './evaluate';
export type { EvaluateOptions } from './evaluate';
export { runMonitors, describeMonitors, describeMonitor, selectMonitors } from './run';
export type { RunMonitorsOptions } from './run';
export { raiseAlerts, ruleMatches } from './alerts';
export { MONITORS_TOPIC, listReports, latestReport, getReport, monitorHistory, listAlerts, getAlert, acknowledgeAlert, openAlertCount } from './records';
export { LiveProject } from './live-config';
export { trustedFromEnv, UNTRUSTED_ENV } from './trust';
export { MonitorScheduler, GRACE_MS } from './scheduler';
