import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { EngineState } from '../../src/extension/connection/connection';
import { EngineService } from '../../src/extension/connection/service';
import { DriftPanelHost } from '../../src/extension/drift-report/host';
import { DriftPanelRequest, DriftPanelUpdate } from '../../src/shared/drift-panel';
import type { MonitorRunOutput } from '../../src/shared/monitoring';
import { metricLine, scoreLine } from '../../src/webviews/drift-report/scale';
import { driftPanel } from './drift-fixture';
import { DIST, makeProject, stopEngine, waitFor } from './fixture';
import { FIXTURE_WINDOW, SCORED_ACCURACY, chooseWindow, scoredSince, writeMonitorProject } from './monitor-fixture';

const BOX = { width: 300, height: 120, pad: { l: 44, r: 8, t: 8, b: 20 } };

/** `slipway monitor run NAME [flags] --json`; exit 0 or 1 (a negative verdict) are both results. */
function monitorRun(dir: string, ...args: string[]): MonitorRunOutput {
  const result = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'monitor', 'run', ...args, '--json'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`slipway monitor run ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as MonitorRunOutput;
}

void test('the panel of a monitor report with performance: metrics over time from a real daemon, baseline from the report', async (t) => {
  const dir = makeProject({ git: false });
  writeMonitorProject(dir, { scored: true });
  const scored = monitorRun(dir, 'scored', '--since', scoredSince());
  assert.deepEqual(scored.reports.map((r) => r.status), ['ok', 'ok', 'degraded']);
  assert.ok(scored.reports.every((r) => r.window_end_ms - r.window_start_ms === FIXTURE_WINDOW.ms));
  const newest = scored.reports.at(-1)!;
  const plain = monitorRun(dir, 'credit-live').reports[0]!;

  spawnSync(process.execPath, [join(DIST, 'cli.js'), 'engine', 'start'], { cwd: dir });
  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', backoffMs: [50, 100, 200] });
  const connected = waitFor<EngineState>((l) => engine.onState(l), (s) => s.kind === 'connected', 'the engine connection', 20_000);
  engine.connect();
  await connected;
  const view = driftPanel();
  const host = new DriftPanelHost({ kind: 'monitor', reportId: newest.id }, view.port, engine);
  t.after(async () => {
    host.dispose();
    engine.dispose();
    await stopEngine(dir);
  });
  await view.next(DriftPanelUpdate.Init, { type: DriftPanelRequest.Ready });

  // The summary's table: the window's metrics against the run's logged values.
  const { report } = await view.next(DriftPanelUpdate.ReportLoaded, { type: DriftPanelRequest.LoadReport, requestId: 1, source: { kind: 'monitor', reportId: newest.id } });
  assert.equal(report.monitor, 'scored');
  assert.equal(report.status, 'degraded');
  const accuracy = report.performance!.metrics.find((m) => m.metric === 'accuracy')!;
  assert.equal(accuracy.value, 0.6);
  assert.equal(accuracy.baseline, 0.92);
  assert.ok(Math.abs(accuracy.change! + 0.32) < 1e-12);
  assert.equal(accuracy.degraded, true);
  assert.equal(report.performance!.maxChange, 0.05);
  assert.equal(report.performance!.labelled, 100);
  assert.equal(report.performance!.metrics.find((m) => m.metric === 'log_loss')!.baseline, null);

  // Over time: one series per metric with values, oldest first, the degraded window flagged.
  const loaded = await view.next(DriftPanelUpdate.PerformanceLoaded, { type: DriftPanelRequest.LoadPerformance, requestId: 2, monitor: 'scored' });
  assert.equal(loaded.requestId, 2);
  assert.equal(loaded.monitor, 'scored');
  assert.deepEqual(loaded.metrics.map((m) => m.metric), ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'brier', 'ece']);
  const acc = loaded.metrics[0]!;
  assert.equal(acc.lowerIsBetter, false);
  assert.equal(loaded.metrics.find((m) => m.metric === 'log_loss')!.lowerIsBetter, true);
  assert.deepEqual(acc.points.map((p) => p.report_id), scored.reports.map((r) => r.id));
  assert.deepEqual(acc.points.map((p) => p.flagged), [false, false, true]);
  assert.deepEqual(acc.points.map((p) => p.value), SCORED_ACCURACY);
  // Drawn with the report's baseline: the first window above it, the second inside the allowed band, the degraded one below.
  const g = metricLine(acc.points, accuracy.baseline, report.performance!.maxChange, acc.lowerIsBetter, BOX);
  const inBand = (y: number) => y >= g.band!.y && y <= g.band!.y + g.band!.height;
  assert.deepEqual(g.points.map((p) => [inBand(p.y), p.flagged]), [[false, false], [true, false], [false, true]]);

  // The column history carries its test's scale: age is tested with K-S, a p-value.
  const age = await view.next(DriftPanelUpdate.HistoryLoaded, { type: DriftPanelRequest.LoadHistory, requestId: 3, monitor: 'scored', column: 'age' });
  assert.equal(age.history!.scoreKind, report.columns.find((c) => c.column === 'age')!.scoreKind);
  assert.equal(age.history!.scoreKind, 'p_value');
  assert.equal(scoreLine(age.history!.points, age.history!.scoreKind, age.history!.threshold, BOX).scale.kind, 'log');
  assert.equal(age.history!.points.length, 3);

  // A monitor without performance has no metric series: the panel then shows no section.
  const none = await view.next(DriftPanelUpdate.PerformanceLoaded, { type: DriftPanelRequest.LoadPerformance, requestId: 4, monitor: 'credit-live' });
  assert.deepEqual(none.metrics, []);
  assert.ok(plain.id);

  // The last window evaluated again: the panel is told, and asked again the series has the new report in its place.
  const changed = view.next(DriftPanelUpdate.MonitorChanged, undefined, 20_000);
  const forced = monitorRun(dir, 'scored', '--force');
  assert.equal((await changed).monitor, 'scored');
  const again = await view.next(DriftPanelUpdate.PerformanceLoaded, { type: DriftPanelRequest.LoadPerformance, requestId: 5, monitor: 'scored' });
  assert.equal(again.metrics[0]!.points.length, 3);
  assert.equal(again.metrics[0]!.points.at(-1)!.report_id, forced.reports[0]!.id);

  const unknown = await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadPerformance, requestId: 6, monitor: 'no-such-monitor' });
  assert.equal(unknown.requestId, 6);
  assert.match(unknown.message, /no-such-monitor/);
});

void test('the fixture window never closes within half an hour of the start of a test', () => {
  const WEEK = 7 * 86_400_000;
  const thursday = 2900 * WEEK;
  assert.equal(chooseWindow(thursday + 3 * 86_400_000).text, '1w');
  // Ten minutes before a weekly boundary another length is taken, and its open window ends well after the test.
  const late = thursday - 10 * 60_000;
  const chosen = chooseWindow(late);
  assert.notEqual(chosen.text, '1w');
  assert.ok((Math.floor(late / chosen.ms) + 1) * chosen.ms - late >= 30 * 60_000);
});
