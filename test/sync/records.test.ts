import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { pullRecords, pushRecords, SyncBehindError, type SyncContext } from '../../src/engine/sync';
import { auditHash } from '../../src/engine/registry';
import { openFixture } from '../registry/helpers';
import { fsKind, s3Kind, type RemoteKind } from '../versioning/helpers/remote-kinds';
import { S3_KEYS, startS3, type S3Server } from '../versioning/helpers/s3';

type F = ReturnType<typeof openFixture>;

Object.assign(process.env, S3_KEYS);
let s3: S3Server;
before(async () => {
  s3 = await startS3();
});
after(() => s3.close());

let prefixes = 0;
const kinds: [string, () => { kind: RemoteKind; cleanup: () => void }][] = [
  [
    'a filesystem remote',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-remote-'));
      return { kind: fsKind(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ['an S3 remote', () => ({ kind: s3Kind(s3, `records-${++prefixes}`), cleanup: () => undefined })],
];

for (const [label, make] of kinds) describe(`syncing registry records through ${label}`, () => {
  let a: F;
  let b: F;
  let kind: RemoteKind;
  let cleanup: () => void;
  let remote: SyncContext['remote'];
  const ctx = (f: F, r: SyncContext['remote']): SyncContext => ({ store: f.store, artifacts: f.objects, stateDir: join(f.dir, '.slipway'), remote: r });
  beforeEach(() => {
    a = openFixture();
    b = openFixture();
    ({ kind, cleanup } = make());
    remote = kind.store();
  });
  afterEach(() => {
    a.close();
    b.close();
    cleanup();
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

  /** The audit entries' keys of the first origin, in order. */
  const auditFiles = async () => {
    const keys = await kind.keys('slipway/audit/');
    const origin = keys[0]!.split('/')[2]!;
    return keys.filter((k) => k.split('/')[2] === origin);
  };

  it('ignores a temporary file left by a killed push, and a second push writes nothing', async () => {
    await seed();
    const origin = (await auditFiles())[0]!.split('/')[2]!;
    await kind.write(`slipway/audit/${origin}/.tmp-deadbeef`, '{"half');
    assert.deepEqual(await pushRecords(ctx(a, remote)), { runs: 0, artifacts: 0, auditEntries: 0, snapshotWritten: false });
    const pulled = await pullRecords(ctx(b, remote));
    assert.equal(pulled.registry.appendedEntries, 2);
    assert.equal(b.registry.resolve('m@champion').version, '2');
  });

  it('fails a pull when an entry is missing from the middle of an origin', async () => {
    await seed();
    await kind.remove((await auditFiles())[0]!);
    await assert.rejects(pullRecords(ctx(b, remote)), /is not audit entry 1 of origin/);
    assert.equal(b.registry.history().length, 0);
  });

  it('fails a pull when entries are swapped', async () => {
    await seed();
    const [one, two] = (await auditFiles()) as [string, string];
    const [first, second] = [(await kind.read(one))!, (await kind.read(two))!];
    await kind.write(one, second);
    await kind.write(two, first);
    await assert.rejects(pullRecords(ctx(b, remote)), /is not audit entry 1 of origin/);
  });

  it('detects an entry this store already pulled that was re-signed in the remote', async () => {
    await seed();
    await pullRecords(ctx(b, remote));
    // A consistent rewrite of the last entry (new reason, new hash) still differs from the entry b holds.
    const last = (await auditFiles())[1]!;
    const entry = JSON.parse((await kind.read(last))!.toString('utf8')) as Record<string, unknown>;
    const forged = { ...entry, reason: 'forged' } as unknown as Parameters<typeof auditHash>[0] & { hash?: string };
    delete forged.hash;
    await kind.write(last, JSON.stringify({ ...forged, hash: auditHash(forged) }));
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
