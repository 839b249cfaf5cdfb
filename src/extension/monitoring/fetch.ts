import { MONITOR_ROUTES } from '../../shared/monitoring';
import type { AlertRecord, AlertsResponse, MonitorHistoryResponse, MonitorInfo, MonitorReport, MonitorReportsResponse, MonitorReportSummary, MonitorsResponse } from '../../shared/monitoring';
import type { EngineHttp } from '../connection/http';

export async function fetchMonitors(http: EngineHttp): Promise<MonitorInfo[]> {
  return (await http.get<MonitorsResponse>(MONITOR_ROUTES.monitors)).monitors;
}

/** A monitor's newest reports, newest first. */
export async function fetchReports(http: EngineHttp, monitor: string, limit: number): Promise<MonitorReportSummary[]> {
  return (await http.get<MonitorReportsResponse>(MONITOR_ROUTES.reports(monitor), { limit })).reports;
}

/** Alerts not yet acknowledged, newest first. */
export async function fetchOpenAlerts(http: EngineHttp, limit: number): Promise<AlertRecord[]> {
  return (await http.get<AlertsResponse>(MONITOR_ROUTES.alerts, { open: 1, limit })).alerts;
}

export function fetchReport(http: EngineHttp, id: string): Promise<MonitorReport> {
  return http.get<MonitorReport>(MONITOR_ROUTES.report(id));
}

export function fetchHistory(http: EngineHttp, monitor: string, limit = 90): Promise<MonitorHistoryResponse> {
  return http.get<MonitorHistoryResponse>(MONITOR_ROUTES.history(monitor), { limit });
}

/** Marks an alert acknowledged (a write: the client sends the bearer token with every request). */
export function acknowledgeAlert(http: EngineHttp, id: string): Promise<unknown> {
  return http.post<unknown>(MONITOR_ROUTES.alertAck(id), {});
}
