import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { parseFilter, parseOrderBy } from '../../src/engine/tracking';

test('filters parse into typed clauses', () => {
  const table: [string, unknown][] = [
    ['metrics.auc > 0.8', [{ type: 'metric', key: 'auc', comparator: '>', value: 0.8 }]],
    ["params.model = 'xgb' and tags.team != \"risk\"", [
      { type: 'param', key: 'model', comparator: '=', value: 'xgb' },
      { type: 'tag', key: 'team', comparator: '!=', value: 'risk' },
    ]],
    ['metrics.`val loss` <= -1.5e-3', [{ type: 'metric', key: 'val loss', comparator: '<=', value: -1.5e-3 }]],
    ['metrics."f1 score" >= .5', [{ type: 'metric', key: 'f1 score', comparator: '>=', value: 0.5 }]],
    ['metrics.val.loss < 1', [{ type: 'metric', key: 'val.loss', comparator: '<', value: 1 }]],
    ["attributes.status IN ('FINISHED', 'FAILED')", [{ type: 'attribute', key: 'status', comparator: 'IN', value: ['FINISHED', 'FAILED'] }]],
    ["run_name LIKE 'base%'", [{ type: 'attribute', key: 'run_name', comparator: 'LIKE', value: 'base%' }]],
    ['attribute.created > 1000', [{ type: 'attribute', key: 'start_time', comparator: '>', value: 1000 }]],
    ["tags.note IS NULL AND params.lr ILIKE '%E-3'", [
      { type: 'tag', key: 'note', comparator: 'IS NULL', value: null },
      { type: 'param', key: 'lr', comparator: 'ILIKE', value: '%E-3' },
    ]],
    ['', []],
  ];
  for (const [filter, expected] of table) assert.deepEqual(parseFilter(filter), expected, filter);
});

test('bad filters are INVALID_PARAMETER_VALUE with a reason', () => {
  const table: [string, RegExp][] = [
    ['metrics.auc > 0.8 OR metrics.auc < 0.1', /OR is not supported/],
    ["metrics.auc = 'high'", /compared with a number/],
    ['params.lr > 1', /params support =/],
    ["params.lr = 1", /quoted string/],
    ["attributes.colour = 'red'", /unknown attribute "colour"/],
    ["metric.auc LIKE '1'", /compared with a number/],
    ["params.x = 'open", /unterminated quote/],
    ['metrics.auc >', /quoted string or a number/],
    ["bogus.x = '1'", /unknown entity "bogus"/],
    ['metrics.auc > 1 AND', /ends with AND/],
  ];
  for (const [filter, message] of table) {
    assert.throws(() => parseFilter(filter), (e: unknown) => e instanceof SlipwayError && e.code === 'INVALID_PARAMETER_VALUE' && message.test(e.message), filter);
  }
});

test('order_by terms', () => {
  assert.deepEqual(parseOrderBy('metrics.auc DESC'), { type: 'metric', key: 'auc', ascending: false });
  assert.deepEqual(parseOrderBy('params.lr'), { type: 'param', key: 'lr', ascending: true });
  assert.deepEqual(parseOrderBy('attributes.start_time asc'), { type: 'attribute', key: 'start_time', ascending: true });
  assert.deepEqual(parseOrderBy('run_name DESC'), { type: 'attribute', key: 'run_name', ascending: false });
  assert.throws(() => parseOrderBy('attributes.shoe_size'), /unknown attribute/);
});
