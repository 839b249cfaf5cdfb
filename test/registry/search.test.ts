import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { compileFilter, likeToRegExp } from '../../src/engine/registry';
import { openFixture } from './helpers';

describe('registry search filters', () => {
  const f = openFixture();
  before(() => {
    for (const name of ['Boston-Weather', 'boston-traffic', 'Cordoba', 'credit_risk', 'credit-risk']) f.registry.createModel({ name });
    f.registry.setModelTag('Cordoba', 'team', 'weather');
    f.registry.setModelTag('credit_risk', 'my key', 'a b');
    f.registry.createVersion({ name: 'Cordoba', source: 'mlflow-artifacts:/1/r1/artifacts/model', runId: 'r1' });
    f.registry.createVersion({ name: 'Cordoba', source: 'mlflow-artifacts:/1/r2/artifacts/model', runId: 'r2', tags: [{ key: 'validated', value: 'yes' }] });
    f.registry.createVersion({ name: 'Cordoba', source: 'models:/m-1', runId: 'r3', modelId: 'm-1' });
    f.registry.createVersion({ name: 'credit-risk', source: 'file:///tmp/x.onnx' });
  });
  after(() => f.close());

  const models = (filter?: string, orderBy?: string[]) => f.registry.searchModels({ filter, orderBy }).models.map((m) => m.name);
  const versions = (filter?: string) => f.registry.searchVersions({ filter }).versions.map((v) => `${v.name}:${v.version}`);

  const modelCases: [string, string[]][] = [
    ["name = 'Cordoba'", ['Cordoba']],
    ['name = "Cordoba"', ['Cordoba']],
    ["name != 'Cordoba'", ['Boston-Weather', 'boston-traffic', 'credit-risk', 'credit_risk']],
    ["name LIKE 'Boston%'", ['Boston-Weather']],
    ["name ILIKE 'boston%'", ['Boston-Weather', 'boston-traffic']],
    ["name LIKE 'credit_risk'", ['credit-risk', 'credit_risk']],
    ["name LIKE 'credit\\_risk'", ['credit_risk']],
    ["tags.team = 'weather'", ['Cordoba']],
    ["tag.team LIKE 'wea%' AND name = 'Cordoba'", ['Cordoba']],
    ["tags.`my key` = 'a b'", ['credit_risk']],
    ['tags."my key" = \'a b\'', ['credit_risk']],
    ["tags.team != 'x'", ['Cordoba']],
    ["name = 'it''s'", []],
  ];
  for (const [filter, expected] of modelCases) {
    it(`models: ${filter}`, () => assert.deepEqual(models(filter), expected));
  }

  it('orders and pages registered models', () => {
    assert.deepEqual(models(undefined, ['name DESC']), ['credit_risk', 'credit-risk', 'boston-traffic', 'Cordoba', 'Boston-Weather']);
    const first = f.registry.searchModels({ maxResults: 2 });
    assert.equal(first.models.length, 2);
    assert.ok(first.nextPageToken);
    const second = f.registry.searchModels({ maxResults: 2, pageToken: first.nextPageToken });
    const third = f.registry.searchModels({ maxResults: 2, pageToken: second.nextPageToken });
    assert.equal(third.nextPageToken, undefined);
    assert.deepEqual([...first.models, ...second.models, ...third.models].map((m) => m.name), models());
  });

  const versionCases: [string, string[]][] = [
    ["name = 'Cordoba'", ['Cordoba:3', 'Cordoba:2', 'Cordoba:1']],
    ["run_id = 'r2'", ['Cordoba:2']],
    ["run_id IN ('r1', 'r3')", ['Cordoba:3', 'Cordoba:1']],
    ["source_path LIKE 'mlflow-artifacts:/1/%'", ['Cordoba:2', 'Cordoba:1']],
    ["tags.validated = 'yes'", ['Cordoba:2']],
    ["name = 'Cordoba' AND version_number >= 2", ['Cordoba:3', 'Cordoba:2']],
    ["model_id = 'm-1'", ['Cordoba:3']],
  ];
  for (const [filter, expected] of versionCases) {
    it(`versions: ${filter}`, () => assert.deepEqual(versions(filter), expected));
  }

  const invalid: [string, RegExp][] = [
    ["nam = 'x'", /unknown identifier "nam"/],
    ["name = 'x' OR name = 'y'", /only AND is supported/],
    ["name = 'x", /unterminated string/],
    ['name = x', /must be a quoted string/],
    ["name IN ('a')", /does not support IN/],
    ["name > 'a'", /does not support >/],
    ['name', /expected a comparator/],
  ];
  for (const [filter, message] of invalid) {
    it(`rejects ${filter}`, () => {
      assert.throws(() => f.registry.searchModels({ filter }), (e: unknown) => e instanceof SlipwayError && e.code === 'INVALID_PARAMETER_VALUE' && message.test(e.message));
    });
  }

  it('rejects bad paging and ordering arguments', () => {
    assert.throws(() => f.registry.searchModels({ maxResults: 0 }), /between 1 and 1000/);
    assert.throws(() => f.registry.searchModels({ maxResults: 1001 }), /between 1 and 1000/);
    assert.throws(() => f.registry.searchModels({ pageToken: 'garbage' }), /Invalid page_token/);
    assert.throws(() => f.registry.searchModels({ orderBy: ['size ASC'] }), /Invalid order_by/);
    assert.throws(() => f.registry.searchVersions({ filter: 'version_number = abc' }), /quoted string|integer/);
  });

  it('compiles filters into parameterised SQL', () => {
    assert.deepEqual(compileFilter('models', "name = 'x''; DROP TABLE runs; --'"), { where: 'm.name = ?', params: ["x'; DROP TABLE runs; --"] });
    assert.throws(() => compileFilter('models', "name = 'x'; DROP TABLE runs"), /expected AND/);
    assert.match(likeToRegExp('a%b_c', false).source, /^\^a/);
    assert.ok(likeToRegExp('A%', true).test('abc'));
    assert.ok(!likeToRegExp('A%', false).test('abc'));
  });
});
