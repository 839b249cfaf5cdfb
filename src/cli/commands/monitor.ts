import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderDriftHtml } from '../../engine/drift';
import { SlipwayError } from '../../engine/errors';
import { acknowledgeAlert, describeMonitors, getReport, listAlerts, listReports, runMonitors, selectMonitors, trustedFromEnv } from '../../engine/monitoring';
import { openProject } from '../../engine/project';
import { ExitCode } from '../../shared/cli';
import type { AlertRecord, AlertsResponse, MonitorReport, MonitorReportSummary, MonitorRunOutput, MonitorShowOutput, MonitorsResponse } from '../../shared/monitoring';
import { ExitWith, action, emit, table, withJson } from '../output';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function reportRows(reports: readonly MonitorReportSummary[]): string {
  return table(['MONITOR', 'WINDOW', 'STATUS', 'ROWS', 'REPORT', 'SUMMARY'], reports.map((r) => [r.monitor, `${iso(r.window_start_ms)} … ${iso(r.window_end_ms)}`, r.status, String(r.rows), r.id, r.summary]));
}

function alertRows(alerts: readonly AlertRecord[]): string {
  return table(['ALERT', 'RULE', 'MONITOR', 'STATUS', 'RAISED', 'ACK', 'ACTIONS'], alerts.map((a) => [
    a.id, a.rule, a.monitor, a.status, iso(a.created_ms), a.acknowledged_ms ? iso(a.acknowledged_ms) : '-',
    a.actions.map((x) => `${x.kind} ${x.status}`).join(', ') || '-',
  ]));
}

function runSummary(out: MonitorRunOutput): string {
  if (!out.reports.length) return 'Nothing due: every closed window has a report.\n';
  let text = reportRows(out.reports);
  if (out.alerts.length) text += `Alerts:\n${alertRows(out.alerts)}`;
  for (const a of out.alerts) for (const x of a.actions) if (x.status !== 'ok') text += `  ${a.id} ${x.kind} ${x.status}: ${x.detail}\n`;
  return text;
}

function parseSince(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `--since expects an ISO-8601 date or time (e.g. 2026-01-01 or 2026-01-01T00:00:00Z), got "${text}".`);
  return ms;
}

function showReport(report: MonitorReport): string {
  const lines = [
    `${report.monitor}  ${iso(report.window_start_ms)} … ${iso(report.window_end_ms)}  ${report.status}  (report ${report.id})`,
    report.summary,
    `reference: ${report.reference.path}${report.reference.rev ? ` at ${report.reference.rev}` : ''}${report.reference.md5 ? ` (${report.reference.md5})` : ''}`,
  ];
  if (report.error) lines.push(`error: ${report.error}`);
  const text = `${lines.join('\n')}\n`;
  const drift = report.drift;
  if (!drift) return text;
  const score = (x: number | null): string => (x === null ? '-' : x.toPrecision(4));
  const cols = table(['column', 'role', 'test', 'score', 'threshold', 'result'], drift.columns.map((c) => [c.column, c.role, c.test, score(c.score), String(c.threshold), c.drifted ? 'DRIFT' : 'ok']));
  const skipped = drift.skipped.map((s) => `skipped ${s.column}: ${s.message}\n`).join('');
  const notes = [...(report.notes ?? []), ...drift.notes].map((n) => `note: ${n}\n`).join('');
  return text + cols + skipped + notes;
}

/** `slipway monitor run|list|show`: evaluate monitors declared in slipway.yaml and read their stored reports. */
export function registerMonitor(program: Command): void {
  const monitor = program.command('monitor').description('monitors declared in slipway.yaml: evaluate due windows, list them, show reports');

  withJson(
    monitor
      .command('run')
      .description('evaluate every due window of the monitors (all by default); exit 1 when a window drifted or degraded')
      .argument('[names...]', 'monitors to run')
      .option('--force', 'evaluate windows that already have a report again (stores a new report)')
      .option('--since <iso>', 'evaluate every window from this date/time on (backfill)'),
  ).action(
    action(async (names: string[], flags: { force?: boolean; since?: string; json?: boolean }) => {
      const since = parseSince(flags.since);
      const project = openProject(process.cwd());
      try {
        const out = await runMonitors(project, { names, force: flags.force === true, since, trusted: trustedFromEnv() });
        emit(flags.json === true, out, runSummary);
        if (out.negative) throw new ExitWith(ExitCode.negative);
        if (out.reports.some((r) => r.status === 'error')) throw new ExitWith(ExitCode.runtime);
      } finally {
        project.close();
      }
    }),
  );

  withJson(monitor.command('list').description('list monitors with their latest status and next due time')).action(
    action((flags: { json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const out: MonitorsResponse = { monitors: describeMonitors(project) };
        emit(flags.json === true, out, (o) => {
          if (!o.monitors.length) return 'No monitors. Declare them under `monitors:` in slipway.yaml.\n';
          return table(['MONITOR', 'SOURCE', 'WINDOW', 'LATEST', 'NEXT DUE', 'OPEN ALERTS'], o.monitors.map((m) => [
            m.name, m.source.kind === 'endpoint' ? `endpoint ${m.source.endpoint}` : `data ${m.source.path}`, m.window,
            m.latest ? `${m.latest.status} (${iso(m.latest.window_end_ms)})` : '-', iso(m.next_due_ms), String(m.open_alerts),
          ]));
        });
      } finally {
        project.close();
      }
    }),
  );

  withJson(
    monitor
      .command('show')
      .description("show a monitor's reports, or one report (the newest with no --report)")
      .argument('<name>', 'monitor name')
      .option('--report <id>', 'the report to show')
      .option('--limit <n>', 'reports listed', '20')
      .option('--out-html <file>', 'write the drift report as self-contained HTML')
      .option('--out-json <file>', 'write the whole stored report as JSON'),
  ).action(
    action(async (name: string, flags: { report?: string; limit: string; outHtml?: string; outJson?: string; json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const configured = project.config.settings.monitors.monitors[name] !== undefined;
        const reports = listReports(project.store, name, Math.max(1, Number(flags.limit) || 20));
        if (!configured && !reports.length) selectMonitors(project, [name]);
        const chosen = flags.report ?? reports[0]?.id;
        const report = chosen ? getReport(project.store, chosen) : null;
        if (report && report.monitor !== name) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Report ${chosen} belongs to monitor ${report.monitor}, not ${name}.`);
        if ((flags.outHtml || flags.outJson) && !report) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Monitor ${name} has no report yet; run \`slipway monitor run ${name}\`.`);
        if (flags.outHtml) {
          if (!report!.drift) throw new SlipwayError('INVALID_STATE', `Report ${report!.id} has no drift results (${report!.summary}).`);
          await writeFile(flags.outHtml, renderDriftHtml(report!.drift));
        }
        if (flags.outJson) await writeFile(flags.outJson, `${JSON.stringify(report, null, 2)}\n`);
        const out: MonitorShowOutput = { monitor: name, reports, report };
        emit(flags.json === true, out, (o) => (o.report ? `${showReport(o.report)}\nReports:\n${reportRows(o.reports)}` : `Monitor ${name} has no report yet; run \`slipway monitor run ${name}\`.\n`));
      } finally {
        project.close();
      }
    }),
  );
}

/** `slipway alerts list|ack`. */
export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description('alerts raised by the rules under `alerts:` in slipway.yaml');
  withJson(
    alerts
      .command('list')
      .description('list alerts, newest first')
      .option('--open', 'only alerts not acknowledged')
      .option('--monitor <name>', 'only alerts of this monitor')
      .option('--limit <n>', 'alerts listed', '100'),
  ).action(
    action((flags: { open?: boolean; monitor?: string; limit: string; json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const out: AlertsResponse = { alerts: listAlerts(project.store, { open: flags.open === true, monitor: flags.monitor, limit: Math.max(1, Number(flags.limit) || 100) }) };
        emit(flags.json === true, out, (o) => (o.alerts.length ? alertRows(o.alerts) : `No ${flags.open ? 'open ' : ''}alerts.\n`));
      } finally {
        project.close();
      }
    }),
  );
  withJson(alerts.command('ack').description('acknowledge an alert').argument('<id>', 'alert id')).action(
    action((id: string, flags: { json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const alert = acknowledgeAlert(project.store, id);
        emit(flags.json === true, alert, (a) => `Acknowledged ${a.id} (${a.monitor}: ${a.message}).\n`);
      } finally {
        project.close();
      }
    }),
  );
}
