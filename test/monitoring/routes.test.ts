import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { EngineStatusOutput } from '../../src/shared/cli';
import type { AlertRecord, AlertsResponse, MonitorHistoryResponse, MonitorReport, MonitorReportsResponse, MonitorRunOutput, MonitorsResponse } from '../../src/shared/monitoring';
import { MONITOR_ROUTES } from '../../src/shared/monitoring';
import { cli } from '../helpers';
import { http } from '../sse-client';
import { DAY, clearOfMidnight, currentCsv, liveConfig, project, referenceCsv, todayUtc } from './helpers';

// Daily windows: a test must not run across 00:00 UTC (see clearOfMidnight).
beforeEach(() => clearOfMidnight());

const CONFIG = `${liveConfig()}alerts:
  on-drift:
    monitors: [live]
    on: [drift]
`;

test('monitor routes: list, reports, history, one report, alerts, ack with token; unknown names and ids are 404', async () => {
  const first = todayUtc() - 3 * DAY;
  const dir = await project({ 'slipway.yaml': CONFIG, 'train.csv': referenceCsv(), 'current.csv': currentCsv(first, 3, 300, [1]) });
  const run = JSON.parse((await cli(['monitor', 'run', '--since', new Date(first).toISOString(), '--json'], { cwd: dir })).stdout) as MonitorRunOutput;
  assert.equal(run.alerts.length, 1);
  const started = await cli(['engine', 'start', '--json'], { cwd: dir });
  assert.equal(started.code, 0, started.stderr);
  const status = JSON.parse(started.stdout) as EngineStatusOutput;
  assert.ok(status.running);
  const { port, token } = status.engine;
  try {
    const get = async <T>(path: string, status = 200): Promise<T> => {
      const res = await http(port, 'GET', path);
      assert.equal(res.status, status, `${path}: ${res.body}`);
      return res.json() as T;
    };
    const monitors = await get<MonitorsResponse>(MONITOR_ROUTES.monitors);
    assert.deepEqual(monitors.monitors.map((m) => [m.name, m.source, m.window, m.latest?.status, m.open_alerts]), [['live', { kind: 'data', path: 'current.csv' }, '1d', 'ok', 1]]);

    const reports = await get<MonitorReportsResponse>(`${MONITOR_ROUTES.reports('live')}?limit=2`);
    assert.deepEqual(reports.reports.map((r) => r.window_start_ms - first), [2 * DAY, DAY]);

    const history = await get<MonitorHistoryResponse>(MONITOR_ROUTES.history('live'));
    assert.deepEqual(Object.keys(history.columns).sort(), ['debt_ratio', 'income', 'purpose', 'label'].sort());
    assert.deepEqual(history.columns.income!.points.map((p) => p.flagged), [false, true, false]);
    assert.equal(history.columns.income!.test, 'wasserstein');
    assert.ok(history.columns.income!.points[1]!.value! > 0.1);

    const one = await get<MonitorReport>(MONITOR_ROUTES.report(run.reports[1]!.id));
    assert.equal(one.status, 'drift');
    assert.equal(one.drift?.dataset_drift, true);

    for (const path of [MONITOR_ROUTES.reports('nope'), MONITOR_ROUTES.history('nope'), MONITOR_ROUTES.report('nope')]) {
      const body = await get<{ error_code: string; message: string }>(path, 404);
      assert.equal(body.error_code, 'RESOURCE_DOES_NOT_EXIST');
      assert.ok(body.message.length > 0);
    }

    const open = await get<AlertsResponse>(`${MONITOR_ROUTES.alerts}?open=1`);
    assert.deepEqual(open.alerts.map((a) => [a.rule, a.monitor, a.status, a.report_id]), [['on-drift', 'live', 'drift', run.reports[1]!.id]]);
    const id = open.alerts[0]!.id;

    assert.equal((await http(port, 'POST', MONITOR_ROUTES.alertAck(id))).status, 401);
    assert.equal((await http(port, 'POST', MONITOR_ROUTES.alertAck(id), { headers: { authorization: 'Bearer wrong' } })).status, 401);
    const missing = await http(port, 'POST', MONITOR_ROUTES.alertAck('nope'), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(missing.status, 404);
    const acked = await http(port, 'POST', MONITOR_ROUTES.alertAck(id), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(acked.status, 200, acked.body);
    assert.ok((acked.json() as AlertRecord).acknowledged_ms! > 0);
    assert.deepEqual((await get<AlertsResponse>(`${MONITOR_ROUTES.alerts}?open=1`)).alerts, []);
    assert.equal((await get<AlertsResponse>(MONITOR_ROUTES.alerts)).alerts.length, 1);

    const rebound = await http(port, 'GET', MONITOR_ROUTES.monitors, { headers: { host: `evil.example:${port}` } });
    assert.equal(rebound.status, 403);
  } finally {
    await cli(['engine', 'stop'], { cwd: dir });
  }
});
