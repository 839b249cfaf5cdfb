// Served probabilities equal scikit-learn's (fixtures written by scripts/fixtures/make_reference_model.py) to 1e-5,
// through every request format.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PredictBatchResponse, PredictOneResponse } from '../../src/shared/serving';
import { COLUMNS, NUMERIC, RISK_CONFIG, expected, maxAbsDiff, numericRows, request, startServing, tempProject, testRows } from './helpers';

type Handle = Awaited<ReturnType<typeof startServing>>;
let matrix: Handle;
let columns: Handle;

before(async () => {
  matrix = await startServing({ name: 'credit', projectRoot: tempProject(RISK_CONFIG) });
  columns = await startServing({ ...COLUMNS, name: 'credit_columns' });
});
after(async () => {
  await matrix.close();
  await columns.close();
});

const TOLERANCE = 1e-5;

void test('native /predict batch on the 2-D float32 model matches sklearn', async () => {
  const reply = await request(`${matrix.url}/predict`, { body: numericRows });
  assert.equal(reply.status, 200, reply.text);
  const body = reply.body as unknown as PredictBatchResponse;
  assert.equal(body.model, 'credit');
  assert.match(body.version, /^[0-9a-f]{12}$/);
  assert.equal(reply.headers.get('x-slipway-model-version'), body.version);
  const scores = body.predictions.map((p) => p.score!);
  assert.ok(maxAbsDiff(scores, expected.credit_matrix!) < TOLERANCE, `max diff ${maxAbsDiff(scores, expected.credit_matrix!)}`);
  const fromOutput = body.predictions.map((p) => (p.outputs.probabilities as number[])[1]!);
  assert.ok(maxAbsDiff(fromOutput, expected.credit_matrix!) < TOLERANCE);
  const ids = body.predictions.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  assert.deepEqual([...ids].sort(), ids, 'ids sort in the order they were made');
  assert.equal(reply.headers.get('x-slipway-prediction-ids'), ids.join(','));
});

void test('post-processing from slipway.yaml turns scores into risk tiers (HIGH > 0.35, MEDIUM > 0.15, else LOW)', async () => {
  const reply = await request(`${matrix.url}/predict`, { body: numericRows });
  const body = reply.body as unknown as PredictBatchResponse;
  const tiers = body.predictions.map((p) => p.postprocessed!.risk_tier);
  const want = expected.credit_matrix!.map((p) => (p > 0.35 ? 'HIGH' : p > 0.15 ? 'MEDIUM' : 'LOW'));
  assert.deepEqual(tiers, want);
  assert.ok(new Set(tiers).size >= 2, 'the test set covers more than one tier');
  const one = await request(`${matrix.url}/predict`, { body: numericRows[0] });
  const single = one.body as unknown as PredictOneResponse;
  assert.equal(single.postprocessed!.risk_tier, want[0]);
  assert.ok(Math.abs(single.score! - expected.credit_matrix![0]!) < TOLERANCE);
  assert.equal(typeof single.id, 'string');
});

void test('one input per column (float64, int64, string one-hot) matches sklearn, nulls included', async () => {
  assert.ok(testRows.some((r) => r.purpose === null), 'fixtures include a null purpose');
  const reply = await request(`${columns.url}/predict`, { body: testRows });
  assert.equal(reply.status, 200, reply.text);
  const scores = (reply.body as unknown as PredictBatchResponse).predictions.map((p) => p.score!);
  assert.ok(maxAbsDiff(scores, expected.credit_columns!) < TOLERANCE);
});

void test('MLflow /invocations: dataframe_split, dataframe_records, instances and inputs', async () => {
  const split = { dataframe_split: { columns: NUMERIC, data: numericRows.map((r) => NUMERIC.map((c) => r[c])) } };
  const bodies = [
    split,
    { dataframe_split: { data: numericRows.map((r) => NUMERIC.map((c) => r[c])) } },
    { dataframe_records: numericRows },
    { instances: numericRows },
    { instances: numericRows.map((r) => NUMERIC.map((c) => r[c])) },
    { inputs: Object.fromEntries(NUMERIC.map((c) => [c, numericRows.map((r) => r[c])])) },
    { inputs: numericRows },
  ];
  for (const body of bodies) {
    const reply = await request(`${matrix.url}/invocations`, { body });
    assert.equal(reply.status, 200, `${Object.keys(body)[0]}: ${reply.text}`);
    const predictions = (reply.body as { predictions: { probabilities: number[]; risk_tier: string }[] }).predictions;
    assert.deepEqual(Object.keys(reply.body), ['predictions']);
    assert.ok(maxAbsDiff(predictions.map((p) => p.probabilities[1]!), expected.credit_matrix!) < TOLERANCE);
    assert.match(reply.headers.get('x-slipway-model-version') ?? '', /^[0-9a-f]{12}$/);
    assert.equal(reply.headers.get('x-slipway-prediction-ids')!.split(',').length, numericRows.length);
  }
});

void test('MLflow /invocations with text/csv (pandas to_csv, header row) matches sklearn', async () => {
  const csv = [NUMERIC.join(','), ...numericRows.map((r) => NUMERIC.map((c) => String(r[c])).join(','))].join('\n');
  const reply = await request(`${matrix.url}/invocations`, { raw: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(reply.status, 200, reply.text);
  const predictions = (reply.body as { predictions: { probabilities: number[] }[] }).predictions;
  assert.ok(maxAbsDiff(predictions.map((p) => p.probabilities[1]!), expected.credit_matrix!) < TOLERANCE);
});

void test('KServe V2: one tensor per column, or the model 2-D tensor; metadata, ready, live', async () => {
  const n = testRows.length;
  const perColumn = {
    id: 'req-1',
    inputs: [
      ...NUMERIC.map((c) => ({ name: c, shape: [n], datatype: c === 'credit_history_months' ? 'INT64' : 'FP64', data: testRows.map((r) => r[c]) })),
      { name: 'purpose', shape: [n, 1], datatype: 'BYTES', data: testRows.map((r) => r.purpose) },
    ],
  };
  const reply = await request(`${columns.url}/v2/models/credit_columns/infer`, { body: perColumn });
  assert.equal(reply.status, 200, reply.text);
  const body = reply.body as { model_name: string; model_version: string; id: string; outputs: { name: string; shape: number[]; data: number[] }[]; parameters: { prediction_ids: string[] } };
  assert.equal(body.id, 'req-1');
  assert.equal(body.model_name, 'credit_columns');
  assert.equal(body.parameters.prediction_ids.length, n);
  const score = body.outputs.find((o) => o.name === 'score')!;
  assert.ok(maxAbsDiff(score.data, expected.credit_columns!) < TOLERANCE);
  const probabilities = body.outputs.find((o) => o.name === 'probabilities')!;
  assert.deepEqual(probabilities.shape, [n, 2]);

  const matrixBody = { inputs: [{ name: 'features', shape: [numericRows.length, 5], datatype: 'FP32', data: numericRows.map((r) => NUMERIC.map((c) => r[c])) }], outputs: [{ name: 'risk_tier' }, { name: 'score' }] };
  const m = await request(`${matrix.url}/v2/models/credit/infer`, { body: matrixBody });
  assert.equal(m.status, 200, m.text);
  const outputs = (m.body as { outputs: { name: string; data: (number | string)[] }[] }).outputs;
  assert.deepEqual(outputs.map((o) => o.name), ['risk_tier', 'score']);
  assert.ok(maxAbsDiff(outputs[1]!.data as number[], expected.credit_matrix!) < TOLERANCE);

  const meta = await request(`${columns.url}/v2/models/credit_columns`);
  assert.equal(meta.status, 200);
  assert.deepEqual((meta.body.inputs as { name: string; datatype: string }[]).map((i) => `${i.name}:${i.datatype}`), [
    'annual_income:FP64', 'loan_amount:FP64', 'employment_years:FP64', 'existing_debt_ratio:FP64', 'credit_history_months:INT64', 'purpose:BYTES',
  ]);
  assert.equal(meta.body.platform, 'onnxruntime_onnx');
  assert.equal((await request(`${columns.url}/v2/models/credit_columns/ready`)).status, 200);
  const version = (meta.body.versions as string[])[0]!;
  assert.equal((await request(`${columns.url}/v2/models/credit_columns/versions/${version}/ready`)).status, 200);
  assert.equal((await request(`${columns.url}/v2/health/live`)).status, 200);
  assert.equal((await request(`${columns.url}/v2/health/ready`)).status, 200);
});

void test('concurrent single-row requests (run together in merged batches) each get their own row’s probability', async () => {
  const replies = await Promise.all(numericRows.map((row) => request(`${matrix.url}/predict`, { body: row })));
  const scores = replies.map((r) => Number(r.body.score));
  assert.ok(maxAbsDiff(scores, expected.credit_matrix!) < TOLERANCE);
  assert.equal(new Set(replies.map((r) => r.body.id)).size, replies.length);
});
