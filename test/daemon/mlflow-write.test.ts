import assert from 'node:assert/strict';
import { test, after } from 'node:test';
import { EngineServer } from '../../src/engine/api';
import { initProject, openProject } from '../../src/engine/project';
import { gitRepo } from '../helpers';
import { http } from '../sse-client';

const TOKEN = 'conformance-token-0123456789';
const repo = gitRepo();
initProject(repo);
const project = openProject(repo);
const server = new EngineServer({ project, token: TOKEN, version: 'test' });
const portPromise = server.listen(0);
after(async () => {
  await server.close();
  project.close();
});

const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = auth) {
  const port = await portPromise;
  const res = await http(port, method, `/api/2.0/mlflow${path}`, { body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers });
  return { status: res.status, json: res.body ? (res.json() as Record<string, any>) : {} };
}
async function ok(method: string, path: string, body?: unknown) {
  const res = await call(method, path, body);
  assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(res.json)}`);
  return res.json;
}
async function artifact(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = auth) {
  const port = await portPromise;
  return http(port, method, `/api/2.0/mlflow-artifacts/artifacts${path}`, { body, headers });
}

test('experiments: create, get-by-name, update, tag, delete and restore', async () => {
  const { experiment_id: id } = await ok('POST', '/experiments/create', { name: 'conformance', tags: [{ key: 'team', value: 'risk' }] });
  assert.match(id as string, /^\d+$/);
  const byName = await ok('GET', '/experiments/get-by-name?experiment_name=conformance');
  assert.equal(byName.experiment.experiment_id, id);
  assert.equal((await call('POST', '/experiments/create', { name: 'conformance' })).json.error_code, 'RESOURCE_ALREADY_EXISTS');
  await ok('POST', '/experiments/update', { experiment_id: id, new_name: 'conformance-2' });
  await ok('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'stage', value: 'dev' });
  const got = await ok('GET', `/experiments/get?experiment_id=${id as string}`);
  assert.equal(got.experiment.name, 'conformance-2');
  assert.deepEqual(got.experiment.tags, [{ key: 'stage', value: 'dev' }, { key: 'team', value: 'risk' }]);
  await ok('POST', '/experiments/delete', { experiment_id: id });
  assert.equal((await ok('GET', `/experiments/get?experiment_id=${id as string}`)).experiment.lifecycle_stage, 'deleted');
  assert.equal((await call('POST', '/runs/create', { experiment_id: id })).status, 400);
  await ok('POST', '/experiments/restore', { experiment_id: id });
  assert.equal((await call('POST', '/experiments/delete', { experiment_id: '0' })).status, 400);
  assert.equal((await call('GET', '/experiments/get-by-name?experiment_name=nope')).status, 404);
});

test('runs: create with a generated name, log, update, delete and restore', async () => {
  const created = await ok('POST', '/runs/create', { experiment_id: '0', start_time: '1700000000000', tags: [{ key: 'mlflow.user', value: 'ana' }] });
  const runId = created.run.info.run_id as string;
  assert.match(created.run.info.run_name as string, /^[a-z]+-[a-z]+-\d+$/);
  await ok('POST', '/runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' });
  await ok('POST', '/runs/log-metric', { run_id: runId, key: 'loss', value: 'NaN', timestamp: '1700000000001', step: '3' });
  await ok('POST', '/runs/log-metric', { run_uuid: runId, key: 'auc', value: 0.8, timestamp: 1700000000002, step: 1 });
  await ok('POST', '/runs/set-tag', { run_id: runId, key: 'note', value: 'x' });
  await ok('POST', '/runs/delete-tag', { run_id: runId, key: 'note' });
  await ok('POST', '/runs/log-batch', { run_id: runId, metrics: [{ key: 'auc', value: 0.9, timestamp: 1700000000003, step: 2 }], params: [{ key: 'depth', value: '4' }], tags: [{ key: 't', value: 'v' }] });
  await ok('POST', '/runs/log-model', { run_id: runId, model_json: JSON.stringify({ artifact_path: 'model', flavors: { python_function: {} } }) });
  await ok('POST', '/runs/log-inputs', { run_id: runId, datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'credit', digest: 'abc123', source_type: 'local', source: '{"uri": "data/train.csv"}' } }] });
  const updated = await ok('POST', '/runs/update', { run_id: runId, status: 'FINISHED', end_time: 1700000000100 });
  assert.equal(updated.run_info.status, 'FINISHED');
  const run = (await ok('GET', `/runs/get?run_id=${runId}`)).run;
  assert.deepEqual(run.data.params, [{ key: 'depth', value: '4' }, { key: 'lr', value: '0.1' }]);
  assert.deepEqual(Object.fromEntries(run.data.metrics.map((m: { key: string; value: unknown }) => [m.key, m.value])), { auc: 0.9, loss: 'NaN' });
  const tags = Object.fromEntries(run.data.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
  assert.equal(tags.note, undefined);
  assert.equal(JSON.parse(tags['mlflow.log-model.history'] as string)[0].artifact_path, 'model');
  assert.equal(run.inputs.dataset_inputs[0].dataset.name, 'credit');
  assert.equal(run.inputs.dataset_inputs[0].tags[0].value, 'training');
  await ok('POST', '/runs/delete', { run_id: runId });
  assert.equal((await call('POST', '/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: 1 })).status, 400);
  await ok('POST', '/runs/restore', { run_id: runId });
  assert.equal((await ok('GET', `/runs/get?run_id=${runId}`)).run.info.lifecycle_stage, 'active');
});

test('bad input is a 4xx with an MLflow error body and writes nothing', async () => {
  const runId = (await ok('POST', '/runs/create', { experiment_id: '0' })).run.info.run_id as string;
  const cases: [unknown, number, string][] = [
    ['{"run_id": ', 400, 'INVALID_PARAMETER_VALUE'],
    [{ run_id: runId, key: 'k'.repeat(251), value: 1, timestamp: 1 }, 400, 'INVALID_PARAMETER_VALUE'],
    [{ run_id: runId, key: 'x', value: 'high', timestamp: 1 }, 400, 'INVALID_PARAMETER_VALUE'],
    [{ run_id: runId, key: 'x', value: 1, timestamp: 'yesterday' }, 400, 'INVALID_PARAMETER_VALUE'],
    [{ run_id: 'f'.repeat(32), key: 'x', value: 1, timestamp: 1 }, 404, 'RESOURCE_DOES_NOT_EXIST'],
    [[1, 2], 400, 'INVALID_PARAMETER_VALUE'],
  ];
  for (const [body, status, code] of cases) {
    const res = await call('POST', '/runs/log-metric', body);
    assert.equal(res.status, status, JSON.stringify(body));
    assert.equal(res.json.error_code, code);
    assert.equal(typeof res.json.message, 'string');
  }
  const tooMany = await call('POST', '/runs/log-batch', { run_id: runId, metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i })) });
  assert.equal(tooMany.status, 400);
  const noToken = await call('POST', '/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: 1 }, { 'content-type': 'application/json' });
  assert.equal(noToken.status, 401);
  const wrongToken = await call('POST', '/runs/log-metric', { run_id: runId, key: 'x', value: 1, timestamp: 1 }, { authorization: 'Bearer nope' });
  assert.equal(wrongToken.status, 401);
  assert.deepEqual((await ok('GET', `/runs/get?run_id=${runId}`)).run.data.metrics, []);
});

test('artifact proxy: PUT, GET, list and DELETE; unsafe paths refused', async () => {
  const run = (await ok('POST', '/runs/create', { experiment_id: '0' })).run;
  const base = `/0/${run.info.run_id as string}/artifacts`;
  assert.equal((await artifact('PUT', `${base}/model/MLmodel`, 'flavors: {}\n')).status, 200);
  assert.equal((await artifact('PUT', `${base}/model/weights.bin`, Buffer.from([0, 1, 2, 3]))).status, 200);
  assert.equal((await artifact('PUT', `${base}/notes%20v1.txt`, 'hello')).status, 200);
  assert.equal((await artifact('GET', `${base}/notes%20v1.txt`)).body, 'hello');
  const listed = (await artifact('GET', `?path=${encodeURIComponent(`0/${run.info.run_id as string}/artifacts/model`)}`)).json() as { files: { path: string }[] };
  assert.deepEqual(listed.files.map((f) => f.path), ['MLmodel', 'weights.bin']);
  const viaApi = await ok('GET', `/artifacts/list?run_id=${run.info.run_id as string}`);
  assert.deepEqual(viaApi.files.map((f: { path: string }) => f.path), ['model', 'notes v1.txt']);
  assert.equal((await artifact('DELETE', `${base}/model`)).status, 200);
  assert.equal((await artifact('GET', `${base}/model/MLmodel`)).status, 404);
  assert.equal((await artifact('PUT', `${base}/x.txt`, 'no token', {})).status, 401);
  for (const bad of [`${base}/..%2F..%2Fescape.txt`, `${base}/a%00b`, `${base}/%2Fetc%2Fpasswd`, '/0/not-a-run/artifacts/x', `${base}/a%5Cb`]) {
    const res = await artifact('PUT', bad, 'evil');
    assert.ok(res.status >= 400 && res.status < 500, `${bad} answered ${res.status}`);
  }
  assert.deepEqual((await ok('GET', `/artifacts/list?run_id=${run.info.run_id as string}`)).files.map((f: { path: string }) => f.path), ['notes v1.txt']);
});

test('MLflow 3 logged models: create, upload, finalize, search, tags, outputs, delete', async () => {
  const run = (await ok('POST', '/runs/create', { experiment_id: '0' })).run;
  const runId = run.info.run_id as string;
  const { model } = await ok('POST', '/logged-models', { experiment_id: '0', name: 'credit-model', model_type: 'sklearn', source_run_id: runId, params: [{ key: 'C', value: '1.0' }], tags: [{ key: 'mlflow.source.name', value: 'train.py' }] });
  const modelId = model.info.model_id as string;
  assert.match(modelId, /^m-[0-9a-f]{32}$/);
  assert.equal(model.info.status, 'LOGGED_MODEL_PENDING');
  assert.equal(model.info.artifact_uri, `mlflow-artifacts:/0/models/${modelId}/artifacts`);
  assert.equal((await artifact('PUT', `/0/models/${modelId}/artifacts/MLmodel`, 'artifact_path: model\n')).status, 200);
  await ok('POST', '/runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 0 }] });
  const finalized = await ok('PATCH', `/logged-models/${modelId}`, { model_id: modelId, status: 'LOGGED_MODEL_READY' });
  assert.equal(finalized.model.info.status, 'LOGGED_MODEL_READY');
  await ok('PATCH', `/logged-models/${modelId}/tags`, { tags: [{ key: 'mlflow.modelVersions', value: '[]' }] });
  await ok('DELETE', `/logged-models/${modelId}/tags/mlflow.source.name`);
  const got = (await ok('GET', `/logged-models/${modelId}`)).model;
  assert.deepEqual(got.info.tags, [{ key: 'mlflow.modelVersions', value: '[]' }]);
  assert.deepEqual(got.data.params, [{ key: 'C', value: '1.0' }]);
  const found = await ok('POST', '/logged-models/search', { experiment_ids: ['0'], filter: "name = 'credit-model'" });
  assert.deepEqual(found.models.map((m: { info: { model_id: string } }) => m.info.model_id), [modelId]);
  const runAfter = (await ok('GET', `/runs/get?run_id=${runId}`)).run;
  assert.deepEqual(runAfter.outputs.model_outputs, [{ model_id: modelId, step: 0 }]);
  assert.equal((await call('PATCH', `/logged-models/${modelId}`, { status: 'DONE' })).status, 400);
  await ok('DELETE', `/logged-models/${modelId}`);
  assert.equal((await call('GET', `/logged-models/${modelId}`)).status, 404);
});

test('concurrent writes share one commit, and a failing request rolls back only itself', async () => {
  const runId = (await ok('POST', '/runs/create', { experiment_id: '0' })).run.info.run_id as string;
  const bodies = Array.from({ length: 24 }, (_, i) =>
    i === 7 ? { run_id: 'e'.repeat(32), key: 'loss', value: 1, timestamp: 1, step: i } : i === 13 ? { run_id: runId, key: 'loss', value: 'oops', timestamp: 1, step: i } : { run_id: runId, key: 'loss', value: i, timestamp: 1, step: i },
  );
  const results = await Promise.all(bodies.map((b) => call('POST', '/runs/log-metric', b)));
  assert.deepEqual(results.map((r) => r.status).filter((s) => s !== 200), [404, 400]);
  const history = await ok('GET', `/metrics/get-history?run_id=${runId}&metric_key=loss`);
  assert.equal(history.metrics.length, 22);
  assert.deepEqual(history.metrics.map((m: { step: number }) => m.step).filter((s: number) => s === 7 || s === 13), []);
});

test("writes made through the daemon's own API reach the event stream", async () => {
  const port = await portPromise;
  const { SseClient } = await import('../sse-client');
  const events = await SseClient.connect(port, '/api/slipway/v1/events?topics=metrics');
  try {
    await events.next((e) => e.event === 'hello');
    const runId = (await ok('POST', '/runs/create', { experiment_id: '0' })).run.info.run_id as string;
    await ok('POST', '/runs/log-metric', { run_id: runId, key: 'auc', value: 0.9, timestamp: 1, step: 0 });
    const change = await events.next((e) => e.event === 'change' && e.data.includes(runId), 3000);
    assert.equal((JSON.parse(change.data) as { topic: string }).topic, 'metrics');
  } finally {
    events.close();
  }
});
