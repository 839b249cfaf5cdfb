import type { AlertRecord, MonitorRunOutput } from '../../shared/monitoring';
import type { CommandContext } from '../commands/context';
import type { CommandSpec } from '../commands/table';
import { CliCancelled } from '../data/runner';
import { NODE, alertMessage, alertText, reportItems, statusText } from './collect';
import { acknowledgeAlert } from './fetch';

const field = (arg: unknown, key: string): unknown => (arg && typeof arg === 'object' && key in arg ? (arg as Record<string, unknown>)[key] : undefined);

/** The monitor of a Monitoring tree row (id `monitor:<name>`), or a name passed as a string. */
export function monitorNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  const id = field(arg, 'id');
  return field(arg, 'contextValue') === 'monitor' && typeof id === 'string' && id.startsWith(NODE.monitor) ? id.slice(NODE.monitor.length) : undefined;
}

/** The report of a report row (`report:<id>`), of an alert row or notification (`reportId`), or an id string. */
export function reportIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  const reportId = field(arg, 'reportId') ?? field(arg, 'report_id');
  if (typeof reportId === 'string') return reportId;
  const id = field(arg, 'id');
  return typeof id === 'string' && id.startsWith(NODE.report) ? id.slice(NODE.report.length) : undefined;
}

/** The alert of an alert row (`…alert:<id>`), or an alert record. */
export function alertIdOf(arg: unknown): string | undefined {
  if (field(arg, 'report_id') !== undefined && typeof field(arg, 'id') === 'string') return field(arg, 'id') as string;
  const id = field(arg, 'id');
  const match = typeof id === 'string' ? /(?:^|\/)alert:([^/]+)$/.exec(id) : null;
  return match?.[1];
}

/** The sentence after "Run Monitor". */
export function describeMonitorRun(name: string, out: MonitorRunOutput): string {
  if (!out.reports.length) return `Monitor ${name}: no window was due, so nothing was evaluated.`;
  const latest = [...out.reports].sort((a, b) => b.window_end_ms - a.window_end_ms)[0]!;
  const windows = out.reports.length === 1 ? '1 window' : `${out.reports.length} windows`;
  const alerts = out.alerts.length ? ` Raised ${out.alerts.length === 1 ? '1 alert' : `${out.alerts.length} alerts`}.` : '';
  return `Monitor ${name}: evaluated ${windows}; the latest is ${statusText(latest)}: ${latest.summary.replace(/\.$/, '')}.${alerts}`;
}

function http(ctx: CommandContext) {
  const state = ctx.engine.state;
  if (state.kind !== 'connected') throw new Error('The Slipway engine is not running.');
  return state.http;
}

async function pickMonitor(ctx: CommandContext): Promise<string | undefined> {
  const monitors = ctx.monitoring.tree.monitors;
  if (!monitors.length) {
    ctx.ui.error('There are no monitors yet (or the engine is not running to list them). Declare one under `monitors:` in slipway.yaml, or run `slipway monitor run NAME` in a terminal.');
    return undefined;
  }
  return ctx.ui.pick(
    monitors.map((m) => ({ label: m.name, description: m.latest ? statusText(m.latest) : 'no reports yet', detail: m.latest?.summary, value: m.name })),
    'Monitor to run',
  );
}

/** Acknowledges one alert and refreshes the tree. */
export async function acknowledge(ctx: CommandContext, alert: Pick<AlertRecord, 'id' | 'monitor' | 'message'> | string): Promise<void> {
  const id = typeof alert === 'string' ? alert : alert.id;
  await acknowledgeAlert(http(ctx), id);
  ctx.ui.info(typeof alert === 'string' ? `Acknowledged alert ${id}.` : `Acknowledged: ${alertMessage(alert)}.`);
  await ctx.monitoring.tree.refresh();
}

export const MONITORING_COMMANDS: readonly CommandSpec[] = [
  {
    id: 'slipway.refreshMonitoring',
    title: 'Refresh Monitoring',
    needs: ['engine'],
    icon: '$(refresh)',
    async run({ monitoring }) {
      await monitoring.tree.refresh();
    },
  },
  {
    id: 'slipway.runMonitor',
    title: 'Run Monitor',
    needs: ['trust'],
    icon: '$(play)',
    async run(ctx, arg) {
      const name = monitorNameOf(arg) ?? (await pickMonitor(ctx));
      if (!name) return;
      try {
        const out = await ctx.ui.cancellable(`Running monitor ${name}…`, (signal) => ctx.monitoring.runCli<MonitorRunOutput>(['monitor', 'run', name], signal));
        ctx.ui.info(describeMonitorRun(name, out));
      } catch (error) {
        if (error instanceof CliCancelled) {
          ctx.ui.info(`Cancelled monitor ${name}. Windows it had finished keep their reports; the rest are evaluated next time.`);
          return;
        }
        throw error;
      } finally {
        void ctx.monitoring.tree.refresh();
      }
    },
  },
  {
    id: 'slipway.openDriftReport',
    title: 'Open Drift Report',
    needs: ['engine'],
    icon: '$(graph)',
    async run(ctx, arg) {
      const alertId = alertIdOf(arg);
      let reportId = reportIdOf(arg) ?? ctx.monitoring.tree.alerts.find((a) => a.id === alertId)?.report_id;
      if (!reportId) {
        const monitor = monitorNameOf(arg);
        const reports = monitor ? new Map([[monitor, ctx.monitoring.tree.reports.get(monitor) ?? []]]) : ctx.monitoring.tree.reports;
        const items = reportItems(reports);
        if (!items.length) {
          ctx.ui.error('There are no monitor reports yet. Run a monitor ("Slipway: Run Monitor" or `slipway monitor run`) first, or open a `slipway drift --out-json` file with "Slipway: Open Drift Report from JSON File".');
          return;
        }
        reportId = await ctx.ui.pick(items, 'Monitor report to open');
      }
      if (reportId) ctx.monitoring.openReport({ kind: 'monitor', reportId });
    },
  },
  {
    id: 'slipway.acknowledgeAlert',
    title: 'Acknowledge Alert',
    needs: ['engine'],
    icon: '$(check)',
    async run(ctx, arg) {
      let id = alertIdOf(arg);
      if (!id) {
        const alerts = ctx.monitoring.tree.alerts;
        if (!alerts.length) {
          ctx.ui.info('There are no open alerts.');
          return;
        }
        id = await ctx.ui.pick(alerts.map((a) => ({ label: alertText(a), description: a.monitor, detail: new Date(a.created_ms).toISOString().slice(0, 16).replace('T', ' '), value: a.id })), 'Alert to acknowledge');
      }
      if (!id) return;
      await acknowledge(ctx, ctx.monitoring.tree.alerts.find((a) => a.id === id) ?? id);
    },
  },
  {
    id: 'slipway.openDriftReportFile',
    title: 'Open Drift Report from JSON File',
    needs: [],
    async run(ctx, arg) {
      const given = field(arg, 'fsPath');
      const path = typeof given === 'string' ? given : await ctx.monitoring.chooseJsonFile('Drift report written by `slipway drift --out-json`');
      if (path) ctx.monitoring.openReport({ kind: 'file', path });
    },
  },
];
