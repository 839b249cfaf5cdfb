// Performance from a real served endpoint: predictions, then feedback, then the report read from slipway.db.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupMetrics, performanceReport } from '../../src/engine/monitoring/performance';
import type { PredictBatchResponse } from '../../src/shared/serving';
import { numericRows, request, RISK_CONFIG, startServing, tempProject } from '../serving/helpers';
import { registerModelWithMetrics } from './helpers';

const labelOf = (i: number, score: number): number => (i % 5 === 0 ? Number(score < 0.5) : Number(score >= 0.5)); // 80% right

void test('endpoint: log joined with the latest feedback, metrics equal those of the served scores, judged against the run', async () => {
  const root = tempProject(RISK_CONFIG);
  registerModelWithMetrics(root, 'credit', { accuracy: 0.97, auc: 0.99, log_loss: 0.05, f1_score: 0.9, unrelated: 3 });
  const handle = await startServing({ name: 'credit', version: '1', projectRoot: root });
  try {
    const reply = (await request(`${handle.url}/predict`, { body: numericRows })).body as unknown as PredictBatchResponse;
    const predictions = reply.predictions;
    assert.equal(predictions.length, 200);
    // Labels for the first 150 only; the first id is labelled twice and the later label wins.
    const labelled = predictions.slice(0, 150).map((p, i) => ({ id: p.id, label: labelOf(i, p.score!) }));
    const first = await request(`${handle.url}/feedback`, { body: [{ id: predictions[0]!.id, label: 1 - labelled[0]!.label }], headers: { authorization: 'Bearer test-token' } });
    assert.equal(first.status, 200, first.text);
    const rest = await request(`${handle.url}/feedback`, { body: labelled, headers: { authorization: 'Bearer test-token' } });
    assert.equal(rest.status, 200, rest.text);

    const report = await performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' }, minLabels: 100 });
    assert.equal(report.model, 'credit');
    assert.equal(report.version, '1');
    assert.equal(report.positive_label, '1');
    assert.deepEqual(report.baseline, { accuracy: 0.97, f1: 0.9, roc_auc: 0.99, log_loss: 0.05 });
    assert.equal(report.windows.length, 1);
    const w = report.overall;
    assert.equal(w.predictions, 200);
    assert.equal(w.labelled, 150);
    const pos = predictions.slice(0, 150).filter((_, i) => labelled[i]!.label === 1).map((p) => p.score!);
    const neg = predictions.slice(0, 150).filter((_, i) => labelled[i]!.label === 0).map((p) => p.score!);
    assert.equal(w.positives, pos.length);
    const want = groupMetrics(Float64Array.from(pos), Float64Array.from(neg), 0.5);
    for (const [metric, value] of Object.entries(want.metrics)) assert.ok(Math.abs(value! - w.metrics[metric as keyof typeof want.metrics]!) < 1e-12, metric);
    assert.ok(Math.abs(w.metrics.accuracy! - 0.8) < 1e-12);
    assert.deepEqual(w.degraded, ['accuracy', 'f1', 'roc_auc', 'log_loss']);

    // Windows and ranges over the same log; too few labels in a window: shown, not judged.
    const now = Date.now();
    const windowed = await performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' }, windowMs: 86_400_000, fromMs: now - 86_400_000, toMs: now + 86_400_000, minLabels: 1000 });
    assert.ok(windowed.windows.length >= 2 && windowed.windows.every((x) => x.degraded.length === 0));
    assert.equal(windowed.windows.reduce((s, x) => s + x.predictions, 0), 200);
    assert.ok(windowed.notes.some((n) => /fewer than 1000 labels/.test(n)));
    const empty = await performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' }, toMs: now - 86_400_000 });
    assert.equal(empty.overall.predictions, 0);
    assert.ok(empty.notes.includes('No predictions in the range.'));

    // Another positive label: the score is the other class's column and labels are compared with it.
    const flipped = await performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' }, positiveLabel: '0', model: 'credit:1' });
    assert.ok(Math.abs(flipped.overall.metrics.roc_auc! - w.metrics.roc_auc!) < 1e-12);
    assert.equal(flipped.overall.positives, 150 - pos.length);
  } finally {
    await handle.close();
  }
});

void test('endpoint: no predictions, a model outside the registry, a run with no metrics, non-binary labels', async () => {
  const root = tempProject(RISK_CONFIG);
  await assert.rejects(performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' } }), /Endpoint credit has no logged predictions .*No endpoint has logged predictions yet/);

  const handle = await startServing({ name: 'credit', version: '7', projectRoot: root });
  try {
    const reply = (await request(`${handle.url}/predict`, { body: numericRows.slice(0, 40) })).body as unknown as PredictBatchResponse;
    const auth = { authorization: 'Bearer test-token' };
    assert.equal((await request(`${handle.url}/feedback`, { body: reply.predictions.map((p, i) => ({ id: p.id, label: i % 2 === 0 })), headers: auth })).status, 200);
    await assert.rejects(performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'other' } }), /Endpoint other has no logged predictions .*Endpoints with predictions: "credit"/);

    const unregistered = await performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' } });
    assert.deepEqual(unregistered.baseline, {});
    assert.equal(unregistered.model, null);
    assert.ok(unregistered.notes.some((n) => /credit:7 is not a registered model version/.test(n)), unregistered.notes.join('\n'));
    assert.equal(unregistered.overall.labelled, 40);
    assert.equal(unregistered.overall.positives, 20);
    assert.deepEqual(unregistered.overall.degraded, []);

    registerModelWithMetrics(root, 'credit', {});
    const noMetrics = await performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' }, model: 'credit:1' });
    assert.deepEqual(noMetrics.baseline, {});
    assert.ok(noMetrics.notes.some((n) => /logged none of the metrics compared here \(it logged no metrics\)/.test(n)), noMetrics.notes.join('\n'));
    await assert.rejects(performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' }, model: 'credit:9' }), /credit/);

    assert.equal((await request(`${handle.url}/feedback`, { body: [{ id: reply.predictions[0]!.id, label: 'maybe' }], headers: auth })).status, 200);
    await assert.rejects(performanceReport({ projectRoot: root, source: { kind: 'endpoint', endpoint: 'credit' } }), /The labels of endpoint credit are not binary: saw .*"maybe".*map the labels to 0\/1/);
  } finally {
    await handle.close();
  }
});
