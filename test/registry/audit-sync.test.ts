import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { appendForeignAudit, auditCursor, auditHash, exportAudit } from '../../src/engine/registry';
import type { RegistryAuditEntry } from '../../src/shared/mlflow-registry';
import { SlipwayError } from '../../src/engine/errors';
import { openFixture } from './helpers';

type F = ReturnType<typeof openFixture>;

function seed(f: F, alias = 'champion'): void {
  f.registry.createModel({ name: 'm' });
  f.registry.createVersion({ name: 'm', source: 's1' });
  f.registry.createVersion({ name: 'm', source: 's2' });
  f.registry.setAlias('m', alias, 1, { reason: 'first' });
  f.registry.setAlias('m', alias, 2, { reason: 'second' });
}

describe('audit log sync between stores', () => {
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

  it('exports what a remote lacks and appends it elsewhere unchanged, idempotently', () => {
    seed(a);
    seed(b, 'shadow');
    const entries = exportAudit(a.store);
    assert.equal(entries.length, 2);
    assert.deepEqual(appendForeignAudit(b.store, entries), { appended: 2, skipped: 0 });
    assert.deepEqual(appendForeignAudit(b.store, entries), { appended: 0, skipped: 2 });
    const pulled = b.registry.history().filter((e) => e.origin === entries[0]!.origin);
    assert.deepEqual(pulled, entries);
    const chainProblems = b.registry.verify().problems.filter((p) => p.kind !== 'state');
    assert.deepEqual(chainProblems, []);
    // b has the log but not a's registry state: verification says so instead of passing silently.
    assert.ok(b.registry.verify().problems.some((p) => p.kind === 'state' && /m@champion/.test(p.message)));

    a.registry.setAlias('m', 'champion', 1, { reason: 'third' });
    const cursor = auditCursor(b.store);
    const more = exportAudit(a.store, cursor);
    assert.deepEqual(more.map((e) => [e.seq, e.reason]), [[3, 'third']]);
    assert.equal(appendForeignAudit(b.store, more).appended, 1);
  });

  it('refuses changed, forked, out-of-order and self-claimed entries, writing nothing', () => {
    seed(a);
    seed(b);
    const entries = exportAudit(a.store);
    const refuse = (list: typeof entries, message: RegExp) =>
      assert.throws(() => appendForeignAudit(b.store, list), (e: unknown) => e instanceof SlipwayError && e.code === 'INVALID_STATE' && message.test(e.message));
    refuse([{ ...entries[0]!, reason: 'rewritten' }], /does not match its hash/);
    refuse([entries[1]!], /does not continue the chain .*expected entry 1/);
    const resign = (e: RegistryAuditEntry, change: Partial<RegistryAuditEntry>): RegistryAuditEntry => {
      const { hash: _old, ...unsigned } = { ...e, ...change };
      return { ...unsigned, hash: auditHash(unsigned) };
    };
    const own = exportAudit(b.store)[1]!;
    refuse([resign(own, { seq: 3, prevHash: own.hash, reason: 'planted' })], /claims this store's origin/);
    appendForeignAudit(b.store, entries.slice(0, 1));
    // A different second entry for the same origin and sequence is a fork.
    const forged = resign(entries[1]!, { reason: 'other history' });
    refuse([forged, entries[1]!], /forked/);
    appendForeignAudit(b.store, entries);
    refuse([forged], /forked/);
    assert.equal(b.registry.history().length, 4);
    assert.throws(() => appendForeignAudit(b.store, [{ ...entries[0]!, action: 'alias.explode' as never }]), /malformed/);
  });
});
