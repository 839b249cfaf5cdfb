import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';
import type { AlertRecord, AlertsResponse, MonitorReport, MonitorRunOutput } from '../../src/shared/monitoring';
import { cli } from '../helpers';
import { DAY, clearOfMidnight, currentCsv, liveConfig, project, referenceCsv, todayUtc } from './helpers';
import { WebhookReceiver } from './webhook';

// Daily windows: a test must not run across 00:00 UTC (see clearOfMidnight).
beforeEach(() => clearOfMidnight());

function config(webhook: string, command: string): string {
  return `${liveConfig()}  quiet:
    data: current.csv
    reference: train.csv
    columns: [purpose]
alerts:
  drift-to-retrain:
    monitors: [live]
    on: [drift]
    command: ${JSON.stringify(command)}
    webhook: ${webhook}
`;
}

const COMMAND = 'printf "%s %s %s" "$SLIPWAY_ALERT_MONITOR" "$SLIPWAY_ALERT_STATUS" "$SLIPWAY_ALERT_RULE" > alert-out.txt && cp "$SLIPWAY_ALERT_REPORT" alert-report.json';

test('an alert runs its command (with SLIPWAY_ALERT_* and the report file) and calls its webhook; outcomes recorded; ack', async () => {
  const hook = await WebhookReceiver.start();
  try {
    const first = todayUtc() - DAY;
    const dir = await project({ 'slipway.yaml': config(hook.url, COMMAND), 'train.csv': referenceCsv(), 'current.csv': currentCsv(first, 1, 300, [0]) });
    const run = await cli(['monitor', 'run', '--json'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout) as MonitorRunOutput;
    assert.deepEqual(out.reports.map((r) => [r.monitor, r.status]), [['live', 'drift'], ['quiet', 'ok']]);
    assert.equal(out.alerts.length, 1, 'the rule watches live only');
    const alert = out.alerts[0]!;
    assert.deepEqual(alert.actions.map((a) => [a.kind, a.status]), [['command', 'ok'], ['webhook', 'ok']]);
    assert.equal(readFileSync(join(dir, 'alert-out.txt'), 'utf8'), 'live drift drift-to-retrain');
    const copied = JSON.parse(readFileSync(join(dir, 'alert-report.json'), 'utf8')) as MonitorReport;
    assert.equal(copied.id, alert.report_id);
    const posted = hook.bodies[0] as AlertRecord;
    assert.deepEqual([posted.id, posted.rule, posted.monitor, posted.status, posted.report_id], [alert.id, 'drift-to-retrain', 'live', 'drift', alert.report_id]);

    const listed = JSON.parse((await cli(['alerts', 'list', '--open', '--json'], { cwd: dir })).stdout) as AlertsResponse;
    assert.deepEqual(listed.alerts.map((a) => a.id), [alert.id]);
    assert.deepEqual(listed.alerts[0]!.actions, alert.actions);
    const ack = await cli(['alerts', 'ack', alert.id, '--json'], { cwd: dir });
    assert.equal(ack.code, 0, ack.stderr);
    assert.equal((JSON.parse((await cli(['alerts', 'list', '--open', '--json'], { cwd: dir })).stdout) as AlertsResponse).alerts.length, 0);
    const unknown = await cli(['alerts', 'ack', 'nope'], { cwd: dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Alert nope not found/);
  } finally {
    await hook.close();
  }
});

test('a failing command and webhook are recorded failed (exit code, HTTP status after one retry), never fatal', async () => {
  const hook = await WebhookReceiver.start([500, 503]);
  try {
    const dir = await project({ 'slipway.yaml': config(hook.url, 'echo broken >&2; exit 7'), 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc() - DAY, 1, 300, [0]) });
    const run = await cli(['monitor', 'run', 'live', '--json'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const alert = (JSON.parse(run.stdout) as MonitorRunOutput).alerts[0]!;
    assert.deepEqual(alert.actions.map((a) => [a.kind, a.status, a.detail]), [['command', 'failed', 'exit 7: broken'], ['webhook', 'failed', 'HTTP 500; retry: HTTP 503']]);
    assert.equal(hook.bodies.length, 2);

    const closed = await WebhookReceiver.start();
    const url = closed.url;
    await closed.close();
    const dir2 = await project({ 'slipway.yaml': config(url, 'true'), 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc() - DAY, 1, 300, [0]) });
    const refused = JSON.parse((await cli(['monitor', 'run', 'live', '--json'], { cwd: dir2 })).stdout) as MonitorRunOutput;
    const webhook = refused.alerts[0]!.actions.find((a) => a.kind === 'webhook')!;
    assert.equal(webhook.status, 'failed');
    assert.match(webhook.detail, /ECONNREFUSED.*retry: .*ECONNREFUSED/);
  } finally {
    await hook.close();
  }
});

test('untrusted (SLIPWAY_UNTRUSTED=1): the alert is recorded, its command and webhook are skipped with the reason', async () => {
  const hook = await WebhookReceiver.start();
  try {
    const dir = await project({ 'slipway.yaml': config(hook.url, COMMAND), 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc() - DAY, 1, 300, [0]) });
    const run = await cli(['monitor', 'run', 'live', '--json'], { cwd: dir, env: { SLIPWAY_UNTRUSTED: '1' } });
    assert.equal(run.code, 1, run.stderr);
    const alert = (JSON.parse(run.stdout) as MonitorRunOutput).alerts[0]!;
    assert.deepEqual(alert.actions.map((a) => [a.kind, a.status]), [['command', 'skipped'], ['webhook', 'skipped']]);
    assert.match(alert.actions[0]!.detail, /not trusted/);
    assert.equal(existsSync(join(dir, 'alert-out.txt')), false);
    assert.equal(hook.bodies.length, 0);
  } finally {
    await hook.close();
  }
});
