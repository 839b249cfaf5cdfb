import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { auditHash, GENESIS_HASH } from '../../src/engine/registry';
import { openFixture } from './helpers';

type F = ReturnType<typeof openFixture>;

function seedHistory(f: F): void {
  f.registry.createModel({ name: 'm' });
  for (let i = 0; i < 3; i++) f.registry.createVersion({ name: 'm', source: `s${i}` });
  f.registry.setAlias('m', 'champion', 1, { reason: 'launch' });
  f.registry.transitionStage('m', 1, 'Production', false, { reason: 'launch' });
  f.registry.setAlias('m', 'champion', 2, { reason: 'retrained' });
  f.registry.setAlias('m', 'champion', 3, { reason: 'retrained again' });
}

describe('registry audit log', () => {
  let f: F;
  beforeEach(() => {
    f = openFixture();
  });
  afterEach(() => f.close());

  it('chains entries by hash within the store origin', () => {
    seedHistory(f);
    const entries = f.registry.history();
    assert.equal(entries.length, 4);
    assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4]);
    assert.equal(entries[0]!.prevHash, GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) assert.equal(entries[i]!.prevHash, entries[i - 1]!.hash);
    for (const e of entries) assert.equal(auditHash(e), e.hash);
    assert.ok(new Set(entries.map((e) => e.origin)).size === 1 && /^[0-9a-f]{32}$/.test(entries[0]!.origin));
    assert.deepEqual(f.registry.verify(), { ok: true, checked: 4, problems: [] });
  });

  it('rejects UPDATE and DELETE through its triggers', () => {
    seedHistory(f);
    assert.throws(() => f.store.db.prepare("UPDATE registry_audit SET reason = 'edited' WHERE seq = 2").run(), /append-only: entries cannot be changed/);
    assert.throws(() => f.store.db.prepare('DELETE FROM registry_audit WHERE seq = 2').run(), /append-only: entries cannot be deleted/);
    assert.equal(f.registry.history()[1]!.reason, 'launch');
  });

  it('detects a row edited with raw SQL after the trigger was dropped, naming the entry', () => {
    seedHistory(f);
    f.store.db.exec('DROP TRIGGER registry_audit_no_update');
    f.store.db.prepare("UPDATE registry_audit SET to_value = '2', reason = 'approved by board' WHERE seq = 2").run();
    const result = f.registry.verify('m');
    assert.equal(result.ok, false);
    const messages = result.problems.map((p) => p.message);
    assert.ok(messages.some((m) => /entry 2 of origin .* was changed after it was written/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /trigger registry_audit_no_update is missing/.test(m)), messages.join('\n'));
    assert.equal(result.problems.find((p) => /was changed/.test(p.message))!.seq, 2);
  });

  it('detects a deleted entry in the middle of the chain', () => {
    seedHistory(f);
    f.store.db.exec('DROP TRIGGER registry_audit_no_delete');
    f.store.db.prepare('DELETE FROM registry_audit WHERE seq = 3').run();
    const messages = f.registry.verify().problems.map((p) => p.message);
    assert.ok(messages.some((m) => /entries 3\.\.3 were removed/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /does not link to the entry before it/.test(m)), messages.join('\n'));
  });

  it('detects a rewrite that recomputed every hash, by replaying the chain against the registry', () => {
    seedHistory(f);
    const db = f.store.db;
    // Cut the last alias move off the end and hide it from the chain: the hashes stay consistent.
    db.exec('DROP TRIGGER registry_audit_no_delete');
    db.prepare('DELETE FROM registry_audit WHERE seq = 4').run();
    db.exec(`CREATE TRIGGER registry_audit_no_delete BEFORE DELETE ON registry_audit BEGIN SELECT RAISE(ABORT, 'x'); END;`);
    const messages = f.registry.verify().problems.map((p) => p.message);
    assert.deepEqual(messages, ['alias m@champion points to version 3, but the audit log says version 2']);
  });

  it('detects aliases and stages changed without an audit entry', () => {
    seedHistory(f);
    f.store.db.prepare("UPDATE model_versions SET current_stage = 'Archived' WHERE version = 1").run();
    f.store.db.prepare("INSERT INTO registered_model_aliases (name, alias, version) VALUES ('m', 'shadow', 2)").run();
    const messages = f.registry.verify().problems.map((p) => p.message).sort();
    assert.deepEqual(messages, [
      'alias m@shadow points to version 2, but the audit log says it was never set',
      'version m:1 is in stage Archived, but the audit log says Production',
    ]);
  });

  it('keeps one valid chain when several processes move the same alias at once', async () => {
    f.registry.createModel({ name: 'm' });
    for (let i = 0; i < 3; i++) f.registry.createVersion({ name: 'm', source: `s${i}` });
    f.store.close();
    const workers = 4;
    const perWorker = 40;
    const results = await Promise.all(
      Array.from({ length: workers }, (_, worker) => runWorker(f.dbPath, worker, perWorker)),
    );
    const { Store } = await import('../../src/engine/store');
    const { ModelRegistry } = await import('../../src/engine/registry');
    const store = Store.open(f.dbPath);
    try {
      const registry = new ModelRegistry(store);
      const verification = registry.verify();
      assert.deepEqual(verification.problems, []);
      const entries = registry.history('m');
      const aliasEntries = entries.filter((e) => e.action === 'alias.set');
      assert.equal(results.length, workers);
      assert.ok(aliasEntries.length >= workers, 'every worker moved the alias');
      assert.deepEqual(new Set(aliasEntries.map((e) => e.actor)), new Set(['worker-0', 'worker-1', 'worker-2', 'worker-3']));
      assert.deepEqual(entries.map((e) => e.seq), entries.map((_, i) => i + 1));
      // Each recorded move starts where the previous one ended: no lost or interleaved update.
      for (let i = 1; i < aliasEntries.length; i++) assert.equal(aliasEntries[i]!.from, aliasEntries[i - 1]!.to);
      assert.equal(registry.versionByAlias('m', 'champion').version, aliasEntries.at(-1)!.to);
    } finally {
      store.close();
    }
  });
});

function runWorker(dbPath: string, worker: number, count: number): Promise<{ worker: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'alias-worker.ts'), dbPath, String(worker), String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as { worker: string });
      else reject(new Error(`worker ${worker} exited with ${code}: ${err}`));
    });
  });
}
