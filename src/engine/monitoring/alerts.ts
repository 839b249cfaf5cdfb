/**
 * Alert rules: when a stored report's status is one a rule watches, an alert is recorded (and its change event
 * published), then the rule's command and webhook run, and what they did is recorded on the alert. Commands and
 * webhooks run only for a trusted workspace; otherwise they are recorded as skipped.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertAction, AlertRecord, MonitorReport, MonitorStatus } from '../../shared/monitoring';
import { messageOf } from '../errors';
import type { ProjectPaths } from '../project';
import { newPredictionId } from '../serving/ids';
import type { Store } from '../store';
import type { AlertRuleSettings } from './config';
import { insertAlert, setAlertActions } from './records';

/** How long an alert command may run before it is stopped (and recorded as failed). */
export const COMMAND_TIMEOUT_MS = 10 * 60_000;
export const WEBHOOK_TIMEOUT_MS = 10_000;
const DETAIL_LIMIT = 2000;

export interface AlertContext {
  store: Store;
  paths: ProjectPaths;
  /** False when the workspace is not trusted: commands and webhooks are skipped. */
  trusted: boolean;
}

/** True when `rule` fires on `report` (drift_and_degraded counts as both drift and degraded). */
export function ruleMatches(rule: AlertRuleSettings, report: MonitorReport): boolean {
  if (rule.monitors && !rule.monitors.includes(report.monitor)) return false;
  const statuses: MonitorStatus[] = report.status === 'drift_and_degraded' ? ['drift_and_degraded', 'drift', 'degraded'] : [report.status];
  return statuses.some((s) => rule.on.includes(s));
}

/** Writes the report where a command can read it: `.slipway/monitors/reports/<id>.json`. */
export function writeReportFile(paths: ProjectPaths, report: MonitorReport): string {
  const dir = join(paths.stateDir, 'monitors', 'reports');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.id}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

const clip = (s: string): string => (s.length > DETAIL_LIMIT ? `${s.slice(0, DETAIL_LIMIT)}…` : s);

function runCommand(command: string, cwd: string, env: Record<string, string>): Promise<AlertAction> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('sh', ['-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => { if (output.length < DETAIL_LIMIT) output += chunk.toString(); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ kind: 'command', target: command, status: 'failed', detail: `could not start: ${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const tail = output.trim() ? `: ${clip(output.trim())}` : '';
      if (code === 0) resolve({ kind: 'command', target: command, status: 'ok', detail: `exit 0${tail}` });
      else resolve({ kind: 'command', target: command, status: 'failed', detail: `${signal ? `killed by ${signal}` : `exit ${code ?? '?'}`}${tail}` });
    });
  });
}

async function postOnce(url: string, body: string): Promise<{ ok: boolean; retry: boolean; detail: string }> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    await response.arrayBuffer().catch(() => undefined);
    return { ok: response.ok, retry: response.status >= 500, detail: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return { ok: false, retry: true, detail: messageOf(cause ?? error) };
  }
}

/** POSTs the alert as JSON; a network error or 5xx is retried once. */
async function callWebhook(url: string, alert: AlertRecord): Promise<AlertAction> {
  const body = JSON.stringify(alert);
  let result = await postOnce(url, body);
  if (!result.ok && result.retry) {
    const first = result.detail;
    result = await postOnce(url, body);
    if (!result.ok) result.detail = `${first}; retry: ${result.detail}`;
  }
  return { kind: 'webhook', target: url, status: result.ok ? 'ok' : 'failed', detail: result.detail };
}

async function runActions(ctx: AlertContext, rule: AlertRuleSettings, alert: AlertRecord, report: MonitorReport): Promise<AlertAction[]> {
  const wanted: { kind: 'command' | 'webhook'; target: string }[] = [
    ...(rule.command ? [{ kind: 'command' as const, target: rule.command }] : []),
    ...(rule.webhook ? [{ kind: 'webhook' as const, target: rule.webhook }] : []),
  ];
  if (!ctx.trusted) {
    return wanted.map((w) => ({ ...w, status: 'skipped' as const, detail: 'the workspace is not trusted; commands and webhooks run only in a trusted workspace' }));
  }
  const actions: AlertAction[] = [];
  for (const w of wanted) {
    if (w.kind === 'command') {
      const reportFile = writeReportFile(ctx.paths, report);
      actions.push(await runCommand(w.target, ctx.paths.root, {
        SLIPWAY_ALERT_ID: alert.id, SLIPWAY_ALERT_RULE: alert.rule, SLIPWAY_ALERT_MONITOR: alert.monitor, SLIPWAY_ALERT_STATUS: alert.status,
        SLIPWAY_ALERT_REPORT_ID: report.id, SLIPWAY_ALERT_REPORT: reportFile,
      }));
    } else {
      actions.push(await callWebhook(w.target, alert));
    }
  }
  return actions;
}

/** Raises the alerts `report` trips, runs their actions, and returns the alerts as finally recorded. */
export async function raiseAlerts(ctx: AlertContext, rules: readonly AlertRuleSettings[], report: MonitorReport): Promise<AlertRecord[]> {
  const out: AlertRecord[] = [];
  for (const rule of rules) {
    if (!ruleMatches(rule, report)) continue;
    const created = Date.now();
    const alert: AlertRecord = {
      id: newPredictionId(created), rule: rule.name, monitor: report.monitor, report_id: report.id, created_ms: created, status: report.status,
      message: `${report.monitor}: ${report.summary}`, actions: [], acknowledged_ms: null,
    };
    insertAlert(ctx.store, alert);
    alert.actions = await runActions(ctx, rule, alert, report);
    if (alert.actions.length) setAlertActions(ctx.store, alert.id, alert.actions);
    out.push(alert);
  }
  return out;
}
