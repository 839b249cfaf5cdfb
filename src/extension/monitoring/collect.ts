import type { AlertRecord, MonitorInfo, MonitorReportSummary, MonitorStatus } from '../../shared/monitoring';
import type { PickItem } from '../commands/context';
import type { TreeNode } from '../tree/node';

type Icon = NonNullable<TreeNode['icon']>;

/** Node id prefixes; commands recognise their argument by them. */
export const NODE = { monitor: 'monitor:', report: 'report:', alert: 'alert:', alerts: 'alerts' } as const;

/** "just now", "5m ago", "2h ago", "3d ago". */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

/** The verdict in a few words: "drift 7/12", "ok", "degraded: roc_auc", "insufficient". */
export function statusText(r: Pick<MonitorReportSummary, 'status' | 'number_of_columns' | 'number_of_drifted_columns' | 'degraded'>): string {
  const drift = `drift ${r.number_of_drifted_columns}/${r.number_of_columns}`;
  const degraded = `degraded: ${r.degraded.join(', ') || '?'}`;
  switch (r.status) {
    case 'drift':
      return drift;
    case 'degraded':
      return degraded;
    case 'drift_and_degraded':
      return `${drift}, ${degraded}`;
    default:
      return r.status;
  }
}

export function statusIcon(status: MonitorStatus | null): Icon {
  switch (status) {
    case 'ok':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'drift':
    case 'degraded':
    case 'drift_and_degraded':
      return { id: 'warning', color: 'list.warningForeground' };
    case 'error':
      return { id: 'error', color: 'list.errorForeground' };
    case 'insufficient':
      return { id: 'circle-slash', color: 'disabledForeground' };
    default:
      return { id: 'circle-large-outline' };
  }
}

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** "2026-12-04 00:00 → 12-05 00:00" (the end without its year when the year is the same). */
export function windowText(startMs: number, endMs: number): string {
  const start = when(startMs);
  const end = when(endMs);
  return `${start} → ${end.slice(0, 4) === start.slice(0, 4) ? end.slice(5) : end}`;
}

function sourceText(m: MonitorInfo): string {
  return m.source.kind === 'endpoint' ? `endpoint ${m.source.endpoint}` : m.source.path;
}

export function reportNode(r: MonitorReportSummary, now: number): TreeNode {
  return {
    id: `${NODE.report}${r.id}`,
    label: windowText(r.window_start_ms, r.window_end_ms),
    description: `${statusText(r)} · ${ago(r.created_ms, now)}`,
    tooltip: [r.summary, `Window: ${windowText(r.window_start_ms, r.window_end_ms)} UTC`, `Rows: ${r.rows}`, `Status: ${r.status}`, 'Click to open the drift report.'].join('\n'),
    icon: statusIcon(r.status),
    collapsible: 'none',
    contextValue: 'monitorReport',
    command: { command: 'slipway.openDriftReport', title: 'Open Drift Report', arguments: [{ id: `${NODE.report}${r.id}`, contextValue: 'monitorReport' }] },
  };
}

/**
 * An alert row; `scope` keeps ids unique when the same alert is listed under its monitor and under Alerts, where the
 * label starts with the monitor's name (a narrow side bar cuts descriptions first).
 */
export function alertNode(a: AlertRecord, now: number, scope: string): TreeNode {
  const id = `${NODE.alert}${a.id}`;
  return {
    id: `${scope}/${id}`,
    label: scope === NODE.alerts ? `${a.monitor}: ${alertText(a)}` : alertText(a),
    description: ago(a.created_ms, now),
    tooltip: [a.message, `Rule: ${a.rule}`, `Monitor: ${a.monitor}`, `Raised: ${when(a.created_ms)} UTC`, ...a.actions.map((x) => `${x.kind} ${x.target}: ${x.status} ${x.detail}`.trim()), 'Click to open its report.'].join('\n'),
    icon: { id: 'bell-dot', color: 'list.warningForeground' },
    collapsible: 'none',
    contextValue: 'alert',
    command: { command: 'slipway.openDriftReport', title: 'Open Drift Report', arguments: [{ id, contextValue: 'alert', reportId: a.report_id }] },
  };
}

function monitorNode(m: MonitorInfo, reports: readonly MonitorReportSummary[], alerts: readonly AlertRecord[], now: number): TreeNode {
  const own = alerts.filter((a) => a.monitor === m.name);
  const children = [...own.map((a) => alertNode(a, now, `${NODE.monitor}${m.name}`)), ...reports.map((r) => reportNode(r, now))];
  const latest = m.latest;
  const status = latest ? `${statusText(latest)} · ${ago(latest.created_ms, now)}` : 'no reports yet';
  const due = m.next_due_ms <= now ? 'a window is due' : `next window due ${when(m.next_due_ms)} UTC`;
  return {
    id: `${NODE.monitor}${m.name}`,
    label: m.name,
    description: m.open_alerts ? `${status} · ${m.open_alerts} alert${m.open_alerts === 1 ? '' : 's'}` : status,
    tooltip: [m.name, `Watches: ${sourceText(m)}`, ...(m.model ? [`Model: ${m.model}`] : []), `Window: ${m.window}`, latest ? latest.summary : 'Not evaluated yet.', due].join('\n'),
    icon: statusIcon(latest?.status ?? null),
    collapsible: children.length ? 'collapsed' : 'none',
    contextValue: 'monitor',
    ...(children.length ? { children } : {}),
  };
}

/** The Monitoring view: an "Alerts" row with the open alerts, then one row per monitor with its alerts and reports. */
export function collectMonitoringTree(monitors: readonly MonitorInfo[], reports: ReadonlyMap<string, readonly MonitorReportSummary[]>, alerts: readonly AlertRecord[], now: number): TreeNode[] {
  const alertsRoot: TreeNode = {
    id: NODE.alerts,
    label: 'Alerts',
    description: alerts.length ? `${alerts.length} open` : 'none open',
    icon: alerts.length ? { id: 'bell-dot', color: 'list.warningForeground' } : { id: 'bell' },
    collapsible: alerts.length ? 'expanded' : 'none',
    contextValue: 'alerts',
    ...(alerts.length ? { children: alerts.map((a) => alertNode(a, now, NODE.alerts)) } : {}),
  };
  const rows = [...monitors].sort((a, b) => a.name.localeCompare(b.name)).map((m) => monitorNode(m, reports.get(m.name) ?? [], alerts, now));
  return monitors.length || alerts.length ? [alertsRoot, ...rows] : [];
}

/** The view's badge: open alerts. */
export function monitoringBadge(alerts: readonly AlertRecord[]): { value: number; tooltip: string } | undefined {
  if (!alerts.length) return undefined;
  return { value: alerts.length, tooltip: alerts.length === 1 ? '1 open monitoring alert' : `${alerts.length} open monitoring alerts` };
}

/** An alert's message without the monitor's name in front or a final period: "Drift detected in 7 of 12 columns". */
export function alertText(a: Pick<AlertRecord, 'monitor' | 'message'>): string {
  const name = a.monitor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The engine may already name the monitor ("credit-live: Drift detected…"); the tree and the notice name it once.
  return a.message.replace(new RegExp(`^(Monitor )?${name}:\\s*`), '').trim().replace(/\.$/, '');
}

/** The warning shown when an alert is raised: "Monitor credit-live: drift detected in 7 of 12 columns". */
export function alertMessage(a: Pick<AlertRecord, 'monitor' | 'message'>): string {
  const text = alertText(a);
  return `Monitor ${a.monitor}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/** Quick-pick rows for reports, newest first. */
export function reportItems(reports: ReadonlyMap<string, readonly MonitorReportSummary[]>): PickItem<string>[] {
  return [...reports.values()]
    .flat()
    .sort((a, b) => b.created_ms - a.created_ms)
    .map((r) => ({ label: `${r.monitor} · ${windowText(r.window_start_ms, r.window_end_ms)}`, description: statusText(r), detail: r.summary, value: r.id }));
}
