import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseProjectConfig } from '../../src/engine/config';
import { SlipwayError } from '../../src/engine/errors';
import { LoadedModel, defaultEndpoint, newPredictionId, requireOnnxFile } from '../../src/engine/serving';
import { planInputs, type InputMeta } from '../../src/engine/serving/mapping';
import { validateRows } from '../../src/engine/serving/rows';
import { loadColumnSchema, parseColumnSchema } from '../../src/engine/validation';
import { YamlFile } from '../../src/engine/yaml';
import { COLUMNS, MATRIX, RISK_CONFIG, expected, testRows } from './helpers';

const schema = (text: string) => parseColumnSchema(new YamlFile('t.schema.yaml', text));
const numeric = schema('columns:\n  a: { type: float64 }\n  b: { type: int64 }\n  c: { type: bool }\n');
const withCategory = schema('columns:\n  a: { type: float64 }\n  p: { type: category, values: [x, y] }\n');
const t = (name: string, type: string, shape: (number | string)[]): InputMeta => ({ name, isTensor: true, type, shape });

void test('one 2-D input takes the numeric and bool columns in schema order', () => {
  assert.deepEqual(planInputs(numeric, [t('features', 'float32', ['N', 3])], 'm'), { kind: 'matrix', input: 'features', type: 'float32' });
  assert.deepEqual(planInputs(numeric, [t('X', 'int64', ['N', 'C'])], 'm'), { kind: 'matrix', input: 'X', type: 'int64' });
});

void test('one input per column is matched by name, whatever the model order', () => {
  const plan = planInputs(withCategory, [t('p', 'string', ['N', 1]), t('a', 'float64', ['N'])], 'm');
  assert.deepEqual(plan, { kind: 'columns', inputs: [{ name: 'p', type: 'string', column: 1, rank: 2 }, { name: 'a', type: 'float64', column: 0, rank: 1 }] });
});

const refusals: [string, ReturnType<typeof schema>, InputMeta[], RegExp][] = [
  ['a category column in a matrix', withCategory, [t('features', 'float32', ['N', 2])], /p \(category\) cannot be packed into one numeric matrix; export the model with one input per column/],
  ['a width that differs from the column count', numeric, [t('features', 'float32', ['N', 4])], /takes 4 values per row, but the schema has 3 columns/],
  ['a 1-D single input', numeric, [t('features', 'float32', ['N'])], /is not 2-D/],
  ['a string matrix', numeric, [t('features', 'string', ['N', 3])], /not a numeric type/],
  ['names that do not match', numeric, [t('a', 'float64', ['N']), t('z', 'float64', ['N'])], /no model input for column\(s\) b, c; no column for model input\(s\) z/],
  ['a category fed to a float input', withCategory, [t('a', 'float64', ['N']), t('p', 'float32', ['N'])], /column p \(category\) cannot feed input "p" of type float32/],
  ['a per-column input wider than 1', withCategory, [t('a', 'float64', ['N', 3]), t('p', 'string', ['N'])], /must be \[batch\] or \[batch, 1\]/],
];
for (const [name, s, inputs, message] of refusals) {
  void test(`refused at load time: ${name}`, () => {
    assert.throws(() => planInputs(s, inputs, 'model m'), (error: unknown) => {
      assert.ok(error instanceof SlipwayError);
      assert.equal(error.code, 'INVALID_PARAMETER_VALUE');
      assert.match(error.message, /^Cannot map the schema t\.schema\.yaml onto model m: /);
      assert.match(error.message, message);
      assert.match(error.message, /Model inputs: .*Schema columns: /);
      return true;
    });
  });
}

void test('real models: the per-column schema does not fit the matrix model, and the reverse', async () => {
  const settings = defaultEndpoint('x');
  await assert.rejects(LoadedModel.load({ name: 'm', version: '1', modelFile: MATRIX.modelFile, schema: loadColumnSchema(COLUMNS.schemaFile) }, settings), /purpose \(category\) cannot be packed/);
  await assert.rejects(LoadedModel.load({ name: 'm', version: '1', modelFile: COLUMNS.modelFile, schema: loadColumnSchema(MATRIX.schemaFile) }, settings), /no model input for column|no column for model input\(s\) purpose/);
  await assert.rejects(LoadedModel.load({ name: 'm', version: '1', modelFile: MATRIX.modelFile, schema: loadColumnSchema(MATRIX.schemaFile) }, { ...settings, scoreOutput: 'proba' }), /has no output "proba".*outputs are label, probabilities/);
});

void test('row validation converts to typed columns (bool 0/1, datetime ms, null as NaN)', () => {
  const s = schema('columns:\n  f: { type: float32, nullable: true }\n  b: { type: bool }\n  d: { type: datetime }\n  s: { type: string, nullable: true }\n');
  const batch = validateRows(s, [{ f: null, b: true, d: '2024-05-01T00:00:00Z', s: null }, { f: 1.5, b: false, d: '2024-05-02', s: 'x' }]);
  assert.equal(batch.size, 2);
  assert.ok(Number.isNaN((batch.columns[0] as Float64Array)[0]));
  assert.deepEqual([...(batch.columns[1] as Float64Array)], [1, 0]);
  assert.equal((batch.columns[2] as Float64Array)[0], Date.UTC(2024, 4, 1));
  assert.deepEqual(batch.columns[3], [null, 'x']);
  assert.throws(() => validateRows(s, [{ f: 1, b: 1, d: '2024-05-01', s: 'x' }]), /"b" must be true or false, not 1/);
  assert.throws(() => validateRows(s, [{ f: 1, b: true, d: 'yesterday', s: 'x' }]), /ISO 8601/);
  assert.throws(() => validateRows(s, [{ f: 1e39, b: true, d: '2024-05-01', s: 'x' }]), /outside the float32 range/);
});

void test('serving section of slipway.yaml: thresholds sorted, unknown keys reported at their line', () => {
  const good = new YamlFile('slipway.yaml', RISK_CONFIG);
  const settings = parseProjectConfig(good);
  assert.deepEqual(good.diagnostics, []);
  const credit = settings.serving.endpoints.credit!;
  assert.deepEqual(credit.postprocess, [{ field: 'risk_tier', thresholds: [{ above: 0.35, label: 'HIGH' }, { above: 0.15, label: 'MEDIUM' }], otherwise: 'LOW' }]);
  assert.equal(credit.scoreOutput, 'probabilities');
  const bad = new YamlFile('slipway.yaml', 'version: 1\nserving:\n  endpoints:\n    credit:\n      postprocess:\n        tier:\n          thresholds:\n            - { above: high, label: HIGH }\n      score: p\n');
  parseProjectConfig(bad);
  const messages = bad.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`);
  assert.ok(messages.some((m) => m.startsWith('8: above must be a number')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('6:') && /needs `otherwise: <label>`/.test(m)) || messages.some((m) => /needs `otherwise/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('9: Unknown key "score" in serving.endpoints.credit')), messages.join('\n'));
});

void test('prediction ids are 26-character ULIDs that sort in creation order', () => {
  const ids = Array.from({ length: 2000 }, () => newPredictionId());
  assert.ok(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});

void test('a version that is not ONNX is refused with how to export one', () => {
  assert.doesNotThrow(() => requireOnnxFile('/a/model.onnx', 'credit version 3'));
  assert.throws(() => requireOnnxFile('/a/model.pkl', 'credit version 3'), /credit version 3 is a pickled Python model, not an ONNX model.*skl2onnx\.to_onnx/);
  assert.throws(() => requireOnnxFile('/a/model.pt', 'credit version 4'), /a PyTorch checkpoint.*torch\.onnx\.export/);
});

void test('batches predicted in the same tick run together; a batch that cannot be fed fails alone', async () => {
  const text = readFileSync(COLUMNS.schemaFile, 'utf8').replace('credit_history_months: { type: int64, min: 0 }', 'credit_history_months: { type: int64, min: 0, nullable: true }');
  const schema = parseColumnSchema(new YamlFile('nullable.schema.yaml', text));
  const model = await LoadedModel.load({ name: 'm', version: '1', modelFile: COLUMNS.modelFile, schema }, defaultEndpoint('m'));
  const rows = testRows.slice(0, 3);
  const batches = rows.map((row) => validateRows(schema, [row]));
  const bad = validateRows(schema, [{ ...rows[0]!, credit_history_months: null }]);
  const results = await Promise.allSettled([...batches, bad, ...batches].map((b) => model.predict(b)));
  const scores = results.map((r) => (r.status === 'fulfilled' ? r.value[0]!.score! : NaN));
  for (const [i, want] of [0, 1, 2, 0, 1, 2].entries()) {
    const at = i < 3 ? i : i + 1;
    assert.ok(Math.abs(scores[at]! - expected.credit_columns![want]!) < 1e-5, `row ${at}`);
  }
  const failed = results[3]!;
  assert.equal(failed.status, 'rejected');
  assert.match(String((failed).reason), /"credit_history_months" is null, but the model takes it as int64/);
  await model.release();
});
