import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';
import type { MonitorReport, MonitorRunOutput, MonitorsResponse } from '../../src/shared/monitoring';
import { cli } from '../helpers';
import { monitorHistory } from '../../src/engine/monitoring';
import { openProject } from '../../src/engine/project';
import { registerModelWithMetrics } from '../performance/helpers';
import { DAY, clearOfMidnight, currentCsv, liveConfig, project, referenceCsv, todayUtc } from './helpers';

// Daily windows: a test must not run across 00:00 UTC (see clearOfMidnight).
beforeEach(() => clearOfMidnight());

const CONFIG = liveConfig('    window: 1d\n');

test('a data monitor with daily windows: drift in the one shifted day only, reports stored, re-run is a no-op, --force stores anew', async () => {
  const first = todayUtc() - 3 * DAY;
  const dir = await project({ 'slipway.yaml': CONFIG, 'train.csv': referenceCsv(), 'current.csv': currentCsv(first, 3, 400, [1]) });

  const run = await cli(['monitor', 'run', '--since', new Date(first).toISOString(), '--json'], { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  const out = JSON.parse(run.stdout) as MonitorRunOutput;
  assert.deepEqual(out.reports.map((r) => [r.window_start_ms - first, r.status, r.rows]), [[0, 'ok', 400], [DAY, 'drift', 400], [2 * DAY, 'ok', 400]]);
  assert.equal(out.negative, true);
  assert.equal(out.reports[1]!.summary, 'Drift detected in 1 of 3 columns.');

  const again = await cli(['monitor', 'run', '--json'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual((JSON.parse(again.stdout) as MonitorRunOutput).reports, []);

  const shown = await cli(['monitor', 'show', 'live', '--report', out.reports[1]!.id, '--json', '--out-html', 'r.html'], { cwd: dir });
  assert.equal(shown.code, 0, shown.stderr);
  const report = (JSON.parse(shown.stdout) as { report: MonitorReport }).report;
  const income = report.drift!.columns.find((c) => c.column === 'income')!;
  assert.equal(income.drifted, true);
  assert.equal(report.drift!.target_drift, false);
  assert.equal(report.reference.path, 'train.csv');
  assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /income/);

  const forced = await cli(['monitor', 'run', 'live', '--force', '--json'], { cwd: dir });
  const forcedOut = JSON.parse(forced.stdout) as MonitorRunOutput;
  assert.equal(forcedOut.reports.length, 1);
  assert.equal(forcedOut.reports[0]!.window_start_ms, first + 2 * DAY);
  assert.notEqual(forcedOut.reports[0]!.id, out.reports[2]!.id);
  const listed = JSON.parse((await cli(['monitor', 'show', 'live', '--json'], { cwd: dir })).stdout) as { reports: { id: string }[] };
  assert.equal(listed.reports.length, 4, 'the forced report is added, the earlier one kept');
  assert.equal(listed.reports[0]!.id, forcedOut.reports[0]!.id);

  const list = JSON.parse((await cli(['monitor', 'list', '--json'], { cwd: dir })).stdout) as MonitorsResponse;
  assert.equal(list.monitors[0]!.latest?.id, forcedOut.reports[0]!.id);
  assert.equal(list.monitors[0]!.next_due_ms, todayUtc() + DAY);
});

test('empty windows are insufficient (no alert, exit 0); too few rows is insufficient with the drift kept', async () => {
  const first = todayUtc() - 2 * DAY;
  const config = `${CONFIG}alerts:\n  any:\n    on: [drift, insufficient]\n`;
  const dir = await project({ 'slipway.yaml': config.replace('min_rows: 50', 'min_rows: 500'), 'train.csv': referenceCsv(), 'current.csv': currentCsv(first, 1, 100, [0]) });
  const run = await cli(['monitor', 'run', '--since', new Date(first).toISOString(), '--json'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as MonitorRunOutput;
  assert.deepEqual(out.reports.map((r) => [r.status, r.rows, r.dataset_drift]), [['insufficient', 100, true], ['insufficient', 0, null]]);
  assert.equal(out.reports[1]!.summary, 'No rows in the window.');
  assert.equal(out.alerts.length, 2, 'a rule may ask for insufficient windows explicitly');
});

test('reference and current with different columns are reported, not fatal', async () => {
  const first = todayUtc() - DAY;
  const current = currentCsv(first, 1, 200, []).replace('debt_ratio', 'new_feature');
  const dir = await project({ 'slipway.yaml': CONFIG, 'train.csv': referenceCsv(), 'current.csv': current });
  const run = await cli(['monitor', 'run', '--json'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const id = (JSON.parse(run.stdout) as MonitorRunOutput).reports[0]!.id;
  const report = (JSON.parse((await cli(['monitor', 'show', 'live', '--report', id, '--json'], { cwd: dir })).stdout) as { report: MonitorReport }).report;
  assert.equal(report.status, 'ok');
  assert.deepEqual(report.drift!.skipped.map((s) => [s.column, s.reason]).sort(), [['debt_ratio', 'missing_in_current'], ['new_feature', 'missing_in_reference']]);
});

test('a missing reference file is a clear error stored as status error (exit 3); a config error names file and line (exit 2)', async () => {
  const dir = await project({ 'slipway.yaml': CONFIG.replace('train.csv', 'missing.csv'), 'current.csv': currentCsv(todayUtc() - DAY, 1, 200, []) });
  const run = await cli(['monitor', 'run', '--json'], { cwd: dir });
  assert.equal(run.code, 3, run.stderr);
  const report = (JSON.parse(run.stdout) as MonitorRunOutput).reports[0]!;
  assert.equal(report.status, 'error');
  assert.match(report.summary, /missing\.csv does not exist/);

  writeFileSync(join(dir, 'slipway.yaml'), `version: 1
monitors:
  live:
    data: current.csv
    windw: 1d
    min_rows: many
  other:
    reference: train.csv
alerts:
  a:
    on: [drifted]
    webhook: ftp://example
`);
  const bad = await cli(['monitor', 'run'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /slipway\.yaml:5:5: Unknown key "windw" in monitors\.live/);
  assert.match(bad.stderr, /slipway\.yaml:6:15: monitors\.live\.min_rows must be a number/);
  assert.match(bad.stderr, /slipway\.yaml:7:3: Monitor "other" needs exactly one of `endpoint:`/);
  assert.match(bad.stderr, /slipway\.yaml:11:9: alerts\.a\.on: unknown status "drifted"/);
  assert.match(bad.stderr, /slipway\.yaml:12:14: alerts\.a\.webhook must be an http/);
  assert.equal(existsSync(join(dir, 'r.html')), false);
});

test('an alert rule naming an undeclared monitor is a config error at its line (exit 2), before anything runs', async () => {
  const dir = await project({ 'slipway.yaml': `${CONFIG}alerts:\n  page:\n    monitors: [live, typo]\n`, 'train.csv': referenceCsv(), 'current.csv': currentCsv(todayUtc() - DAY, 1, 100, []) });
  const run = await cli(['monitor', 'run'], { cwd: dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /slipway\.yaml:13:22: alerts\.page\.monitors: no monitor "typo" under `monitors:`\. Monitors: live\./);
  assert.equal((await cli(['monitor', 'list', '--json'], { cwd: dir })).code, 0);
});

test('a data monitor with performance: metrics from the target and score columns, judged against the model run', async () => {
  const first = todayUtc() - DAY;
  const rows = currentCsv(first, 1, 200, []).trimEnd().split('\n');
  // A score that agrees with the label on 60% of the rows: well below the 0.95 accuracy the run logged.
  const scored = [`${rows[0]},score`, ...rows.slice(1).map((line, i) => { const label = Number(line.slice(line.lastIndexOf(',') + 1)); const right = i % 5 < 3; return `${line},${right === (label === 1) ? 0.9 : 0.1}`; })];
  const config = CONFIG.replace('    target: label\n', '    target: label\n    prediction: score\n    model: credit:1\n    performance: { min_labels: 50, max_change: 0.05 }\n');
  const dir = await project({ 'slipway.yaml': config, 'train.csv': referenceCsv(), 'current.csv': `${scored.join('\n')}\n` });
  registerModelWithMetrics(dir, 'credit', { accuracy: 0.95 });
  const run = await cli(['monitor', 'run', '--json'], { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  const summary = (JSON.parse(run.stdout) as MonitorRunOutput).reports[0]!;
  assert.equal(summary.status, 'degraded');
  assert.ok(summary.degraded.includes('accuracy'));
  const report = (JSON.parse((await cli(['monitor', 'show', 'live', '--json'], { cwd: dir })).stdout) as { report: MonitorReport }).report;
  assert.equal(report.performance!.overall.labelled, 200);
  assert.ok(Math.abs(report.performance!.overall.metrics.accuracy! - 0.6) < 1e-12);
  assert.deepEqual(report.performance!.baseline, { accuracy: 0.95 });
  assert.equal(report.drift!.prediction_drift, null, 'the reference has no score column: reported as skipped');
  assert.ok(report.drift!.skipped.some((s) => s.column === 'score'));

  const opened = openProject(dir, { readonly: true });
  try {
    const history = monitorHistory(opened.store, 'live');
    assert.deepEqual(history.metrics.accuracy?.map((p) => [p.report_id, p.flagged]), [[report.id, true]]);
    assert.ok(Math.abs(history.metrics.accuracy[0]!.value! - 0.6) < 1e-12);
    assert.deepEqual(history.columns.income?.points.map((p) => p.report_id), [report.id]);
  } finally {
    opened.close();
  }
});
