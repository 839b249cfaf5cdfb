import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { openFixture } from './helpers';

describe('resolving a MODELREF to its model file', () => {
  let f: ReturnType<typeof openFixture>;
  beforeEach(() => {
    f = openFixture();
  });
  afterEach(() => f.close());

  async function stored(text: string): Promise<{ md5: string; size: number }> {
    return f.objects.putBuffer(Buffer.from(text));
  }

  it('finds file registrations, run artifacts and logged-model artifacts in the object store', async () => {
    f.registry.createModel({ name: 'm' });
    writeFileSync(join(f.dir, 'model.onnx'), 'file-registered');
    await f.registry.createVersionFromFile('m', join(f.dir, 'model.onnx'), { schemaYaml: 'columns: {}\n' });
    const first = f.registry.modelFile('m:1');
    assert.deepEqual([first.fileName, first.schemaYaml, readFileSync(first.path, 'utf8')], ['model.onnx', 'columns: {}\n', 'file-registered']);

    const runId = 'c'.repeat(32);
    const onnx = await stored('run-onnx');
    const mlmodel = await stored('MLmodel');
    f.store.write(() => {
      f.store.db.prepare("INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, artifact_uri) VALUES (?, '0', 'r', 'a', 'FINISHED', 1, ?)").run(runId, `mlflow-artifacts:/0/${runId}/artifacts`);
      const add = f.store.db.prepare('INSERT INTO artifacts (run_uuid, path, md5, size) VALUES (?, ?, ?, ?)');
      add.run(runId, 'model/MLmodel', mlmodel.md5, mlmodel.size);
      add.run(runId, 'model/model.onnx', onnx.md5, onnx.size);
    });
    f.registry.createVersionFromRun('m', runId, 'model');
    f.registry.setAlias('m', 'champion', 2);
    const second = f.registry.modelFile('m@champion');
    assert.deepEqual([second.version, second.fileName, readFileSync(second.path, 'utf8')], ['2', 'model.onnx', 'run-onnx']);

    const lm = await stored('logged-onnx');
    f.store.write(() => {
      f.store.db
        .prepare("INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, source_run_id) VALUES ('m-1', '0', 'model', 'mlflow-artifacts:/0/models/m-1/artifacts', 1, 1, 'LOGGED_MODEL_READY', ?)")
        .run(runId);
      f.store.db.prepare("INSERT INTO logged_model_artifacts (model_id, path, md5, size) VALUES ('m-1', 'model.onnx', ?, ?)").run(lm.md5, lm.size);
      f.store.db.prepare("INSERT INTO logged_model_artifacts (model_id, path, md5, size) VALUES ('m-1', 'MLmodel', ?, ?)").run(mlmodel.md5, mlmodel.size);
    });
    f.registry.createVersionFromLoggedModel('m', 'm-1');
    assert.equal(readFileSync(f.registry.modelFile('m').path, 'utf8'), 'logged-onnx');
  });

  it('says why a version cannot be served from the store', () => {
    f.registry.createModel({ name: 'm' });
    f.registry.createVersion({ name: 'm', source: 's3://bucket/model' });
    assert.throws(() => f.registry.modelFile('m:1'), (e: unknown) => e instanceof SlipwayError && e.code === 'INVALID_PARAMETER_VALUE' && /outside this project's artifact store/.test(e.message));
    f.registry.createVersion({ name: 'm', source: `mlflow-artifacts:/0/${'d'.repeat(32)}/artifacts/model` });
    assert.throws(() => f.registry.modelFile('m:2'), /holds no files/);
    assert.throws(() => f.registry.modelFile('m@champion'), /has no alias "champion"/);
  });
});
