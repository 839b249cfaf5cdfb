import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { importFileStoreRegistry, rebaseRegistrySource } from '../../src/engine/registry';
import { openFixture } from './helpers';

const V2_MODELS = resolve(import.meta.dirname, '..', 'fixtures', 'mlruns-v2', 'mlruns', 'models');

describe('importing an MLflow FileStore registry', () => {
  let f: ReturnType<typeof openFixture>;
  beforeEach(() => {
    f = openFixture();
  });
  afterEach(() => f.close());

  it('rebases FileStore paths (POSIX and Windows) onto the imported runs and logged models', () => {
    assert.equal(rebaseRegistrySource('file:///home/ana/projects/churn/mlruns/412874509123456789/0f1e/artifacts/model'), 'mlflow-artifacts:/412874509123456789/0f1e/artifacts/model');
    assert.equal(rebaseRegistrySource('file:///C:/ml/mlruns/0/models/m-6ce4/artifacts'), 'mlflow-artifacts:/0/models/m-6ce4/artifacts');
    assert.equal(rebaseRegistrySource('C:\\ml\\mlruns\\0\\abc\\artifacts\\model'), 'mlflow-artifacts:/0/abc/artifacts/model');
    assert.equal(rebaseRegistrySource('models:/m-6ce4'), 'models:/m-6ce4');
    assert.equal(rebaseRegistrySource('s3://bucket/mlruns/0/abc/artifacts/model'), 's3://bucket/mlruns/0/abc/artifacts/model');
  });

  it('imports the MLflow 2 layout fixture: versions with numbers and stages, tags, aliases; again without changes', () => {
    const report = importFileStoreRegistry(f.store, V2_MODELS);
    assert.deepEqual([report.models, report.versions, report.aliases, report.notes], [1, 2, 1, []]);
    const model = f.registry.getModel('churn-model');
    assert.equal(model.description, 'Churn classifier');
    assert.deepEqual(model.tags, [{ key: 'owner', value: 'retention-team' }]);
    assert.deepEqual(model.aliases, [{ alias: 'champion', version: '2' }]);
    const v2 = f.registry.resolve('churn-model@champion');
    assert.deepEqual([v2.version, v2.current_stage, v2.user_id, v2.tags], ['2', 'Production', 'ana', [{ key: 'validated', value: 'true' }]]);
    assert.match(v2.source, /^mlflow-artifacts:\/412874509123456789\/[0-9a-f]{32}\/artifacts\/model$/);
    assert.equal(f.registry.getVersion('churn-model', 1).current_stage, 'Archived');
    assert.deepEqual(f.registry.verify().problems, []);
    assert.deepEqual(f.registry.history('churn-model').map((e) => [e.action, e.subject, e.to, e.actor]), [
      ['stage.transition', '1', 'Archived', 'import'],
      ['stage.transition', '2', 'Production', 'import'],
      ['alias.set', 'champion', '2', 'import'],
    ]);
    assert.equal(f.registry.createVersion({ name: 'churn-model', source: 'new' }).version, '3');
    const again = importFileStoreRegistry(f.store, V2_MODELS);
    assert.deepEqual([again.models, again.versions, again.tags, again.aliases], [0, 0, 0, 0]);
  });

  it('keeps local decisions and notes what it did not apply', () => {
    f.registry.createModel({ name: 'churn-model' });
    f.registry.createVersion({ name: 'churn-model', source: 'mine' });
    f.registry.setAlias('churn-model', 'champion', 1);
    const report = importFileStoreRegistry(f.store, V2_MODELS);
    assert.equal(report.versions, 1);
    assert.ok(report.notes.some((n) => /churn-model:1 exists here with source mine/.test(n)));
    assert.ok(report.notes.some((n) => /alias churn-model@champion is on version 1 here/.test(n)));
    assert.equal(f.registry.resolve('churn-model@champion').version, '1');
    assert.deepEqual(f.registry.verify().problems, []);
  });

  it('skips deleted versions but never reuses their numbers, and reports broken folders', () => {
    const root = join(f.dir, 'models');
    const model = join(root, 'm');
    mkdirSync(join(model, 'version-1'), { recursive: true });
    mkdirSync(join(model, 'version-2'), { recursive: true });
    mkdirSync(join(root, 'broken'), { recursive: true });
    writeFileSync(join(model, 'meta.yaml'), 'name: m\ncreation_timestamp: 1\nlast_updated_timestamp: 2\n');
    writeFileSync(join(model, 'version-1', 'meta.yaml'), 'version: 1\ncurrent_stage: None\nsource: s1\n');
    writeFileSync(join(model, 'version-2', 'meta.yaml'), 'version: 2\ncurrent_stage: Deleted_Internal\nsource: s2\n');
    const report = importFileStoreRegistry(f.store, root);
    assert.equal(report.versions, 1);
    assert.ok(report.notes.some((n) => /broken: no meta.yaml/.test(n)));
    assert.equal(f.registry.createVersion({ name: 'm', source: 's3' }).version, '3');
    writeFileSync(join(model, 'meta.yaml'), 'name: [unclosed\n');
    assert.throws(() => importFileStoreRegistry(f.store, root), /meta.yaml is not valid YAML/);
  });
});

describe('slipway import mlruns brings the registry along', () => {
  it('links imported versions to the imported runs and their artifacts', async () => {
    const { importMlruns } = await import('../../src/engine/importers');
    const { getRun, listArtifacts } = await import('../../src/engine/tracking');
    const f = openFixture();
    try {
      const ctx = { store: f.store, artifacts: f.objects };
      const report = await importMlruns(ctx, resolve(V2_MODELS, '..'));
      assert.deepEqual([report.registeredModels, report.modelVersions], [1, 2]);
      const version = f.registry.resolve('churn-model@champion');
      const run = getRun(ctx, version.run_id!);
      assert.equal(version.source, `${run.info.artifact_uri}/model`);
      const files = listArtifacts(ctx, { run_id: version.run_id, path: 'model' }).files ?? [];
      assert.deepEqual(files.map((x) => x.path).sort(), ['model/MLmodel', 'model/model.onnx']);
      const again = await importMlruns(ctx, resolve(V2_MODELS, '..'));
      assert.deepEqual([again.registeredModels, again.modelVersions], [0, 0]);
      assert.deepEqual(f.registry.verify().problems, []);
    } finally {
      f.close();
    }
  });
});
