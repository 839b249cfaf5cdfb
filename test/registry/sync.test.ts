import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { appendForeignAudit, auditCursor, exportAudit, findSyncConflicts, registrySnapshot } from '../../src/engine/registry';
import { md5Buffer } from '../../src/engine/objects';
import { openFixture } from './helpers';

type F = ReturnType<typeof openFixture>;

describe('registry snapshot and sync conflicts', () => {
  let a: F;
  let b: F;
  beforeEach(() => {
    a = openFixture();
    b = openFixture();
    for (const f of [a, b]) {
      f.registry.createModel({ name: 'm', tags: [{ key: 'team', value: 'risk' }] });
      f.registry.createVersion({ name: 'm', source: 'mlflow-artifacts:/1/r1/artifacts/model', runId: 'r1', tags: [{ key: 'k', value: 'v' }] });
      f.registry.createVersion({ name: 'm', source: 'models:/m-2', modelId: 'm-2' });
    }
  });
  afterEach(() => {
    a.close();
    b.close();
  });

  it('snapshots models, versions, tags, aliases, stages and file hashes in a stable order', async () => {
    a.registry.setAlias('m', 'champion', 2);
    a.registry.transitionStage('m', 1, 'Production', false);
    writeFileSync(join(a.dir, 'x.onnx'), 'bytes');
    a.registry.createModel({ name: 'file-model' });
    await a.registry.createVersionFromFile('file-model', join(a.dir, 'x.onnx'));
    const snap = registrySnapshot(a.store);
    assert.deepEqual(snap.models.map((m) => m.name), ['file-model', 'm']);
    const m = snap.models[1]!;
    assert.deepEqual([m.tags, m.aliases, m.nextVersion], [{ team: 'risk' }, { champion: 2 }, 3]);
    assert.deepEqual(m.versions.map((v) => [v.version, v.stage, v.source, v.runId, v.modelId, v.tags]), [
      [1, 'Production', 'mlflow-artifacts:/1/r1/artifacts/model', 'r1', null, { k: 'v' }],
      [2, 'None', 'models:/m-2', null, 'm-2', {}],
    ]);
    assert.deepEqual(snap.models[0]!.versions[0]!.file, { md5: md5Buffer('bytes'), size: 5, name: 'x.onnx' });
    assert.equal(JSON.stringify(registrySnapshot(a.store)), JSON.stringify(snap));
  });

  it('reports an alias moved on both sides since the last sync, and nothing when only one side moved it', () => {
    const syncedA = auditCursor(a.store);
    const syncedB = auditCursor(b.store);
    a.registry.setAlias('m', 'champion', 1, { reason: 'here' });
    assert.deepEqual(findSyncConflicts(exportAudit(a.store, syncedA), exportAudit(b.store, syncedB), registrySnapshot(a.store), registrySnapshot(b.store)), []);
    b.registry.setAlias('m', 'champion', 2, { reason: 'there', actor: 'bob' });
    b.registry.transitionStage('m', 2, 'Staging', false);
    a.registry.transitionStage('m', 2, 'Production', false);
    const conflicts = findSyncConflicts(exportAudit(a.store, syncedA), exportAudit(b.store, syncedB), registrySnapshot(a.store), registrySnapshot(b.store));
    assert.deepEqual(conflicts.map((c) => [c.kind, c.model, c.subject]), [['alias', 'm', 'champion'], ['stage', 'm', '2']]);
    assert.match(conflicts[0]!.message, /alias m@champion was changed here \(- → 1 by alice\) and on the remote \(- → 2 by bob\)/);
  });

  it('does not count entries both sides already share as a conflict', () => {
    a.registry.setAlias('m', 'champion', 1);
    const shared = exportAudit(a.store);
    appendForeignAudit(b.store, shared);
    assert.deepEqual(findSyncConflicts(shared, shared, registrySnapshot(a.store), registrySnapshot(a.store)), []);
  });

  it('reports one NAME:VERSION registered with two different sources', () => {
    a.registry.createVersion({ name: 'm', source: 'mlflow-artifacts:/1/r3/artifacts/model' });
    b.registry.createVersion({ name: 'm', source: 'mlflow-artifacts:/1/r9/artifacts/model' });
    const conflicts = findSyncConflicts([], [], registrySnapshot(a.store), registrySnapshot(b.store));
    assert.deepEqual(conflicts.map((c) => [c.kind, c.subject]), [['source', '3']]);
    assert.match(conflicts[0]!.message, /m:3 is mlflow-artifacts:\/1\/r3\/artifacts\/model here but mlflow-artifacts:\/1\/r9\/artifacts\/model on the remote/);
  });
});
