// A monitor over a real served endpoint's prediction log, with feedback labels, and the training data of the served
// model version (from lineage) as the default reference.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { recordDataVersions } from '../../src/engine/lineage';
import { getReport, readPredictionWindow, runMonitors } from '../../src/engine/monitoring';
import { openProject } from '../../src/engine/project';
import { ModelRegistry } from '../../src/engine/registry';
import { defaultEndpoint } from '../../src/engine/serving';
import { createRun, logBatch } from '../../src/engine/tracking';
import type { PredictBatchResponse } from '../../src/shared/serving';
import { cli } from '../helpers';
import { NUMERIC, numericRows, request, RISK_CONFIG, startServing, tempProject } from '../serving/helpers';

const HOUR = 3_600_000;

const CONFIG = `${RISK_CONFIG.replace('      score_output: probabilities', '      model: credit@champion\n      score_output: probabilities')}monitors:
  credit-live:
    endpoint: credit
    window: 1h
    min_rows: 50
    performance: { min_labels: 20, max_change: 0.05 }
alerts:
  degraded:
    on: [degraded, drift]
`;

test('endpoint monitor: prediction log as a table, reference from lineage, labels from feedback, degraded performance', async () => {
  const root = tempProject(CONFIG);
  assert.equal((await cli(['init'], { cwd: root })).code, 0);
  // The training data: the same rows the endpoint will see (so no drift), with labels.
  const train = ['annual_income,loan_amount,employment_years,existing_debt_ratio,credit_history_months,label', ...numericRows.map((r, i) => `${NUMERIC.map((c) => r[c]).join(',')},${i % 3 === 0 ? 1 : 0}`)];
  writeFileSync(join(root, 'train.csv'), `${train.join('\n')}\n`);
  const added = await cli(['add', 'train.csv'], { cwd: root });
  assert.equal(added.code, 0, added.stderr);
  const project = openProject(root);
  try {
    const run = createRun(project.tracking, { experiment_id: '0', start_time: 1000 });
    logBatch(project.tracking, { run_id: run.info.run_id, metrics: [{ key: 'accuracy', value: 0.99, timestamp: 1, step: 0 }] });
    await recordDataVersions(project.tracking, run.info.run_id, root);
    const registry = new ModelRegistry(project.store, { objects: project.tracking.artifacts });
    registry.createModel({ name: 'credit' });
    registry.createVersion({ name: 'credit', source: `runs:/${run.info.run_id}/model`, runId: run.info.run_id });
    registry.setAlias('credit', 'champion', '1');
  } finally {
    project.close();
  }

  const since = Date.now();
  const handle = await startServing({ name: 'credit', version: '1', projectRoot: root });
  let ids: string[];
  try {
    const reply = (await request(`${handle.url}/predict`, { body: numericRows })).body as unknown as PredictBatchResponse;
    ids = reply.predictions.map((p) => p.id);
    // Labels that make the model look bad: 50% accurate.
    const labels = reply.predictions.slice(0, 100).map((p, i) => ({ id: p.id, label: i % 2 }));
    const fed = await request(`${handle.url}/feedback`, { body: labels, headers: { authorization: 'Bearer test-token' } });
    assert.equal(fed.status, 200, fed.text);
  } finally {
    await handle.close();
  }

  const opened = openProject(root);
  try {
    const table = readPredictionWindow(opened.store, { endpoint: 'credit', startMs: since - HOUR, endMs: Date.now() + 1, settings: opened.config.settings.serving.endpoints.credit ?? defaultEndpoint('credit') });
    assert.equal(table.rowCount, 200);
    const names = table.columns.map((c) => c.name);
    assert.deepEqual(names.slice(0, 5), NUMERIC);
    for (const n of ['score', 'label', 'risk_tier', 'output.probabilities.0', 'output.probabilities.1']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const score = table.columns.find((c) => c.name === 'score')!;
    const p1 = table.columns.find((c) => c.name === 'output.probabilities.1')!;
    assert.ok('values' in score && 'values' in p1);
    assert.deepEqual(Array.from(score.values), Array.from(p1.values));
    assert.equal(table.columns.find((c) => c.name === 'label')!.nullCount, 100);
    assert.equal(table.columns.find((c) => c.name === 'risk_tier')!.kind, 'categorical');

    const out = await runMonitors(opened, { trusted: true, since: since - 1000, now: Date.now() + HOUR });
    const reports = out.reports;
    assert.equal(reports.reduce((s, r) => s + r.rows, 0), 200);
    const main = reports.find((r) => r.rows > 0)!;
    const full = getReport(opened.store, main.id);
    assert.deepEqual(full.reference, { path: 'train.csv', rev: null, md5: full.reference.md5 });
    assert.match(full.reference.md5!, /^[0-9a-f]{32}$/);
    assert.equal(full.drift!.dataset_drift, false);
    assert.deepEqual(full.drift!.columns.filter((c) => c.role === 'feature').map((c) => c.column), NUMERIC);
    assert.equal(full.drift!.columns.find((c) => c.role === 'target')?.column, 'label');
    assert.ok(full.drift!.skipped.some((s) => s.column === 'score' && s.reason === 'missing_in_reference'));
    assert.equal(full.performance?.overall.labelled, 100);
    assert.ok(full.performance.overall.degraded.includes('accuracy'), JSON.stringify(full.performance.overall));
    assert.equal(main.status, 'degraded');
    assert.equal(out.negative, true);
    assert.equal(out.alerts.length, 1);
    assert.equal(out.alerts[0]!.status, 'degraded');
    assert.equal(new Set(ids).size, 200);
  } finally {
    opened.close();
  }
});
