import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { applyPull, auditCursor, exportAudit, registrySnapshot, type PullResult } from '../../src/engine/registry';
import type { RegistrySnapshot } from '../../src/shared/mlflow-registry';
import { openFixture } from './helpers';

type F = ReturnType<typeof openFixture>;

/** `to` pulls from `from`: the entries `to` lacks, and `to`'s own changes that `from` has not seen. */
function pull(to: F, from: F): PullResult {
  return applyPull(to.store, {
    remote: registrySnapshot(from.store),
    remoteNew: exportAudit(from.store, auditCursor(to.store)),
    localNew: exportAudit(to.store, auditCursor(from.store)),
  });
}

/** The parts of a snapshot both sides must agree on after a sync. */
function essence(snapshot: RegistrySnapshot): unknown {
  return snapshot.models.map((m) => ({
    name: m.name,
    tags: m.tags,
    aliases: m.aliases,
    versions: m.versions.map((v) => ({ version: v.version, source: v.source, stage: v.stage, tags: v.tags, file: v.file })),
  }));
}

describe('pulling registry state and audit entries from another store', () => {
  let a: F;
  let b: F;
  beforeEach(() => {
    a = openFixture();
    b = openFixture();
  });
  afterEach(() => {
    a.close();
    b.close();
  });

  it('brings a fresh store to the same models, aliases and stages, and both verify', () => {
    a.registry.createModel({ name: 'm', tags: [{ key: 'team', value: 'risk' }] });
    a.registry.createVersion({ name: 'm', source: 's1', tags: [{ key: 'k', value: 'v' }] });
    a.registry.createVersion({ name: 'm', source: 's2' });
    a.registry.setAlias('m', 'champion', 1, { reason: 'launch' });
    a.registry.transitionStage('m', 1, 'Production', false, { reason: 'launch' });

    const result = pull(b, a);
    assert.deepEqual([result.conflicts, result.appendedEntries, result.addedModels, result.addedVersions], [[], 2, ['m'], ['m:1', 'm:2']]);
    assert.deepEqual(essence(registrySnapshot(b.store)), essence(registrySnapshot(a.store)));
    assert.deepEqual(b.registry.verify().problems, []);
    assert.equal(b.registry.createVersion({ name: 'm', source: 's3' }).version, '3');

    // b moves the alias and deletes a version; a pulls and sees it, with b's origin in its log.
    b.registry.setAlias('m', 'champion', 3, { reason: 'retrained', actor: 'bob' });
    b.registry.deleteVersion('m', 2, { reason: 'leaked test data', actor: 'bob' });
    const back = pull(a, b);
    assert.deepEqual(back.conflicts, []);
    assert.deepEqual(essence(registrySnapshot(a.store)), essence(registrySnapshot(b.store)));
    assert.deepEqual(a.registry.verify().problems, []);
    assert.equal(a.registry.resolve('m@champion').version, '3');
    const last = a.registry.history('m').at(-1)!;
    assert.deepEqual([last.action, last.actor, last.reason], ['version.delete', 'bob', 'leaked test data']);
    assert.notEqual(last.origin, a.registry.history('m')[0]!.origin);

    // Pulling again changes nothing.
    assert.deepEqual(pull(a, b), { conflicts: [], appendedEntries: 0, addedModels: [], addedVersions: [] });
  });

  it('refuses, writing nothing, when both sides moved the same alias or registered one version differently', () => {
    a.registry.createModel({ name: 'm' });
    a.registry.createVersion({ name: 'm', source: 's1' });
    a.registry.createVersion({ name: 'm', source: 's2' });
    pull(b, a);
    a.registry.setAlias('m', 'champion', 1, { reason: 'here' });
    b.registry.setAlias('m', 'champion', 2, { reason: 'there' });
    const before = a.registry.history().length;
    const result = pull(a, b);
    assert.deepEqual(result.conflicts.map((c) => [c.kind, c.subject]), [['alias', 'champion']]);
    assert.equal(result.appendedEntries, 0);
    assert.equal(a.registry.history().length, before);
    assert.equal(a.registry.resolve('m@champion').version, '1');

    a.registry.createVersion({ name: 'm', source: 'from-a' });
    b.registry.createVersion({ name: 'm', source: 'from-b' });
    assert.ok(pull(b, a).conflicts.some((c) => c.kind === 'source' && c.subject === '3'));
  });
});
