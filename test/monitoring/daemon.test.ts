// The daemon evaluates due monitors by itself (a 2-second window, real time), publishes the change events, and runs
// alert actions only when the process that started it trusts the workspace.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EngineStatusOutput } from '../../src/shared/cli';
import type { ChangeEvent } from '../../src/shared/engine-api';
import type { AlertRecord, AlertsResponse, MonitorReportsResponse } from '../../src/shared/monitoring';
import { MONITOR_ROUTES } from '../../src/shared/monitoring';
import { cli, waitFor } from '../helpers';
import { SseClient, http } from '../sse-client';
import { currentCsv, project, referenceCsv, todayUtc } from './helpers';
import { WebhookReceiver } from './webhook';

function config(webhook: string): string {
  return `version: 1
monitors:
  fast:
    data: current.csv
    reference: train.csv
    window: 2s
    min_rows: 10
    target: label
    drift_share: 0.3
alerts:
  page:
    on: [drift]
    command: "echo $SLIPWAY_ALERT_ID >> alerts.txt"
    webhook: ${webhook}
`;
}

/** The alert once both its actions (command and webhook) have an outcome recorded. */
function bothActionsRecorded(port: number, alertId: string, what: string): Promise<AlertRecord> {
  return waitFor(async () => {
    const alerts = ((await http(port, 'GET', MONITOR_ROUTES.alerts)).json() as AlertsResponse).alerts;
    const alert = alerts.find((a) => a.id === alertId);
    return alert && alert.actions.length === 2 ? alert : null;
  }, 15_000, what);
}

async function start(dir: string, args: string[] = []): Promise<{ port: number }> {
  const r = await cli(['engine', 'start', '--json', ...args], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as EngineStatusOutput;
  assert.ok(status.running);
  return status.engine;
}

const changes = (e: { event: string; data: string }): ChangeEvent | null => (e.event === 'change' ? (JSON.parse(e.data) as ChangeEvent) : null);

test('the daemon runs a due monitor on its own, emits `monitors` events, raises the alert and runs its actions', async () => {
  const hook = await WebhookReceiver.start();
  const dir = await project({ 'slipway.yaml': config(hook.url), 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc(), 1, 300, [0]) });
  const engine = await start(dir);
  const events = await SseClient.connect(engine.port, '/api/slipway/v1/events?topics=monitors');
  try {
    const report = await events.next((e) => changes(e)?.key === 'fast', 15_000);
    assert.equal(changes(report)!.topic, 'monitors');
    const raised = await events.next((e) => changes(e)?.key.startsWith('alert:') === true, 15_000);
    const alertId = changes(raised)!.key.slice('alert:'.length);
    const posted = (await hook.first()) as AlertRecord;
    assert.equal(posted.monitor, 'fast');

    const reports = (await http(engine.port, 'GET', MONITOR_ROUTES.reports('fast'))).json() as MonitorReportsResponse;
    assert.ok(reports.reports.length >= 1);
    assert.equal(reports.reports.at(-1)!.status, 'drift');
    assert.equal(reports.reports.at(-1)!.window_end_ms - reports.reports.at(-1)!.window_start_ms, 2000);

    const recorded = await bothActionsRecorded(engine.port, alertId, 'the alert actions to be recorded');
    assert.deepEqual(recorded.actions.map((a) => [a.kind, a.status]), [['command', 'ok'], ['webhook', 'ok']]);
    assert.match(readFileSync(join(dir, 'alerts.txt'), 'utf8'), new RegExp(alertId));
  } finally {
    events.close();
    await cli(['engine', 'stop'], { cwd: dir });
    await hook.close();
  }
  const log = readFileSync(join(dir, '.slipway', 'engine.log'), 'utf8');
  assert.match(log, /monitor fast .*: drift: Drift detected/);
});

test('a daemon started with --untrusted records alerts but skips their command and webhook; an error never stops it', async () => {
  const hook = await WebhookReceiver.start();
  const yaml = config(hook.url).replace('alerts:\n  page:\n', 'alerts:\n  page:\n    monitors: [fast]\n')
    .replace('alerts:', '  broken:\n    data: nowhere.csv\n    reference: train.csv\n    window: 2s\nalerts:');
  const dir = await project({ 'slipway.yaml': yaml, 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc(), 1, 300, [0]) });
  const engine = await start(dir, ['--untrusted']);
  const events = await SseClient.connect(engine.port, '/api/slipway/v1/events?topics=monitors');
  try {
    const raised = await events.next((e) => changes(e)?.key.startsWith('alert:') === true, 15_000);
    const alertId = changes(raised)!.key.slice('alert:'.length);
    const alert = await bothActionsRecorded(engine.port, alertId, 'the skipped actions to be recorded');
    assert.deepEqual(alert.actions.map((a) => [a.kind, a.status]), [['command', 'skipped'], ['webhook', 'skipped']]);
    assert.equal(existsSync(join(dir, 'alerts.txt')), false);
    assert.equal(hook.bodies.length, 0);

    await events.next((e) => changes(e)?.key === 'broken', 15_000);
    const broken = (await http(engine.port, 'GET', MONITOR_ROUTES.reports('broken'))).json() as MonitorReportsResponse;
    assert.equal(broken.reports[0]!.status, 'error');
    assert.match(broken.reports[0]!.summary, /nowhere\.csv does not exist/);
    assert.equal((await http(engine.port, 'GET', '/api/slipway/v1/health')).status, 200);
  } finally {
    events.close();
    await cli(['engine', 'stop'], { cwd: dir });
    await hook.close();
  }
});

test('the daemon re-reads slipway.yaml: a monitor added while it runs is evaluated without a restart', async () => {
  const dir = await project({ 'slipway.yaml': 'version: 1\n', 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc(), 1, 100, []) });
  const engine = await start(dir);
  const events = await SseClient.connect(engine.port, '/api/slipway/v1/events?topics=monitors');
  try {
    assert.deepEqual(((await http(engine.port, 'GET', MONITOR_ROUTES.monitors)).json() as { monitors: unknown[] }).monitors, []);
    writeFileSync(join(dir, 'slipway.yaml'), 'version: 1\nmonitors:\n  added:\n    data: current.csv\n    reference: train.csv\n    window: 2s\n    min_rows: 10\n');
    await events.next((e) => changes(e)?.key === 'added', 15_000);
    const reports = (await http(engine.port, 'GET', MONITOR_ROUTES.reports('added'))).json() as MonitorReportsResponse;
    assert.equal(reports.reports[0]!.status, 'ok');
  } finally {
    events.close();
    await cli(['engine', 'stop'], { cwd: dir });
  }
});
