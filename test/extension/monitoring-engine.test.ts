import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
import { FIXTURE_WINDOW, monitorEntry, writeLive, writeMonitorProject } from './monitor-fixture';
import { DIST, makeProject, stopEngine, waitFor } from './fixture';

function command(id: string) {
  const spec = COMMANDS.find((c) => c.id === id);
  assert.ok(spec, `no command ${id}`);
  return spec;
}

/** `slipway monitor run NAME [flags]`: exit 0 (no drift) or 1 (drift) are both fine here. */
function monitorRun(dir: string, name: string, ...flags: string[]): void {
  const result = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'monitor', 'run', name, ...flags], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`slipway monitor run ${name} exited ${result.status}: ${result.stderr}`);
}

function setup(dir: string) {
  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', backoffMs: [50, 100, 200] });
  // The view's clock, moved forward at the end to check relative times are redone from loaded data.
  const clock = { offsetMs: 0 };
  const monitoring = new MonitoringModel(engine, () => Date.now() + clock.offsetMs);
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
  return { engine, monitoring, ctx, log, opened, raised, tree, dispose, clock };
}

const row = (roots: readonly TreeNode[], label: string) => roots.find((n) => n.label === label);

void test('Monitoring tree, Run Monitor, alert notices, drift panel and Acknowledge against a real daemon', async (t) => {
  const dir = makeProject({ git: true });
  writeMonitorProject(dir);
  // Reports and alerts made before the editor connects: listed, never announced. Run Monitor needs no engine.
  monitorRun(dir, 'credit-live');
  const { engine, monitoring, ctx, log, opened, raised, tree, dispose, clock } = setup(dir);
  t.after(dispose);
  await command('slipway.runMonitor').run(ctx, 'batch-scores');
  assert.match(log.at(-1)!.text, /^Monitor batch-scores: evaluated 1 window; the latest is drift 2\/3: Drift detected in 2 of 3 columns\. Raised 1 alert\.$/);
  spawnSync(process.execPath, [join(DIST, 'cli.js'), 'engine', 'start'], { cwd: dir });
  engine.connect();

  await tree(() => /^drift 2\/3 · /.test(row(monitoring.roots, 'batch-scores')?.description ?? ''), 'batch-scores with its drift verdict');
  const credit = row(monitoring.roots, 'credit-live')!;
  assert.match(credit.description!, /^drift 2\/3 · just now · 1 alert$/);
  assert.equal(credit.icon?.id, 'warning');
  assert.deepEqual(credit.children!.map((c) => c.contextValue), ['alert', 'monitorReport']);
  assert.equal(row(monitoring.roots, 'Alerts')!.description, '2 open');
  // Nothing is due, so Run Monitor says so.
  await command('slipway.runMonitor').run(ctx, row(monitoring.roots, 'credit-live'));
  assert.equal(log.at(-1)!.text, 'Monitor credit-live: no window was due, so nothing was evaluated.');
  assert.equal(raised.length, 0);

  // A terminal re-evaluates a window: the new report and alert arrive through the event stream, and the alert is announced.
  const announced = waitFor<AlertRecord>((l) => monitoring.onAlert(l), (a) => a.monitor === 'batch-scores', 'the batch-scores alert', 20_000);
  monitorRun(dir, 'batch-scores', '--force');
  const alert = await announced;
  assert.equal(alertMessage(alert), 'Monitor batch-scores: drift detected in 2 of 3 columns');
  await tree(() => row(monitoring.roots, 'Alerts')!.description === '3 open', 'three open alerts');
  assert.equal(monitoring.badge?.value, 3);
  assert.equal(row(monitoring.roots, 'batch-scores')!.children!.filter((c) => c.contextValue === 'monitorReport').length, 2);

  // A monitor added to slipway.yaml is evaluated by the daemon itself; the view follows and announces its alert.
  writeLive(join(dir, 'live', 'nightly.csv'), 300, 4);
  const yaml = readFileSync(join(dir, 'slipway.yaml'), 'utf8');
  const fromDaemon = waitFor<AlertRecord>((l) => monitoring.onAlert(l), (a) => a.monitor === 'nightly', 'the alert of the monitor the daemon ran', 30_000);
  writeFileSync(join(dir, 'slipway.yaml'), yaml.replace('alerts:\n', `${monitorEntry('nightly', 'nightly.csv')}alerts:\n`));
  await fromDaemon;
  await tree(() => /^drift 2\/3/.test(row(monitoring.roots, 'nightly')?.description ?? ''), 'the nightly monitor with its report');
  assert.deepEqual(raised.map((a) => a.monitor), ['batch-scores', 'nightly']);

  // Open Drift Report from the newest batch-scores report row, then the panel loads it from the engine.
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
  assert.ok(report.window && report.window.endMs - report.window.startMs === FIXTURE_WINDOW.ms);
  assert.deepEqual(report.columns.filter((c) => c.drifted).map((c) => c.column).sort(), ['age', 'city']);
  assert.match(view.title(), /^Drift: batch-scores · /);
  const history = await view.next(DriftPanelUpdate.HistoryLoaded, { type: DriftPanelRequest.LoadHistory, requestId: 2, monitor: 'batch-scores', column: 'age' });
  assert.equal(history.requestId, 2);
  assert.ok(history.history && history.history.points.length >= 1, 'a history for age');
  assert.ok(history.history.points.every((p) => p.flagged && p.window_end_ms === report.window!.endMs));
  assert.equal(history.history.threshold, report.columns.find((c) => c.column === 'age')!.threshold);
  const none = await view.next(DriftPanelUpdate.HistoryLoaded, { type: DriftPanelRequest.LoadHistory, requestId: 3, monitor: 'batch-scores', column: 'no-such-column' });
  assert.equal(none.history, null);
  const missing = await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadReport, requestId: 4, source: { kind: 'monitor', reportId: 'no-such-report' } });
  assert.equal(missing.requestId, 4);
  // A new report of the panel's monitor tells the panel its history may have grown.
  const changed = view.next(DriftPanelUpdate.MonitorChanged);
  monitorRun(dir, 'batch-scores', '--force');
  assert.equal((await changed).monitor, 'batch-scores');

  // Open Drift Report from an alert row opens that alert's report.
  const alertRow = row(monitoring.roots, 'Alerts')!.children!.find((c) => c.id.endsWith(`alert:${alert.id}`))!;
  await command('slipway.openDriftReport').run(ctx, alertRow);
  assert.deepEqual(opened.at(-1), { kind: 'monitor', reportId: alert.report_id });

  // From a monitor row, the pick offers that monitor's reports, newest first; a JSON file comes from the explorer's argument.
  await command('slipway.openDriftReport').run(ctx, row(monitoring.roots, 'credit-live'));
  assert.deepEqual(opened.at(-1), { kind: 'monitor', reportId: monitoring.reports.get('credit-live')![0]!.id });
  await command('slipway.openDriftReportFile').run(ctx, { fsPath: join(dir, 'drift.json') });
  assert.deepEqual(opened.at(-1), { kind: 'file', path: join(dir, 'drift.json') });
  const before = opened.length;
  await command('slipway.openDriftReportFile').run(ctx);
  assert.equal(opened.length, before, 'a dismissed file dialog opens nothing');

  // Acknowledge from the alert row: it leaves the tree, and its event does not announce it again.
  await command('slipway.acknowledgeAlert').run(ctx, alertRow);
  assert.equal(log.at(-1)!.text, 'Acknowledged: Monitor batch-scores: drift detected in 2 of 3 columns.');
  await tree(() => monitoring.alerts.length > 0 && !monitoring.alerts.some((a) => a.id === alert.id), 'the acknowledged alert to leave the tree');
  assert.ok(!JSON.stringify(monitoring.roots).includes(`alert:${alert.id}"`));
  assert.ok(!raised.slice(2).some((a) => a.id === alert.id));

  // Shown again three hours later: relative times are redone without fetching.
  clock.offsetMs = 3 * 3_600_000;
  monitoring.rerender();
  assert.match(row(monitoring.roots, 'credit-live')!.description!, /^drift 2\/3 · 3h ago · 1 alert$/);

  // Cancelling Run Monitor ends the CLI process and says what was kept.
  ctx.ui.cancellable = (_title, work) => {
    const abort = new AbortController();
    const running = work(abort.signal);
    abort.abort();
    return running;
  };
  await command('slipway.runMonitor').run(ctx, 'credit-live');
  assert.equal(log.at(-1)!.text, 'Cancelled monitor credit-live. Windows it had finished keep their reports; the rest are evaluated next time.');

  // Run Monitor needs a trusted workspace.
  assert.match(unmetPrecondition('Run Monitor', command('slipway.runMonitor').needs, { engineConnected: true, engineProblem: undefined, trusted: false }) ?? '', /needs a trusted workspace/);
});
