import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SlipwayError, type ErrorCode } from '../../src/engine/errors';
import { md5Buffer } from '../../src/engine/objects';
import { ChangeFollower } from '../../src/engine/store';
import { openFixture, seedRun } from './helpers';

type F = ReturnType<typeof openFixture>;

function rejects(fn: () => unknown, code: ErrorCode, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SlipwayError, `expected a SlipwayError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('model registry', () => {
  let f: F;
  beforeEach(() => {
    f = openFixture();
  });
  afterEach(() => f.close());

  it('creates, gets and reports registered models in MLflow shape', () => {
    const created = f.registry.createModel({ name: 'credit-risk', description: 'PD model', tags: [{ key: 'team', value: 'risk' }] });
    assert.deepEqual(created, {
      name: 'credit-risk',
      creation_timestamp: 1_700_000_000_000,
      last_updated_timestamp: 1_700_000_000_000,
      user_id: 'alice',
      description: 'PD model',
      tags: [{ key: 'team', value: 'risk' }],
    });
    assert.deepEqual(f.registry.getModel('credit-risk'), created);
    rejects(() => f.registry.createModel({ name: 'credit-risk' }), 'RESOURCE_ALREADY_EXISTS');
    rejects(() => f.registry.getModel('nope'), 'RESOURCE_DOES_NOT_EXIST', /"nope" does not exist/);
    rejects(() => f.registry.createModel({ name: '' }), 'INVALID_PARAMETER_VALUE');
    rejects(() => f.registry.createModel({ name: 'a@b' }), 'INVALID_PARAMETER_VALUE');
    rejects(() => f.registry.createModel({ name: 'x', tags: [{ key: 'k'.repeat(251), value: 'v' }] }), 'INVALID_PARAMETER_VALUE', /longer than 250/);
  });

  it('creates versions numbered from 1, READY at once, never reusing a deleted number', () => {
    f.registry.createModel({ name: 'm' });
    const v1 = f.registry.createVersion({ name: 'm', source: 'mlflow-artifacts:/0/r1/artifacts/model', runId: 'r1', tags: [{ key: 'k', value: 'v' }], runLink: 'http://x/r1' });
    assert.deepEqual(v1, {
      name: 'm',
      version: '1',
      creation_timestamp: 1_700_000_000_000,
      last_updated_timestamp: 1_700_000_000_000,
      user_id: 'alice',
      current_stage: 'None',
      source: 'mlflow-artifacts:/0/r1/artifacts/model',
      run_id: 'r1',
      status: 'READY',
      tags: [{ key: 'k', value: 'v' }],
      run_link: 'http://x/r1',
    });
    const v2 = f.registry.createVersion({ name: 'm', source: 'models:/m-abc', modelId: 'm-abc' });
    assert.equal(v2.version, '2');
    assert.equal(v2.model_id, 'm-abc');
    f.registry.deleteVersion('m', 2, { reason: 'bad' });
    assert.equal(f.registry.createVersion({ name: 'm', source: 's' }).version, '3');
    rejects(() => f.registry.createVersion({ name: 'nope', source: 's' }), 'RESOURCE_DOES_NOT_EXIST');
    rejects(() => f.registry.createVersion({ name: 'm', source: '' }), 'INVALID_PARAMETER_VALUE');
    rejects(() => f.registry.getVersion('m', 2), 'RESOURCE_DOES_NOT_EXIST', /m:2 does not exist/);
    rejects(() => f.registry.getVersion('m', 'two'), 'INVALID_PARAMETER_VALUE');
    assert.deepEqual(
      f.registry.getModel('m').latest_versions?.map((v) => [v.version, v.current_stage]),
      [['3', 'None']],
    );
  });

  it('registers a run artifact with the run artifact URI as source', () => {
    seedRun(f.store, 'a'.repeat(32), ['model/MLmodel', 'model/model.pkl', 'metrics.json']);
    f.registry.createModel({ name: 'm' });
    const v = f.registry.createVersionFromRun('m', 'a'.repeat(32), 'model');
    assert.equal(v.source, `mlflow-artifacts:/0/${'a'.repeat(32)}/artifacts/model`);
    assert.equal(v.run_id, 'a'.repeat(32));
    rejects(() => f.registry.createVersionFromRun('m', 'a'.repeat(32), 'mod'), 'RESOURCE_DOES_NOT_EXIST', /no artifact at "mod"/);
    rejects(() => f.registry.createVersionFromRun('m', 'b'.repeat(32), 'model'), 'RESOURCE_DOES_NOT_EXIST', /Run b+ does not exist/);
    rejects(() => f.registry.createVersionFromLoggedModel('m', 'm-123'), 'RESOURCE_DOES_NOT_EXIST', /Logged model m-123/);
    f.store.write(() =>
      f.store.db
        .prepare("INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, source_run_id) VALUES ('m-123', '0', 'model', 'mlflow-artifacts:/0/models/m-123/artifacts', 1, 1, 'LOGGED_MODEL_READY', ?)")
        .run('a'.repeat(32)),
    );
    const fromLogged = f.registry.createVersionFromLoggedModel('m', 'm-123');
    assert.deepEqual([fromLogged.source, fromLogged.model_id, fromLogged.run_id], ['models:/m-123', 'm-123', 'a'.repeat(32)]);
  });

  it('registers a file into the content-addressed artifact store', async () => {
    f.registry.createModel({ name: 'm' });
    const file = join(f.dir, 'model.onnx');
    writeFileSync(file, 'onnx bytes');
    const v = await f.registry.createVersionFromFile('m', file, { schemaYaml: 'columns: {}\n' });
    assert.equal(v.source, `file://${file}`);
    const row = f.registry.getVersionRow('m', v.version);
    assert.equal(row.file_md5, md5Buffer('onnx bytes'));
    assert.equal(row.file_size, 10);
    assert.equal(row.schema_yaml, 'columns: {}\n');
    assert.ok(await f.objects.verify(row.file_md5));
    writeFileSync(file, 'changed later');
    const { stream, fileName } = f.registry.openVersionFile('m', v.version);
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), 'onnx bytes');
    assert.equal(fileName, 'model.onnx');
    assert.equal(f.registry.downloadUri('m', v.version), 'mlflow-artifacts:/registry/m/1/model.onnx');
    await assert.rejects(f.registry.createVersionFromFile('m', join(f.dir, 'missing.onnx')), /does not exist/);
    await assert.rejects(f.registry.createVersionFromFile('m', f.dir), /not a regular file/);
  });

  it('updates, renames and deletes models, keeping versions and aliases across a rename', () => {
    f.registry.createModel({ name: 'old' });
    f.registry.createVersion({ name: 'old', source: 's', tags: [{ key: 'a', value: 'b' }] });
    f.registry.setAlias('old', 'champion', 1, { reason: 'first' });
    f.tick();
    assert.equal(f.registry.updateModel('old', 'new text').description, 'new text');
    const renamed = f.registry.renameModel('old', 'new', { reason: 'naming' });
    assert.deepEqual(renamed.aliases, [{ alias: 'champion', version: '1' }]);
    assert.deepEqual(f.registry.getVersion('new', 1).tags, [{ key: 'a', value: 'b' }]);
    assert.deepEqual(f.registry.getVersion('new', 1).aliases, ['champion']);
    rejects(() => f.registry.getModel('old'), 'RESOURCE_DOES_NOT_EXIST');
    f.registry.createModel({ name: 'other' });
    rejects(() => f.registry.renameModel('new', 'other'), 'RESOURCE_ALREADY_EXISTS');
    f.registry.deleteModel('new', { reason: 'retired' });
    rejects(() => f.registry.getModel('new'), 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(f.store.db.prepare("SELECT count(*) AS n FROM model_versions WHERE name = 'new'").pluck().get(), 0);
    const history = f.registry.history('new');
    assert.deepEqual(history.map((e) => e.action), ['alias.set', 'model.rename', 'model.delete']);
    assert.deepEqual(JSON.parse(history[2]!.from!), { versions: [{ version: '1', stage: 'None' }], aliases: { champion: '1' } });
    assert.equal(history[2]!.reason, 'retired');
    assert.ok(f.registry.verify().ok);
  });

  it('sets and deletes tags; tag deletions are audited', () => {
    f.registry.createModel({ name: 'm' });
    f.registry.createVersion({ name: 'm', source: 's' });
    f.registry.setModelTag('m', 'owner', 'risk');
    f.registry.setVersionTag('m', '1', 'validated', 'yes');
    assert.deepEqual(f.registry.getModel('m').tags, [{ key: 'owner', value: 'risk' }]);
    f.registry.deleteModelTag('m', 'owner');
    f.registry.deleteVersionTag('m', 1, 'validated');
    rejects(() => f.registry.deleteModelTag('m', 'owner'), 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(f.registry.getModel('m').tags, undefined);
    assert.deepEqual(f.registry.history('m').map((e) => [e.action, e.subject, e.from]), [
      ['model.tag.delete', 'owner', 'risk'],
      ['version.tag.delete', '1:validated', 'yes'],
    ]);
  });

  it('transitions stages, archiving existing versions only for Staging and Production', () => {
    f.registry.createModel({ name: 'm' });
    for (let i = 0; i < 3; i++) f.registry.createVersion({ name: 'm', source: `s${i}` });
    f.registry.transitionStage('m', 1, 'production', false, { reason: 'first release' });
    f.registry.transitionStage('m', 2, 'Production', false);
    assert.equal(f.registry.transitionStage('m', 3, 'PRODUCTION', true, { reason: 'better AUC' }).current_stage, 'Production');
    assert.equal(f.registry.getVersion('m', 1).current_stage, 'Archived');
    assert.equal(f.registry.getVersion('m', 2).current_stage, 'Archived');
    rejects(() => f.registry.transitionStage('m', 1, 'Archived', true), 'INVALID_PARAMETER_VALUE', /archive_existing_versions/);
    rejects(() => f.registry.transitionStage('m', 1, 'Prod', false), 'INVALID_PARAMETER_VALUE', /Invalid stage/);
    assert.deepEqual(
      f.registry.latestVersions('m').map((v) => [v.current_stage, v.version]),
      [['Archived', '2'], ['Production', '3']],
    );
    assert.deepEqual(f.registry.latestVersions('m', ['production']).map((v) => v.version), ['3']);
    const entries = f.registry.history('m').map((e) => [e.subject, e.from, e.to]);
    assert.deepEqual(entries, [
      ['1', 'None', 'Production'],
      ['2', 'None', 'Production'],
      ['1', 'Production', 'Archived'],
      ['2', 'Production', 'Archived'],
      ['3', 'None', 'Production'],
    ]);
    assert.match(f.registry.history('m')[2]!.reason, /archived when version 3 moved to Production: better AUC/);
  });

  it('sets, moves, resolves and deletes aliases, auditing who, from, to and why', () => {
    f.registry.createModel({ name: 'm' });
    for (let i = 0; i < 3; i++) f.registry.createVersion({ name: 'm', source: `s${i}` });
    f.registry.setAlias('m', 'champion', '1', { reason: 'launch' });
    f.registry.setAlias('m', 'champion', '1', { reason: 'no-op' });
    f.registry.setAlias('m', 'champion', 2, { reason: 'retrained', actor: 'bob' });
    assert.equal(f.registry.versionByAlias('m', 'champion').version, '2');
    assert.equal(f.registry.resolve('m@champion').version, '2');
    assert.equal(f.registry.resolve('m:3').version, '3');
    assert.equal(f.registry.resolve('m').version, '3');
    assert.deepEqual(f.registry.getVersion('m', 2).aliases, ['champion']);
    rejects(() => f.registry.versionByAlias('m', 'challenger'), 'RESOURCE_DOES_NOT_EXIST');
    rejects(() => f.registry.setAlias('m', 'champion', 9), 'RESOURCE_DOES_NOT_EXIST');
    rejects(() => f.registry.setAlias('m', 'latest', 1), 'INVALID_PARAMETER_VALUE');
    f.registry.deleteAlias('m', 'champion', { reason: 'incident' });
    f.registry.deleteAlias('m', 'champion');
    rejects(() => f.registry.resolve('m@champion'), 'RESOURCE_DOES_NOT_EXIST');
    const history = f.registry.history('m');
    assert.deepEqual(history.map((e) => [e.action, e.actor, e.from, e.to, e.reason]), [
      ['alias.set', 'alice', null, '1', 'launch'],
      ['alias.set', 'bob', '1', '2', 'retrained'],
      ['alias.delete', 'alice', '2', null, 'incident'],
    ]);
  });

  it('deleting a version removes its aliases with audit entries', () => {
    f.registry.createModel({ name: 'm' });
    f.registry.createVersion({ name: 'm', source: 's' });
    f.registry.setAlias('m', 'champion', 1);
    f.registry.deleteVersion('m', 1, { reason: 'leak' });
    assert.deepEqual(f.registry.history('m').slice(1).map((e) => [e.action, e.subject, e.reason]), [
      ['alias.delete', 'champion', 'version 1 deleted: leak'],
      ['version.delete', '1', 'leak'],
    ]);
    assert.ok(f.registry.verify('m').ok);
  });

  it('rolls an alias back through its previous holders', () => {
    f.registry.createModel({ name: 'm' });
    for (let i = 0; i < 4; i++) f.registry.createVersion({ name: 'm', source: `s${i}` });
    rejects(() => f.registry.rollback('m', 'champion', { reason: 'x' }), 'INVALID_STATE', /no earlier holder/);
    f.registry.setAlias('m', 'champion', 1);
    f.registry.setAlias('m', 'champion', 2);
    f.registry.setAlias('m', 'champion', 3);
    rejects(() => f.registry.rollback('m', 'champion', { reason: ' ' }), 'INVALID_PARAMETER_VALUE', /needs a reason/);
    assert.equal(f.registry.rollback('m', 'champion', { reason: 'v3 drifts' }).version, '2');
    assert.equal(f.registry.rollback('m', 'champion', { reason: 'v2 too' }).version, '1');
    rejects(() => f.registry.rollback('m', 'champion', { reason: 'again' }), 'INVALID_STATE', /was not set/);
    f.registry.setAlias('m', 'champion', 4);
    assert.equal(f.registry.rollback('m', 'champion', { reason: 'v4 broken' }).version, '1');
    const last = f.registry.history('m').at(-1)!;
    assert.deepEqual([last.action, last.from, last.to, last.reason], ['alias.rollback', '4', '1', 'v4 broken']);
    f.registry.setAlias('m', 'champion', 2);
    f.registry.deleteVersion('m', 1);
    rejects(() => f.registry.rollback('m', 'champion', { reason: 'x' }), 'INVALID_STATE', /deleted/);
    assert.ok(f.registry.verify().ok);
  });

  it('rolls back only within the model that holds the name now', () => {
    f.registry.createModel({ name: 'm' });
    for (let i = 0; i < 2; i++) f.registry.createVersion({ name: 'm', source: `old${i}` });
    f.registry.setAlias('m', 'champion', 1);
    f.registry.setAlias('m', 'champion', 2);
    f.registry.deleteModel('m', { reason: 'start over' });
    f.registry.createModel({ name: 'm' });
    for (let i = 0; i < 3; i++) f.registry.createVersion({ name: 'm', source: `new${i}` });
    f.registry.setAlias('m', 'champion', 3);
    rejects(() => f.registry.rollback('m', 'champion', { reason: 'x' }), 'INVALID_STATE', /was not set/);

    // A model renamed away leaves its history behind; the renamed model keeps it under its new name.
    f.registry.createModel({ name: 'a' });
    for (let i = 0; i < 2; i++) f.registry.createVersion({ name: 'a', source: `a${i}` });
    f.registry.setAlias('a', 'live', 1);
    f.registry.setAlias('a', 'live', 2);
    f.registry.renameModel('a', 'b');
    f.registry.createModel({ name: 'a' });
    f.registry.createVersion({ name: 'a', source: 'fresh' });
    f.registry.setAlias('a', 'live', 1);
    rejects(() => f.registry.rollback('a', 'live', { reason: 'x' }), 'INVALID_STATE', /was not set/);
    assert.equal(f.registry.rollback('b', 'live', { reason: 'back to 1' }).version, '1');
    assert.ok(f.registry.verify().ok, JSON.stringify(f.registry.verify().problems));
  });

  it('logs one change per write on the models topic', () => {
    const follower = new ChangeFollower(f.store);
    f.registry.createModel({ name: 'm' });
    f.registry.createVersion({ name: 'm', source: 's' });
    f.registry.renameModel('m', 'n');
    const changes = follower.poll().map((c) => [c.topic, c.key]);
    assert.deepEqual(changes, [['models', 'm'], ['models', 'm'], ['models', 'm'], ['models', 'n']]);
    follower.close();
  });
});
