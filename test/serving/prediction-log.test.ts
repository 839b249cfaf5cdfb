import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { PredictionLog, newPredictionId, type PredictionEntry } from '../../src/engine/serving';
import { Store } from '../../src/engine/store';
import type { PredictBatchResponse, PredictOneResponse } from '../../src/shared/serving';
import { RISK_CONFIG, numericRows, request, startServing, tempProject } from './helpers';

function entry(id = newPredictionId()): PredictionEntry {
  return { id, endpoint: 'credit', model: 'credit', version: '1', tsMs: Date.now(), latencyUs: 120, inputs: { a: 1 }, outputs: { p: 0.5 } };
}

function count(store: Store, table: string): number {
  return (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function openStore(): { store: Store; path: string } {
  const path = join(tempProject(), '.slipway', 'slipway.db');
  return { store: Store.open(path), path };
}

void test('store migrates to version 4 with prediction_log and prediction_feedback', () => {
  const { store } = openStore();
  assert.ok(store.schemaVersion >= 4);
  const tables = store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  assert.ok(tables.includes('prediction_log') && tables.includes('prediction_feedback'));
  store.close();
});

void test('appends are queued, then written in one batch by the writer thread, with a change event', async () => {
  const { store, path } = openStore();
  const log = new PredictionLog(path, { flushMs: 20 });
  const written = new Promise<number>((resolve) => log.once('written', resolve));
  log.append([entry(), entry(), entry()]);
  assert.equal(count(store, 'prediction_log'), 0, 'nothing is written on the caller’s turn');
  assert.equal(log.pendingCount, 3);
  assert.equal(await written, 3);
  assert.equal(count(store, 'prediction_log'), 3);
  assert.equal(log.pendingCount, 0);
  const topics = store.db.prepare("SELECT DISTINCT topic || ':' || key FROM change_log").pluck().all();
  assert.deepEqual(topics, ['predictions:credit']);
  await log.close();
  store.close();
});

void test('a store locked by another writer: appends stay instant and bounded, rows are written once it is free', async () => {
  const { store, path } = openStore();
  const log = new PredictionLog(path, { flushMs: 1, batchRows: 4, maxPending: 6 });
  store.db.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  for (let i = 0; i < 5; i++) log.append([entry(), entry()]);
  assert.ok(performance.now() - started < 50, 'appending never waits for the lock');
  assert.equal(log.pendingCount, 6, 'memory stays bounded');
  assert.equal(log.dropped, 4);
  store.db.exec('COMMIT');
  await log.flush();
  assert.equal(count(store, 'prediction_log'), 6);
  assert.equal(log.written, 6);
  await log.close();
  store.close();
});

void test('feedback for a queued id finds it; an unknown id fails the whole request and records nothing', async () => {
  const { store, path } = openStore();
  const log = new PredictionLog(path, { flushMs: 60_000 });
  const queued = entry();
  log.append([queued]);
  assert.equal(await log.addFeedback([{ id: queued.id, label: 1 }]), 1);
  assert.equal(log.pendingCount, 0);
  assert.equal(count(store, 'prediction_log'), 1);
  assert.deepEqual(store.db.prepare('SELECT id, label FROM prediction_feedback').all(), [{ id: queued.id, label: 1 }]);
  await assert.rejects(log.addFeedback([{ id: queued.id, label: 0 }, { id: 'nope', label: 1 }]), (error: unknown) => {
    assert.ok(error instanceof SlipwayError);
    assert.equal(error.code, 'RESOURCE_DOES_NOT_EXIST');
    assert.match(error.message, /No prediction with id nope; nothing was recorded/);
    return true;
  });
  assert.equal(count(store, 'prediction_feedback'), 1);
  await log.close();
  store.close();
});

void test('over HTTP: responses carry ids, the log holds inputs/outputs/version/latency, POST /feedback attaches labels', async () => {
  const handle = await startServing({ name: 'credit', projectRoot: tempProject(RISK_CONFIG) });
  try {
    const one = (await request(`${handle.url}/predict`, { body: numericRows[0] })).body as unknown as PredictOneResponse;
    const batch = (await request(`${handle.url}/predict`, { body: numericRows.slice(1, 4) })).body as unknown as PredictBatchResponse;
    const ids = [one.id, ...batch.predictions.map((p) => p.id)];
    const auth = { authorization: 'Bearer test-token' };
    // Sent at once: the ids are still in the unwritten batch, which the feedback flushes.
    const fb = await request(`${handle.url}/feedback`, { body: { feedback: ids.map((id, i) => ({ id, label: i % 2 })) }, headers: auth });
    assert.equal(fb.status, 200, fb.text);
    assert.deepEqual(fb.body, { accepted: 4 });
    const single = await request(`${handle.url}/feedback`, { body: { id: one.id, label: 'default' }, headers: auth });
    assert.equal(single.status, 200, single.text);
    const unknown = await request(`${handle.url}/feedback`, { body: [{ id: '01ZZZZZZZZZZZZZZZZZZZZZZZZ', label: 1 }], headers: auth });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.message), /No prediction with id 01ZZZZZZZZZZZZZZZZZZZZZZZZ/);
    assert.equal((await request(`${handle.url}/feedback`, { body: { id: one.id, label: 1 }, headers: { authorization: 'Bearer wrong-token' } })).status, 401);
    assert.equal((await request(`${handle.url}/feedback`, { body: { id: one.id, label: { x: 1 } }, headers: auth })).status, 400);
    assert.equal((await request(`${handle.url}/feedback`, { body: [], headers: auth })).status, 400);

    const store = Store.open(join(handle.root, '.slipway', 'slipway.db'), { readonly: true });
    const row = store.db.prepare('SELECT * FROM prediction_log WHERE id = ?').get(one.id) as Record<string, string | number>;
    assert.equal(row.endpoint, 'credit');
    assert.equal(row.model, 'credit');
    assert.equal(row.version, one.version);
    assert.ok(Number(row.latency_us) > 0);
    assert.deepEqual(JSON.parse(String(row.inputs)), numericRows[0]);
    const outputs = JSON.parse(String(row.outputs)) as { probabilities: number[]; label: number; postprocessed: { risk_tier: string } };
    assert.deepEqual(outputs.probabilities, one.outputs.probabilities);
    assert.equal(outputs.postprocessed.risk_tier, one.postprocessed!.risk_tier);
    const labels = store.db.prepare('SELECT id, label FROM prediction_feedback ORDER BY seq').all();
    assert.deepEqual(labels, [...ids.map((id, i) => ({ id, label: i % 2 })), { id: one.id, label: 'default' }]);
    store.close();
  } finally {
    await handle.close();
  }
});

void test('a locked store never delays a response', async () => {
  const handle = await startServing({ name: 'credit' });
  const other = Store.open(join(handle.root, '.slipway', 'slipway.db'));
  try {
    other.db.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    for (let i = 0; i < 20; i++) assert.equal((await request(`${handle.url}/predict`, { body: numericRows[i] })).status, 200);
    // Give the log's timer a chance to hit the lock, then answer again.
    await new Promise<void>((resolve) => setTimeout(resolve, 150));
    assert.equal((await request(`${handle.url}/predict`, { body: numericRows[0] })).status, 200);
    assert.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms while the store was locked`);
    const metrics = (await request(`${handle.url}/metrics`)).text;
    assert.match(metrics, /slipway_serving_prediction_log_pending 21/);
  } finally {
    other.db.exec('COMMIT');
    other.close();
    await handle.close();
  }
  const store = Store.open(join(handle.root, '.slipway', 'slipway.db'), { readonly: true });
  assert.equal(count(store, 'prediction_log'), 21, 'queued rows are written at shutdown');
  store.close();
});
