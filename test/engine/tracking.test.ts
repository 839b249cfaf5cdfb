import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { ObjectStore } from '../../src/engine/objects';
import { Store } from '../../src/engine/store';
import {
  createExperiment,
  createRun,
  deleteTag,
  getExperiment,
  getExperimentByName,
  getMetricHistory,
  getRun,
  listArtifacts,
  logArtifact,
  logBatch,
  logMetric,
  logParam,
  searchExperiments,
  searchRuns,
  setRunLifecycle,
  setTag,
  updateRun,
  openArtifact,
  type TrackingContext,
} from '../../src/engine/tracking';
import { text } from 'node:stream/consumers';
import { tempDir } from '../helpers';

function context(): TrackingContext {
  const dir = tempDir();
  return { store: Store.open(join(dir, 'slipway.db')), artifacts: new ObjectStore(join(dir, 'artifacts')) };
}

const code = (c: string) => (e: unknown) => e instanceof SlipwayError && e.code === c;

test('experiments: Default exists, names are unique, ids are 63-bit decimal strings', () => {
  const ctx = context();
  assert.equal(getExperiment(ctx, '0').name, 'Default');
  const id = createExperiment(ctx, { name: 'credit', tags: [{ key: 'team', value: 'risk' }] });
  assert.match(id, /^\d+$/);
  assert.ok(BigInt(id) < 2n ** 63n);
  const exp = getExperimentByName(ctx, 'credit');
  assert.equal(exp.experiment_id, id);
  assert.equal(exp.artifact_location, `mlflow-artifacts:/${id}`);
  assert.deepEqual(exp.tags, [{ key: 'team', value: 'risk' }]);
  assert.throws(() => createExperiment(ctx, { name: 'credit' }), code('RESOURCE_ALREADY_EXISTS'));
  assert.throws(() => getExperiment(ctx, '12345'), code('RESOURCE_DOES_NOT_EXIST'));
  assert.throws(() => createExperiment(ctx, { name: 7 }), code('INVALID_PARAMETER_VALUE'));
  const page1 = searchExperiments(ctx, { max_results: 1, order_by: ['name ASC'] });
  assert.equal(page1.experiments?.[0]?.name, 'Default');
  const page2 = searchExperiments(ctx, { max_results: 1, order_by: ['name ASC'], page_token: page1.next_page_token });
  assert.equal(page2.experiments?.[0]?.name, 'credit');
  assert.equal(page2.next_page_token, undefined);
  assert.deepEqual(searchExperiments(ctx, { filter: "name LIKE 'cred%'" }).experiments?.map((e) => e.name), ['credit']);
});

test('runs: generated names stay consistent with the mlflow.runName tag; status transitions', () => {
  const ctx = context();
  const run = createRun(ctx, { experiment_id: '0', start_time: 1000 });
  assert.match(run.info.run_id, /^[0-9a-f]{32}$/);
  assert.match(run.info.run_name, /^[a-z]+-[a-z]+-\d+$/);
  assert.deepEqual(run.data.tags, [{ key: 'mlflow.runName', value: run.info.run_name }]);
  assert.equal(run.info.status, 'RUNNING');
  assert.equal(run.info.artifact_uri, `mlflow-artifacts:/0/${run.info.run_id}/artifacts`);
  setTag(ctx, run.info.run_id, 'mlflow.runName', 'renamed');
  assert.equal(getRun(ctx, run.info.run_id).info.run_name, 'renamed');
  const info = updateRun(ctx, { run_id: run.info.run_id, status: 'FINISHED', end_time: 5000, run_name: 'final' });
  assert.equal(info.status, 'FINISHED');
  assert.equal(info.end_time, 5000);
  assert.equal(getRun(ctx, run.info.run_id).data.tags?.find((t) => t.key === 'mlflow.runName')?.value, 'final');
  assert.throws(() => updateRun(ctx, { run_id: run.info.run_id, status: 'DONE' }), code('INVALID_PARAMETER_VALUE'));
  assert.throws(() => createRun(ctx, { experiment_id: '999' }), code('RESOURCE_DOES_NOT_EXIST'));
  assert.throws(() => getRun(ctx, 'f'.repeat(32)), code('RESOURCE_DOES_NOT_EXIST'));
  assert.equal(createRun(ctx, { experiment_id: 0, run_name: 'numeric-id' }).info.experiment_id, '0');
});

test('params: the same value again is a no-op, a different value an error', () => {
  const ctx = context();
  const { info } = createRun(ctx, {});
  logParam(ctx, info.run_id, 'lr', '0.1');
  logParam(ctx, info.run_id, 'lr', '0.1');
  assert.throws(() => logParam(ctx, info.run_id, 'lr', '0.2'), (e: unknown) => e instanceof SlipwayError && /Changing param values is not allowed/.test(e.message));
  assert.deepEqual(getRun(ctx, info.run_id).data.params, [{ key: 'lr', value: '0.1' }]);
});

test('metrics: history by step, latest by (step, timestamp, value), NaN and infinities', () => {
  const ctx = context();
  const { info } = createRun(ctx, {});
  logBatch(ctx, {
    run_id: info.run_id,
    metrics: [
      { key: 'loss', value: 0.9, step: 0, timestamp: 10 },
      { key: 'loss', value: 0.5, step: 2, timestamp: 30 },
      { key: 'loss', value: 0.7, step: 1, timestamp: 20 },
      { key: 'odd', value: 'NaN', step: 0, timestamp: 1 },
      { key: 'big', value: 'Infinity', step: 0, timestamp: 1 },
    ],
  });
  logMetric(ctx, info.run_id, { key: 'loss', value: '0.4', step: '2', timestamp: '30' });
  const latest = Object.fromEntries((getRun(ctx, info.run_id).data.metrics ?? []).map((m) => [m.key, m.value]));
  assert.deepEqual(latest, { big: 'Infinity', loss: 0.5, odd: 'NaN' });
  const history = getMetricHistory(ctx, { run_id: info.run_id, metric_key: 'loss' });
  assert.deepEqual(history.metrics?.map((m) => [m.step, m.value]), [[0, 0.9], [1, 0.7], [2, 0.5], [2, 0.4]]);
  const paged = getMetricHistory(ctx, { run_id: info.run_id, metric_key: 'loss', max_results: 3 });
  assert.equal(paged.metrics?.length, 3);
  const rest = getMetricHistory(ctx, { run_id: info.run_id, metric_key: 'loss', max_results: 3, page_token: paged.next_page_token });
  assert.deepEqual(rest.metrics?.map((m) => m.value), [0.4]);
  assert.throws(() => logMetric(ctx, info.run_id, { key: 'x', value: 'high' }), code('INVALID_PARAMETER_VALUE'));
});

test('log-batch enforces MLflow limits atomically', () => {
  const ctx = context();
  const { info } = createRun(ctx, {});
  const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, step: i }));
  assert.throws(() => logBatch(ctx, { run_id: info.run_id, metrics }), (e: unknown) => e instanceof SlipwayError && /at most 1000 metrics/.test(e.message));
  assert.throws(() => logBatch(ctx, { run_id: info.run_id, params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) }), code('INVALID_PARAMETER_VALUE'));
  assert.throws(() => logParam(ctx, info.run_id, 'k'.repeat(251), '1'), (e: unknown) => e instanceof SlipwayError && /limit is 250/.test(e.message));
  assert.throws(() => logParam(ctx, info.run_id, 'ok', 'v'.repeat(6001)), code('INVALID_PARAMETER_VALUE'));
  assert.throws(() => logParam(ctx, info.run_id, '../escape', '1'), code('INVALID_PARAMETER_VALUE'));
  // One bad entry rejects the whole batch.
  assert.throws(() => logBatch(ctx, { run_id: info.run_id, metrics: [{ key: 'good', value: 1 }], params: [{ key: 'bad key!', value: '1' }] }));
  assert.deepEqual(getRun(ctx, info.run_id).data.metrics, []);
  setRunLifecycle(ctx, info.run_id, 'deleted');
  assert.throws(() => logMetric(ctx, info.run_id, { key: 'm', value: 1 }), (e: unknown) => e instanceof SlipwayError && /must be in the 'active' state/.test(e.message));
});

test('tags: set, overwrite, delete', () => {
  const ctx = context();
  const { info } = createRun(ctx, {});
  setTag(ctx, info.run_id, 'stage', 'dev');
  setTag(ctx, info.run_id, 'stage', 'prod');
  assert.equal(getRun(ctx, info.run_id).data.tags?.find((t) => t.key === 'stage')?.value, 'prod');
  deleteTag(ctx, info.run_id, 'stage');
  assert.equal(getRun(ctx, info.run_id).data.tags?.find((t) => t.key === 'stage'), undefined);
  assert.throws(() => deleteTag(ctx, info.run_id, 'stage'), code('RESOURCE_DOES_NOT_EXIST'));
});

test('search: filter grammar on metrics, params, tags and attributes; order_by; page tokens', () => {
  const ctx = context();
  const exp = createExperiment(ctx, { name: 'search' });
  const made = [
    { name: 'a', auc: 0.71, model: 'lr', team: 'risk', start: 1 },
    { name: 'b', auc: 0.85, model: 'xgb', team: 'risk', start: 2 },
    { name: 'c', auc: 0.91, model: 'xgb', team: 'Fraud', start: 3 },
    { name: 'd', auc: NaN, model: 'XGB', team: 'fraud', start: 4 },
  ].map((r) => {
    const run = createRun(ctx, { experiment_id: exp, run_name: r.name, start_time: r.start });
    logBatch(ctx, { run_id: run.info.run_id, metrics: [{ key: 'auc', value: r.auc }], params: [{ key: 'model', value: r.model }], tags: [{ key: 'team', value: r.team }] });
    return run.info.run_id;
  });
  updateRun(ctx, { run_id: made[3]!, status: 'FAILED' });
  const names = (filter: string, orderBy?: string[]) => searchRuns(ctx, { experiment_ids: [exp], filter, order_by: orderBy }).runs?.map((r) => r.info.run_name);
  assert.deepEqual(names('metrics.auc > 0.8'), ['c', 'b']);
  assert.deepEqual(names("params.model = 'xgb' AND metrics.auc >= 0.9"), ['c']);
  assert.deepEqual(names("params.model LIKE 'xg%'"), ['c', 'b']);
  assert.deepEqual(names("params.model ILIKE 'xg%'"), ['d', 'c', 'b']);
  assert.deepEqual(names("tags.team IN ('risk')"), ['b', 'a']);
  assert.deepEqual(names("attributes.status = 'FAILED'"), ['d']);
  assert.deepEqual(names("run_name != 'a' AND attributes.start_time < 3"), ['b']);
  assert.deepEqual(names('tags.missing IS NULL AND metrics.auc < 0.8'), ['a']);
  assert.deepEqual(names('', ['metrics.auc DESC']), ['c', 'b', 'a', 'd']);
  assert.deepEqual(names('', ['metrics.auc ASC']), ['a', 'b', 'c', 'd']);
  assert.deepEqual(names('', ['params.model ASC', 'run_name DESC']), ['d', 'a', 'c', 'b']);
  const first = searchRuns(ctx, { experiment_ids: [exp], max_results: 3 });
  assert.equal(first.runs?.length, 3);
  const second = searchRuns(ctx, { experiment_ids: [exp], max_results: 3, page_token: first.next_page_token });
  assert.deepEqual(second.runs?.map((r) => r.info.run_name), ['a']);
  assert.equal(second.next_page_token, undefined);
  setRunLifecycle(ctx, made[0]!, 'deleted');
  assert.deepEqual(searchRuns(ctx, { experiment_ids: [exp], run_view_type: 'DELETED_ONLY' }).runs?.map((r) => r.info.run_name), ['a']);
  assert.throws(() => searchRuns(ctx, { experiment_ids: [exp], page_token: 'garbage' }), code('INVALID_PARAMETER_VALUE'));
  assert.throws(() => searchRuns(ctx, { experiment_ids: [exp], max_results: 50001 }), code('INVALID_PARAMETER_VALUE'));
  assert.throws(() => searchRuns(ctx, { experiment_ids: [] }), code('INVALID_PARAMETER_VALUE'));
});

test('artifacts: stored by content, listed as a tree, read back verified; unsafe paths refused', async () => {
  const ctx = context();
  const { info } = createRun(ctx, {});
  await logArtifact(ctx, info.run_id, 'model/model.onnx', { data: Buffer.from('onnx-bytes') });
  await logArtifact(ctx, info.run_id, 'model/schema.yaml', { data: Buffer.from('columns: {}\n') });
  await logArtifact(ctx, info.run_id, 'report.txt', { data: Buffer.from('ok') });
  assert.deepEqual(listArtifacts(ctx, { run_id: info.run_id }).files, [
    { path: 'model', is_dir: true },
    { path: 'report.txt', is_dir: false, file_size: 2 },
  ]);
  assert.deepEqual(listArtifacts(ctx, { run_id: info.run_id, path: 'model' }).files?.map((f) => f.path), ['model/model.onnx', 'model/schema.yaml']);
  assert.equal(await text(openArtifact(ctx, info.run_id, 'model/model.onnx').stream), 'onnx-bytes');
  for (const bad of ['../x', '/etc/passwd', 'a/../../b', 'C:/x', 'a\\b', 'nul\0byte']) {
    await assert.rejects(logArtifact(ctx, info.run_id, bad, { data: Buffer.from('x') }), code('INVALID_PARAMETER_VALUE'), bad);
  }
  await assert.rejects(logArtifact(ctx, info.run_id, 'report.txt/inner', { data: Buffer.from('x') }), /both a file and a folder/);
  await assert.rejects(logArtifact(ctx, info.run_id, 'model', { data: Buffer.from('x') }), /both a file and a folder/);
});
