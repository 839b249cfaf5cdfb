import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pullRecords, pushRecords, SyncBehindError } from '../../src/engine/sync';
import { auditHash } from '../../src/engine/registry';
import { bothKinds } from '../versioning/helpers/remote-kinds';
import { s3ForFile } from '../versioning/helpers/s3';
import { syncPair } from './helpers';

const s3 = s3ForFile();

for (const [label, make] of bothKinds(s3, 'records')) describe(`syncing registry records through ${label}`, () => {
  const s = syncPair(make);

  async function seed(): Promise<void> {
    s.a.registry.createModel({ name: 'm' });
    s.a.registry.createVersion({ name: 'm', source: 's1' });
    s.a.registry.createVersion({ name: 'm', source: 's2' });
    s.a.registry.setAlias('m', 'champion', 1, { reason: 'one' });
    s.a.tick();
    s.a.registry.setAlias('m', 'champion', 2, { reason: 'two' });
    await pushRecords(s.ctx(s.a));
  }

  /** The audit entries' keys of the first origin, in order. */
  const auditFiles = async () => {
    const keys = await s.kind.keys('slipway/audit/');
    const origin = keys[0]!.split('/')[2]!;
    return keys.filter((k) => k.split('/')[2] === origin);
  };

  it('ignores a temporary file left by a killed push, and a second push writes nothing', async () => {
    await seed();
    const origin = (await auditFiles())[0]!.split('/')[2]!;
    await s.kind.write(`slipway/audit/${origin}/.tmp-deadbeef`, '{"half');
    assert.deepEqual(await pushRecords(s.ctx(s.a)), { runs: 0, artifacts: 0, auditEntries: 0, snapshotWritten: false });
    const pulled = await pullRecords(s.ctx(s.b));
    assert.equal(pulled.registry.appendedEntries, 2);
    assert.equal(s.b.registry.resolve('m@champion').version, '2');
  });

  it('fails a pull when an entry is missing from the middle of an origin', async () => {
    await seed();
    await s.kind.remove((await auditFiles())[0]!);
    await assert.rejects(pullRecords(s.ctx(s.b)), /is not audit entry 1 of origin/);
    assert.equal(s.b.registry.history().length, 0);
  });

  it('fails a pull when entries are swapped', async () => {
    await seed();
    const [one, two] = (await auditFiles()) as [string, string];
    const [first, second] = [(await s.kind.read(one))!, (await s.kind.read(two))!];
    await s.kind.write(one, second);
    await s.kind.write(two, first);
    await assert.rejects(pullRecords(s.ctx(s.b)), /is not audit entry 1 of origin/);
  });

  it('detects an entry this store already pulled that was re-signed in the remote', async () => {
    await seed();
    await pullRecords(s.ctx(s.b));
    // A consistent rewrite of the last entry (new reason, new hash) still differs from the entry b holds.
    const last = (await auditFiles())[1]!;
    const entry = JSON.parse((await s.kind.read(last))!.toString('utf8')) as Record<string, unknown>;
    const forged = { ...entry, reason: 'forged' } as unknown as Parameters<typeof auditHash>[0] & { hash?: string };
    delete forged.hash;
    await s.kind.write(last, JSON.stringify({ ...forged, hash: auditHash(forged) }));
    await assert.rejects(pullRecords(s.ctx(s.b)), /histories have forked/);
  });

  it('refuses a push from a store that has not pulled the remote, and allows it after pulling', async () => {
    await seed();
    s.b.registry.createModel({ name: 'other' });
    await assert.rejects(pushRecords(s.ctx(s.b)), SyncBehindError);
    await pullRecords(s.ctx(s.b));
    const pushed = await pushRecords(s.ctx(s.b));
    assert.equal(pushed.snapshotWritten, true);
    const back = await pullRecords(s.ctx(s.a));
    assert.deepEqual(back.registry.addedModels, ['other']);
  });

  it('fails a pull naming one NAME:VERSION registered with two sources', async () => {
    await seed();
    s.b.registry.createModel({ name: 'm' });
    s.b.registry.createVersion({ name: 'm', source: 'elsewhere' });
    const result = await pullRecords(s.ctx(s.b));
    assert.deepEqual(result.registry.conflicts.map((c) => [c.kind, c.model, c.subject]), [['source', 'm', '1']]);
  });
});
