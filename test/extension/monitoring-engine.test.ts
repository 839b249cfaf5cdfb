import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CommandContext, PickItem, Ui } from '../../src/extension/commands/context';
import { unmetPrecondition } from '../../src/extension/commands/preconditions';
import { COMMANDS } from '../../src/extension/commands/table';
import { EngineService } from '../../src/extension/connection/service';
import { DataModel } from '../../src/extension/data/model';
import { runCli } from '../../src/extension/data/runner';
import { DriftPanelHost } from '../../src/extension/drift-report/host';
import { ModelsModel } from '../../src/extension/models/model';
import { alertMessage } from '../../src/extension/monitoring/collect';
import { MonitoringModel } from '../../src/extension/monitoring/model';
import { RunsModel } from '../../src/extension/runs/model';
import { EndpointsModel } from '../../src/extension/serving/model';
import type { TreeNode } from '../../src/extension/tree/node';
import type { DriftPanelSource } from '../../src/shared/drift-panel';
import { DriftPanelRequest, DriftPanelUpdate } from '../../src/shared/drift-panel';
import type { AlertRecord } from '../../src/shared/monitoring';
import { driftPanel } from './drift-fixture';
import { writeMonitorProject } from './monitor-fixture';
import { DIST, makeProject, stopEngine, waitFor } from './fixture';

function command(id: string) {
  const spec = COMMANDS.find((c) => c.id === id);
  assert.ok(spec, `no command ${id}`);
  return spec;
}

/** `slipway monitor run NAME`: exit 0 (no drift) or 1 (drift) are both fine here. */
function monitorRun(dir: string, name: string): void {
  const result = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'monitor', 'run', name], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`slipway monitor run ${name} exited ${result.status}: ${result.stderr}`);
}

function setup(dir: string) {
  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', backoffMs: [50, 100, 200] });
  const monitoring = new MonitoringModel(engine);
  const log: { kind: 'info' | 'error'; text: string }[] = [];
  const opened: DriftPanelSource[] = [];
  const raised: AlertRecord[] = [];
  monitoring.onAlert((a) => raised.push(a));
  const ui: Ui = {
    info: (text) => log.push({ kind: 'info', text }),
    error: (text) => log.push({ kind: 'error', text }),
    pick: <T>(items: PickItem<T>[]) => Promise.resolve(items[0]?.value),
    ask: () => Promise.resolve(undefined),
    progress: (_title, work) => work(),
    openUntitled: () => Promise.resolve(),
    cancellable: (_title, work) => work(new AbortController().signal),
    choosePaths: () => Promise.resolve(undefined),
    confirm: () => Promise.resolve(false),
  };
  const endpoints = new EndpointsModel(dir);
  const ctx: CommandContext = {
    engine,
    runs: new RunsModel(engine, () => ({ keyMetrics: [], maxRuns: 10 })),
    ui,
    showRun: () => undefined,
    models: { tree: new ModelsModel(engine, endpoints), endpoints, serve: () => Promise.reject(new Error('unused')), showHistory: () => Promise.resolve(), requestFiles: () => Promise.resolve([]), relative: (p) => p },
    data: { tree: new DataModel(engine), root: dir, runCli: () => Promise.reject(new Error('unused')) },
    monitoring: {
      tree: monitoring,
      runCli: (args, signal) => runCli({ cliScript: join(DIST, 'cli.js'), cwd: dir, runtime: () => ({ command: process.execPath, env: {} }), negativeIsResult: true }, args, signal),
      openReport: (source) => opened.push(source),
      chooseJsonFile: () => Promise.resolve(undefined),
    },
  };
  const tree = (accept: () => boolean, what: string) => (accept() ? Promise.resolve() : waitFor<void>((l) => monitoring.onDidChange(l), accept, what, 20_000));
  const dispose = async () => {
    monitoring.dispose();
    ctx.runs.dispose();
    ctx.models.tree.dispose();
    ctx.data.tree.dispose();
    endpoints.dispose();
    engine.dispose();
    await stopEngine(dir);
  };
  return { engine, monitoring, ctx, log, opened, raised, tree, dispose };
}

const row = (roots: readonly TreeNode[], label: string) => roots.find((n) => n.label === label);

void test('Monitoring tree, Run Monitor, alert notice, drift panel and Acknowledge against a real daemon', async (t) => {
  const dir = makeProject({ git: true });
  writeMonitorProject(dir);
  // A report and an alert made before the editor connects: listed, never announced.
  monitorRun(dir, 'credit-live');
  spawnSync(process.execPath, [join(DIST, 'cli.js'), 'engine', 'start'], { cwd: dir });
  const { engine, monitoring, ctx, log, opened, raised, tree, dispose } = setup(dir);
  t.after(dispose);
  engine.connect();

  await tree(() => /^drift 2\/3 · /.test(row(monitoring.roots, 'credit-live')?.description ?? ''), 'credit-live with its drift verdict');
  const credit = row(monitoring.roots, 'credit-live')!;
  assert.equal(credit.icon?.id, 'warning');
  assert.match(credit.description!, /· 1 alert$/);
  assert.deepEqual(credit.children!.map((c) => c.contextValue), ['alert', 'monitorReport']);
  assert.equal(row(monitoring.roots, 'Alerts')!.description, '1 open');
  assert.equal(row(monitoring.roots, 'batch-scores')!.description, 'no reports yet');
  assert.equal(raised.length, 0);

  // Run Monitor from its row: the CLI's exit 1 (drift) is a result; the new alert is announced through the event stream.
  const announced = waitFor<AlertRecord>((l) => monitoring.onAlert(l), (a) => a.monitor === 'batch-scores', 'the batch-scores alert', 20_000);
  await command('slipway.runMonitor').run(ctx, row(monitoring.roots, 'batch-scores'));
  assert.match(log.at(-1)!.text, /^Monitor batch-scores: evaluated 1 window; the latest is drift 2\/3: Drift detected in 2 of 3 columns\. Raised 1 alert\.$/);
  const alert = await announced;
  assert.equal(alertMessage(alert), 'Monitor batch-scores: drift detected in 2 of 3 columns');
  assert.deepEqual(raised.map((a) => a.monitor), ['batch-scores']);
  await tree(() => row(monitoring.roots, 'Alerts')!.description === '2 open', 'two open alerts');
  assert.equal(monitoring.badge?.value, 2);

  // Open Drift Report from the new report row, then the panel loads it from the engine.
  const reportRow = row(monitoring.roots, 'batch-scores')!.children!.find((c) => c.contextValue === 'monitorReport')!;
  await command('slipway.openDriftReport').run(ctx, reportRow);
  const source = opened.at(-1)!;
  assert.equal(source.kind, 'monitor');
  const view = driftPanel();
  const host = new DriftPanelHost(source, view.port, engine);
  t.after(() => host.dispose());
  const init = await view.next(DriftPanelUpdate.Init, { type: DriftPanelRequest.Ready });
  assert.equal(init.engineConnected, true);
  const { report } = await view.next(DriftPanelUpdate.ReportLoaded, { type: DriftPanelRequest.LoadReport, requestId: 1, source });
  assert.equal(report.summary, 'Drift detected in 2 of 3 columns');
  assert.equal(report.monitor, 'batch-scores');
  assert.equal(report.status, 'drift');
  assert.ok(report.window && report.window.endMs > report.window.startMs);
  assert.deepEqual(report.columns.filter((c) => c.drifted).map((c) => c.column).sort(), ['age', 'city']);
  assert.match(view.title(), /^Drift: batch-scores · /);
  const history = await view.next(DriftPanelUpdate.HistoryLoaded, { type: DriftPanelRequest.LoadHistory, requestId: 2, monitor: 'batch-scores', column: 'age' });
  assert.equal(history.requestId, 2);
  assert.ok(history.history, 'a history for age');
  assert.equal(history.history.points.length, 1);
  assert.equal(history.history.points[0]!.flagged, true);
  assert.equal(history.history.threshold, report.columns.find((c) => c.column === 'age')!.threshold);
  const none = await view.next(DriftPanelUpdate.HistoryLoaded, { type: DriftPanelRequest.LoadHistory, requestId: 3, monitor: 'batch-scores', column: 'no-such-column' });
  assert.equal(none.history, null);
  const missing = await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadReport, requestId: 4, source: { kind: 'monitor', reportId: 'no-such-report' } });
  assert.equal(missing.requestId, 4);

  // Open Drift Report from an alert row opens that alert's report.
  const alertRow = row(monitoring.roots, 'Alerts')!.children!.find((c) => c.label.includes('Drift') && c.description?.startsWith('batch-scores'))!;
  await command('slipway.openDriftReport').run(ctx, alertRow);
  assert.deepEqual(opened.at(-1), source);

  // Acknowledge from the alert row: it leaves the tree, and its event does not announce it again.
  await command('slipway.acknowledgeAlert').run(ctx, alertRow);
  assert.equal(log.at(-1)!.text, 'Acknowledged: Monitor batch-scores: drift detected in 2 of 3 columns.');
  await tree(() => row(monitoring.roots, 'Alerts')!.description === '1 open', 'one open alert after the acknowledgement');
  assert.ok(!(row(monitoring.roots, 'batch-scores')!.children ?? []).some((c) => c.contextValue === 'alert'));
  assert.deepEqual(raised.map((a) => a.id), [alert.id]);

  // Run Monitor needs a trusted workspace.
  assert.match(unmetPrecondition('Run Monitor', command('slipway.runMonitor').needs, { engineConnected: true, engineProblem: undefined, trusted: false }) ?? '', /needs a trusted workspace/);
});
