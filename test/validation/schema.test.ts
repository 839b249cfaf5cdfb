import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadColumnSchema, parseColumnSchema } from '../../src/engine/validation';
import { YamlFile } from '../../src/engine/yaml';
import { SlipwayError } from '../../src/engine/errors';

const example = `columns:                      # ordered: the order is the model's input order
  annual_income:   { type: float64, min: 0 }
  loan_amount:     { type: float64, min: 0 }
  employment_years: { type: float64, min: 0, max: 60 }
  existing_debt_ratio: { type: float64, min: 0, max: 1 }
  credit_history_months: { type: int64, min: 0 }
  purpose:         { type: category, values: [home, car, education, business], nullable: true }
`;

function parse(text: string) {
  const file = new YamlFile('x.schema.yaml', text);
  return { schema: parseColumnSchema(file), diagnostics: file.diagnostics };
}

void test('parses the architecture example in order, with types, bounds, values and nullability', () => {
  const { schema, diagnostics } = parse(example);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(schema.columns.map((c) => c.name), ['annual_income', 'loan_amount', 'employment_years', 'existing_debt_ratio', 'credit_history_months', 'purpose']);
  const [income, , years, , months, purpose] = schema.columns;
  assert.deepEqual([income!.type, income!.min, income!.max, income!.nullable], ['float64', 0, undefined, false]);
  assert.deepEqual([years!.min, years!.max], [0, 60]);
  assert.equal(months!.type, 'int64');
  assert.deepEqual([purpose!.type, purpose!.values, purpose!.nullable], ['category', ['home', 'car', 'education', 'business'], true]);
  assert.equal(purpose!.range.start.line, 6);
});

void test('accepts every declared type', () => {
  const types = ['float32', 'float64', 'int32', 'int64', 'bool', 'string', 'datetime'];
  const { schema, diagnostics } = parse(`columns:\n${types.map((t) => `  c_${t}: { type: ${t} }`).join('\n')}\n  c_cat: { type: category, values: [a, 1] }\n`);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(schema.columns.map((c) => c.type), [...types, 'category']);
  assert.deepEqual(schema.columns.at(-1)!.values, ['a', '1']);
});

const bad: [string, string, number, RegExp][] = [
  ['unknown type', 'columns:\n  a: { type: float }\n', 1, /Unknown column type "float" for a/],
  ['missing type', 'columns:\n  a: { min: 0 }\n', 1, /a needs a type/],
  ['unknown column key', 'columns:\n  a: { type: int64, minimum: 0 }\n', 1, /Unknown key "minimum" in column a/],
  ['unknown top key', 'columns:\n  a: { type: int64 }\ncolumn: {}\n', 2, /Unknown key "column"/],
  ['bounds on a string', 'columns:\n  a:\n    type: string\n    min: 0\n', 2, /min and max apply to numeric columns/],
  ['min above max', 'columns:\n  a: { type: float32, min: 2, max: 1 }\n', 1, /min \(2\) is greater than max \(1\)/],
  ['category without values', 'columns:\n  a: { type: category }\n', 1, /needs its values/],
  ['values on a number', 'columns:\n  a: { type: int32, values: [1] }\n', 1, /values applies to category columns/],
  ['duplicate value', 'columns:\n  a:\n    type: category\n    values:\n      - x\n      - x\n', 5, /listed twice/],
  ['nullable not a boolean', 'columns:\n  a: { type: bool, nullable: maybe }\n', 1, /nullable must be true or false/],
  ['no columns', 'description: empty\n', 0, /needs a `columns:` mapping/],
  ['duplicate column', 'columns:\n  a: { type: bool }\n  a: { type: bool }\n', 2, /YAML syntax error/],
];
for (const [name, text, line, message] of bad) {
  void test(`reports ${name} at its line`, () => {
    const { diagnostics } = parse(text);
    const error = diagnostics.find((d) => d.severity === 'error');
    assert.ok(error, 'an error diagnostic');
    assert.match(error.message, message);
    assert.equal(error.range.start.line, line);
  });
}

void test('loadColumnSchema throws CONFIG_INVALID naming file:line:col', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-schema-'));
  const path = join(dir, 'bad.schema.yaml');
  writeFileSync(path, 'columns:\n  a: { type: float64 }\n  b: { type: decimal }\n');
  assert.throws(() => loadColumnSchema(path), (error: unknown) => {
    assert.ok(error instanceof SlipwayError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, new RegExp(`${path.replace(/[/.]/g, '\\$&')}:3:\\d+: Unknown column type "decimal"`));
    return true;
  });
  assert.equal(loadColumnSchema(join(import.meta.dirname, '../fixtures/models/credit_columns.schema.yaml')).columns.length, 6);
  rmSync(dir, { recursive: true, force: true });
});
