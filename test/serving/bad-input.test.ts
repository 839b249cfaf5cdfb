// Bad requests against a real serve process: each gets a clear JSON 4xx (or 503), and the process keeps answering.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MATRIX, MODELS, numericRows, request, spawnServe, tempProject, type ServeProcess } from './helpers';
import { join } from 'node:path';

let proc: ServeProcess;
const good = numericRows[0]!;

before(async () => {
  proc = await spawnServe(['--model-file', MATRIX.modelFile, '--schema', MATRIX.schemaFile, '--port', '0', '--project', tempProject()]);
});
after(async () => {
  proc.child.kill('SIGTERM');
  assert.equal(await proc.exited, 0);
});

async function expectError(path: string, init: Parameters<typeof request>[1], status: number, code: string, message: RegExp): Promise<void> {
  const reply = await request(`${proc.url}${path}`, init);
  assert.equal(reply.status, status, reply.text);
  assert.equal(reply.headers.get('content-type'), 'application/json');
  const text = path.startsWith('/v2') ? String(reply.body.error) : String(reply.body.message);
  if (!path.startsWith('/v2')) assert.equal(reply.body.error_code, code);
  assert.match(text, message);
  const alive = await request(`${proc.url}/predict`, { body: good });
  assert.equal(alive.status, 200, 'the process still answers');
}

const cases: [string, string, Parameters<typeof request>[1], number, string, RegExp][] = [
  ['missing field', '/predict', { body: { ...good, loan_amount: undefined } }, 400, 'BAD_REQUEST', /missing "loan_amount" \(float64\)/],
  ['extra field', '/predict', { body: { ...good, zip: '12345' } }, 400, 'BAD_REQUEST', /unknown field "zip"/],
  ['wrong type', '/predict', { body: { ...good, annual_income: 'lots' } }, 400, 'BAD_REQUEST', /"annual_income" must be a number \(float64\), not "lots"/],
  ['float for an int64 column', '/predict', { body: { ...good, credit_history_months: 1.5 } }, 400, 'BAD_REQUEST', /must be an integer \(int64\)/],
  ['below min', '/predict', { body: { ...good, existing_debt_ratio: 1.5 } }, 400, 'BAD_REQUEST', /above its maximum 1/],
  ['null in a non-nullable column', '/predict', { body: { ...good, annual_income: null } }, 400, 'BAD_REQUEST', /not nullable/],
  ['NaN literal', '/predict', { raw: JSON.stringify(good).replace('50000', 'NaN').replace(/"annual_income":[^,]+/, '"annual_income":NaN') }, 400, 'MALFORMED_REQUEST', /NaN and Infinity are not JSON/],
  ['Infinity literal', '/predict', { raw: '{"annual_income": Infinity}' }, 400, 'MALFORMED_REQUEST', /not valid JSON/],
  ['"NaN" as a string', '/predict', { body: { ...good, annual_income: 'NaN' } }, 400, 'BAD_REQUEST', /NaN and Infinity are not accepted/],
  ['1e999 (parses to Infinity)', '/predict', { raw: JSON.stringify(good).replace(/"annual_income":[^,]+/, '"annual_income":1e999') }, 400, 'BAD_REQUEST', /not a finite number; NaN and Infinity are not accepted/],
  ['CSV with Infinity', '/invocations', { raw: 'annual_income,loan_amount,employment_years,existing_debt_ratio,credit_history_months\nInfinity,1,1,0.1,1\n', headers: { 'content-type': 'text/csv' } }, 400, 'BAD_REQUEST', /not a finite number/],
  ['CSV with a short line', '/invocations', { raw: 'annual_income,loan_amount\n1\n', headers: { 'content-type': 'text/csv' } }, 400, 'BAD_REQUEST', /CSV line 2 has 1 cells; the header has 2/],
  ['empty batch', '/predict', { body: [] }, 400, 'BAD_REQUEST', /no rows/],
  ['row not an object', '/predict', { body: [1, 2] }, 400, 'BAD_REQUEST', /Row 0 must be an object/],
  ['scalar body', '/predict', { body: 42 }, 400, 'BAD_REQUEST', /one JSON object keyed by column/],
  ['wrong content type', '/predict', { raw: 'annual_income=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type: application\/json/],
  ['10 MB body', '/predict', { raw: `[${JSON.stringify(good)}${' '.repeat(10 * 1024 * 1024)}]` }, 413, 'REQUEST_LIMIT_EXCEEDED', /exceeds \d+ bytes/],
  ['MLflow: no known key', '/invocations', { body: { data: [] } }, 400, 'BAD_REQUEST', /exactly one of dataframe_split/],
  ['MLflow: two keys', '/invocations', { body: { instances: [good], inputs: [good] } }, 400, 'BAD_REQUEST', /exactly one of/],
  ['MLflow: short positional row', '/invocations', { body: { instances: [[1, 2]] } }, 400, 'BAD_REQUEST', /has 2 values; the schema has 5 columns/],
  ['MLflow: params', '/invocations', { body: { instances: [good], params: { k: 1 } } }, 400, 'BAD_REQUEST', /takes no params/],
  ['V2: unknown model', '/v2/models/other/infer', { body: { inputs: [] } }, 404, '', /No model "other" here/],
  ['V2: unknown version', '/v2/models/credit_matrix/versions/nope/ready', {}, 404, '', /Version "nope"/],
  ['V2: wrong datatype', '/v2/models/credit_matrix/infer', { body: { inputs: [{ name: 'annual_income', shape: [1], datatype: 'BYTES', data: ['x'] }] } }, 400, '', /datatype BYTES/],
  ['V2: shape mismatch', '/v2/models/credit_matrix/infer', { body: { inputs: [{ name: 'features', shape: [2, 5], datatype: 'FP32', data: [1, 2, 3] }] } }, 400, '', /does not match its 3 values/],
  ['unknown route', '/nope', {}, 404, 'ENDPOINT_NOT_FOUND', /No route GET \/nope/],
  ['wrong method', '/predict', { method: 'GET' }, 405, 'METHOD_NOT_ALLOWED', /method/],
  ['feedback without token', '/feedback', { body: { id: 'x', label: 1 } }, 401, 'UNAUTHENTICATED', /Bearer/],
];

for (const [name, path, init, status, code, message] of cases) {
  void test(`${name} → ${status}`, () => expectError(path, init, status, code, message));
}

void test('a foreign Host header is refused (DNS rebinding)', async () => {
  const { request: raw } = await import('node:http');
  const url = new URL(proc.url);
  const status = await new Promise<number>((resolve, reject) => {
    raw({ host: url.hostname, port: url.port, path: '/health', headers: { host: 'evil.example:80' } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    }).on('error', reject).end();
  });
  assert.equal(status, 403);
});

void test('a corrupt .onnx leaves the process up, answering 503 with the reason', async () => {
  const bad = await spawnServe(['--model-file', join(MODELS, 'corrupt.onnx'), '--schema', MATRIX.schemaFile, '--port', '0', '--no-log', '--project', tempProject()]);
  try {
    assert.equal((await request(`${bad.url}/health`)).status, 200);
    for (const [path, body] of [['/ready', undefined], ['/predict', good], ['/v2/models/corrupt/infer', { inputs: [] }]] as const) {
      const reply = await request(`${bad.url}${path}`, { body });
      assert.equal(reply.status, 503, reply.text);
      assert.match(reply.text, /not a loadable ONNX model.*protobuf parsing failed.*Export it to ONNX/i);
    }
    assert.match(bad.stderr(), /cannot load .*corrupt\.onnx/);
  } finally {
    bad.child.kill('SIGTERM');
    await bad.exited;
  }
});

void test('errors are counted in /metrics by code', async () => {
  const text = (await request(`${proc.url}/metrics`)).text;
  assert.match(text, /slipway_serving_errors_total\{route="predict",status="400",code="BAD_REQUEST"\} \d+/);
  assert.match(text, /slipway_serving_errors_total\{route="predict",status="413",code="REQUEST_LIMIT_EXCEEDED"\} 1/);
  assert.match(text, /slipway_serving_model_info\{model="credit_matrix",version="[0-9a-f]{12}"\} 1/);
  assert.match(text, /^slipway_serving_request_duration_seconds_count\{route="predict"\} \d+$/m);
  assert.match(text, /^process_resident_memory_bytes \d+$/m);
});
