import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { test } from 'node:test';
import { importMlruns, rebaseArtifactUri } from '../../src/engine/importers';
import { ObjectStore } from '../../src/engine/objects';
import { Store } from '../../src/engine/store';
import { getExperiment, getLoggedModel, getMetricHistory, getRun, openArtifact, openOwnerArtifact, searchRuns, type TrackingContext } from '../../src/engine/tracking';
import { tempDir } from '../helpers';

const REAL = resolve(__dirname, '..', 'fixtures', 'external', 'mlruns-credit-risk-engine', 'mlruns');
const V2 = resolve(__dirname, '..', 'fixtures', 'mlruns-v2', 'mlruns');

function context(): TrackingContext {
  const dir = tempDir();
  return { store: Store.open(join(dir, 'slipway.db')), artifacts: new ObjectStore(join(dir, 'artifacts')) };
}

test('Windows and POSIX file URIs are rebased onto the imported store', () => {
  assert.equal(rebaseArtifactUri('file:///C:/MachineLearning/credit-risk-engine/mlruns/0/models/m-6ce497ae228f440d85f02b54056982c2/artifacts', REAL), join(REAL, '0', 'models', 'm-6ce497ae228f440d85f02b54056982c2', 'artifacts'));
  assert.equal(rebaseArtifactUri('C:\\Users\\x\\mlruns\\0\\models\\m-6ce497ae228f440d85f02b54056982c2\\artifacts', REAL), join(REAL, '0', 'models', 'm-6ce497ae228f440d85f02b54056982c2', 'artifacts'));
  assert.equal(rebaseArtifactUri('file:///nowhere/else/artifacts', REAL), null);
});

test('the real MLflow 3 store imports: 63-bit ids, runs, metrics, params, tags, logged models and their artifacts', async () => {
  const ctx = context();
  const report = await importMlruns(ctx, REAL);
  assert.equal(report.experiments, 1, 'Default already exists; the other experiment is new');
  assert.equal(report.runs, 6);
  assert.ok(report.loggedModels >= 2);
  const exp = getExperiment(ctx, '866294776621734270');
  assert.equal(exp.name, 'credit_risk_experiment');
  assert.equal(exp.experiment_id, '866294776621734270', 'an id above 2^53 is kept exactly');
  const run = getRun(ctx, '6258fcd9060f49fb81c7bf21cae264d4');
  assert.equal(run.info.run_name, 'amazing-lamb-258');
  assert.equal(run.info.status, 'FINISHED');
  assert.equal(run.info.start_time, 1767457842596);
  assert.equal(run.info.artifact_uri, 'mlflow-artifacts:/0/6258fcd9060f49fb81c7bf21cae264d4/artifacts');
  assert.deepEqual(run.data.metrics?.map((m) => [m.key, m.value, m.step]), [['auc', 0.5, 0]]);
  assert.equal(run.data.params?.find((p) => p.key === 'cat_features')?.value, "['employment_status']");
  assert.deepEqual(run.outputs?.model_outputs, [{ model_id: 'm-6ce497ae228f440d85f02b54056982c2', step: 0 }]);
  const model = getLoggedModel(ctx, 'm-6ce497ae228f440d85f02b54056982c2');
  assert.equal(model.info.status, 'LOGGED_MODEL_READY');
  assert.equal(model.info.source_run_id, '6258fcd9060f49fb81c7bf21cae264d4');
  const mlmodel = await text(openOwnerArtifact(ctx, { kind: 'model', id: 'm-6ce497ae228f440d85f02b54056982c2' }, 'MLmodel').stream);
  assert.match(mlmodel, /loader_module: mlflow\.lightgbm/);
  const again = await importMlruns(ctx, REAL);
  assert.deepEqual({ ...again, notes: [] }, { experiments: 0, runs: 0, metrics: 0, params: 0, tags: 0, artifacts: 0, loggedModels: 0, registeredModels: 0, modelVersions: 0, skippedRuns: 0, notes: [] });
});

test('an MLflow 2 store imports with steps, NaN, nested tag keys, deleted runs and rebased artifacts', async () => {
  const ctx = context();
  const report = await importMlruns(ctx, V2);
  assert.equal(report.runs, 3);
  assert.equal(report.artifacts, 3);
  assert.equal(report.registeredModels, 1);
  assert.equal(report.modelVersions, 2);
  const exp = getExperiment(ctx, '412874509123456789');
  assert.deepEqual(exp.tags, [{ key: 'team', value: 'retention' }]);
  const tuned = getRun(ctx, '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
  const history = getMetricHistory(ctx, { run_id: tuned.info.run_id, metric_key: 'loss' });
  assert.deepEqual(history.metrics?.map((m) => [m.step, m.value]), [[0, 0.52], [1, 'NaN'], [2, 0.49]]);
  assert.equal(tuned.data.tags?.find((t) => t.key === 'data/version')?.value, 'v3');
  assert.equal(tuned.data.metrics?.find((m) => m.key === 'val/auc')?.value, 0.8);
  assert.equal(await text(openArtifact(ctx, tuned.info.run_id, 'feature_importance.csv').stream), 'feature,importance\ntenure,0.42\n');
  const active = searchRuns(ctx, { experiment_ids: ['412874509123456789'] }).runs?.map((r) => r.info.run_name);
  assert.deepEqual(active, ['tuned', 'baseline']);
  const deleted = searchRuns(ctx, { experiment_ids: ['412874509123456789'], run_view_type: 'DELETED_ONLY' }).runs?.map((r) => [r.info.run_name, r.info.status]);
  assert.deepEqual(deleted, [['crashed', 'FAILED']]);
  const again = await importMlruns(ctx, V2);
  assert.equal(again.runs + again.metrics + again.artifacts + again.tags + again.params, 0);
});

test('a folder that is not a FileStore is a clear error', async () => {
  const ctx = context();
  await assert.rejects(importMlruns(ctx, tempDir()), /holds no experiments/);
  await assert.rejects(importMlruns(ctx, join(tempDir(), 'missing')), /is not a folder/);
});
