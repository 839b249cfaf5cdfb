import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineService } from '../../src/extension/connection/service';
import { runCli } from '../../src/extension/data/runner';
import { DriftPanelHost } from '../../src/extension/drift-report/host';
import { DriftPanelRequest, DriftPanelUpdate } from '../../src/shared/drift-panel';
import type { DriftReport } from '../../src/shared/drift';
import { driftPanel, writeDriftPair } from './drift-fixture';
import { DIST, makeProject } from './fixture';

const cliRunner = (dir: string) => (args: string[]) =>
  runCli<DriftReport>({ cliScript: join(DIST, 'cli.js'), cwd: dir, runtime: () => ({ command: process.execPath, env: {} }), negativeIsResult: true }, args);

void test('a `slipway drift --out-json` file in the panel: summary, verdicts, columns with shares; bad files named', async (t) => {
  const dir = makeProject({ git: false });
  const { reference, current } = writeDriftPair(dir);
  // Exit 1 (drift detected) with the report on stdout is a result for the runner, not a failure.
  const printed = await cliRunner(dir)(['drift', '--reference', reference, '--current', current, '--out-json', join(dir, 'drift.json')]);
  assert.equal(printed.dataset_drift, true);
  assert.equal(printed.number_of_drifted_columns, 2);

  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', backoffMs: [1000] });
  const view = driftPanel();
  const host = new DriftPanelHost({ kind: 'file', path: join(dir, 'drift.json') }, view.port, engine);
  t.after(() => {
    host.dispose();
    engine.dispose();
  });
  const init = await view.next(DriftPanelUpdate.Init, { type: DriftPanelRequest.Ready });
  assert.deepEqual(init.source, { kind: 'file', path: join(dir, 'drift.json') });
  assert.equal(init.engineConnected, false);

  // A file needs no engine.
  const loaded = await view.next(DriftPanelUpdate.ReportLoaded, { type: DriftPanelRequest.LoadReport, requestId: 3, source: init.source });
  assert.equal(loaded.requestId, 3);
  const report = loaded.report;
  assert.equal(report.summary, 'Drift detected in 2 of 3 columns');
  assert.equal(report.datasetDrift, true);
  assert.match(report.verdicts[0]!, /^Dataset drift detected: 66\.67% of the feature columns drifted; the dataset drifts at 50%\.$/);
  assert.equal(report.monitor, null);
  assert.equal(report.performance, null);
  assert.equal(view.title(), 'Drift: drift.json');
  const byName = Object.fromEntries(report.columns.map((c) => [c.column, c]));
  assert.deepEqual(Object.keys(byName).sort(), ['age', 'city', 'income']);
  assert.equal(byName.age!.drifted, true);
  assert.equal(byName.city!.drifted, true);
  assert.equal(byName.income!.drifted, false);
  assert.equal(byName.city!.type, 'categorical');
  assert.ok(byName.city!.histogram.labels.includes('Riga'));
  for (const c of report.columns) {
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(sum(c.histogram.reference) - 1) < 1e-9 && Math.abs(sum(c.histogram.current) - 1) < 1e-9, `${c.column} shares sum to 1`);
    assert.equal(c.histogram.reference.length, c.histogram.labels.length);
    assert.equal(c.reference.rows, 400);
  }

  writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
  const notReport = await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadReport, requestId: 4, source: { kind: 'file', path: join(dir, 'other.json') } });
  assert.equal(notReport.requestId, 4);
  assert.match(notReport.message, /other\.json is not a Slipway drift report .*slipway drift --out-json/);
  writeFileSync(join(dir, 'broken.json'), '{"schema_version": 1, "colu');
  assert.match((await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadReport, requestId: 5, source: { kind: 'file', path: join(dir, 'broken.json') } })).message, /broken\.json is not JSON/);
  assert.match((await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadReport, requestId: 6, source: { kind: 'file', path: join(dir, 'gone.json') } })).message, /gone\.json: the file does not exist/);
  // History needs the engine; the answer says so instead of hanging.
  assert.match((await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadHistory, requestId: 7, monitor: 'm', column: 'age' })).message, /engine is not running/);
  assert.match((await view.next(DriftPanelUpdate.RequestFailed, { type: DriftPanelRequest.LoadPerformance, requestId: 8, monitor: 'm' })).message, /engine is not running/);
});

void test('the runner still fails on exit 1 without output, and on other codes, with the CLI\'s message', async () => {
  const dir = makeProject({ git: false });
  const run = cliRunner(dir);
  await assert.rejects(run(['drift', '--reference', join(dir, 'nope.csv'), '--current', join(dir, 'nope.csv')]), /nope\.csv/);
});
