import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pullRecords, pushRecords, RemoteLayout, SyncBehindError, type SyncContext } from '../../src/engine/sync';
import { auditHash } from '../../src/engine/registry';
import { openFixture } from '../registry/helpers';

type F = ReturnType<typeof openFixture>;

const ctx = (f: F, remoteRoot: string): SyncContext => ({ store: f.store, artifacts: f.objects, stateDir: join(f.dir, '.slipway'), remote: remoteRoot });

describe('syncing registry records through a filesystem remote', () => {
  let a: F;
  let b: F;
  let remote: string;
  beforeEach(() => {
    a = openFixture();
    b = openFixture();
    remote = mkdtempSync(join(tmpdir(), 'slipway-remote-'));
  });
  afterEach(() => {
    a.close();
    b.close();
    rmSync(remote, { recursive: true, force: true });
  });

  async function seed(): Promise<void> {
    a.registry.createModel({ name: 'm' });
    a.registry.createVersion({ name: 'm', source: 's1' });
    a.registry.createVersion({ name: 'm', source: 's2' });
    a.registry.setAlias('m', 'champion', 1, { reason: 'one' });
    a.tick();
    a.registry.setAlias('m', 'champion', 2, { reason: 'two' });
    await pushRecords(ctx(a, remote));
  }

  const auditFiles = () => {
    const dir = new RemoteLayout(remote).auditDir;
    const origin = readdirSync(dir)[0]!;
    return readdirSync(join(dir, origin)).map((n) => join(dir, origin, n));
  };

  it('ignores a temporary file left by a killed push, and a second push writes nothing', async () => {
    await seed();
    writeFileSync(join(new RemoteLayout(remote).auditDir, readdirSync(new RemoteLayout(remote).auditDir)[0]!, '.tmp-deadbeef'), '{"half');
    assert.deepEqual(await pushRecords(ctx(a, remote)), { runs: 0, artifacts: 0, auditEntries: 0, snapshotWritten: false });
    const pulled = await pullRecords(ctx(b, remote));
    assert.equal(pulled.registry.appendedEntries, 2);
    assert.equal(b.registry.resolve('m@champion').version, '2');
  });

  it('fails a pull when an entry is missing from the middle of an origin', async () => {
    await seed();
    rmSync(auditFiles()[0]!);
    await assert.rejects(pullRecords(ctx(b, remote)), /is not audit entry 1 of origin/);
    assert.equal(b.registry.history().length, 0);
  });

  it('fails a pull when entries are swapped', async () => {
    await seed();
    const [one, two] = auditFiles() as [string, string];
    renameSync(one, `${one}.x`);
    renameSync(two, one);
    renameSync(`${one}.x`, two);
    await assert.rejects(pullRecords(ctx(b, remote)), /is not audit entry 1 of origin/);
  });

  it('detects an entry this store already pulled that was re-signed in the remote', async () => {
    await seed();
    await pullRecords(ctx(b, remote));
    // A consistent rewrite of the last entry (new reason, new hash) still differs from the entry b holds.
    const last = auditFiles()[1]!;
    const entry = JSON.parse(readFileSync(last, 'utf8')) as Record<string, unknown>;
    const forged = { ...entry, reason: 'forged' } as unknown as Parameters<typeof auditHash>[0] & { hash?: string };
    delete forged.hash;
    writeFileSync(last, JSON.stringify({ ...forged, hash: auditHash(forged) }));
    await assert.rejects(pullRecords(ctx(b, remote)), /histories have forked/);
  });

  it('refuses a push from a store that has not pulled the remote, and allows it after pulling', async () => {
    await seed();
    b.registry.createModel({ name: 'other' });
    await assert.rejects(pushRecords(ctx(b, remote)), SyncBehindError);
    await pullRecords(ctx(b, remote));
    const pushed = await pushRecords(ctx(b, remote));
    assert.equal(pushed.snapshotWritten, true);
    const back = await pullRecords(ctx(a, remote));
    assert.deepEqual(back.registry.addedModels, ['other']);
  });

  it('fails a pull naming one NAME:VERSION registered with two sources', async () => {
    await seed();
    b.registry.createModel({ name: 'm' });
    b.registry.createVersion({ name: 'm', source: 'elsewhere' });
    const result = await pullRecords(ctx(b, remote));
    assert.deepEqual(result.registry.conflicts.map((c) => [c.kind, c.model, c.subject]), [['source', 'm', '1']]);
  });
});
