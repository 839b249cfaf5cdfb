import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { ObjectStore } from '../../src/engine/objects';
import { DataRepo, add, addRemote, push, resolveRemote } from '../../src/engine/versioning';
import { makeProject, write } from './helpers/project';
import { fetchReportsMissing, killedPushResumes, pushCloneAndPull, transfersVerifyHashes } from './helpers/remote-bodies';
import { fsKind } from './helpers/remote-kinds';

async function objectsIn(root: string): Promise<string[]> {
  const out: string[] = [];
  for await (const oid of new ObjectStore(root).list()) out.push(oid);
  return out.sort();
}

function remoteDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-remote-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

void test('remote add writes .dvc/config in a DVC project and slipway.yaml otherwise', async (t) => {
  const dvc = makeProject({ dvc: true });
  t.after(dvc.cleanup);
  await addRemote(dvc.root, 'storage', '/mnt/share', { isDefault: true });
  assert.equal(readFileSync(join(dvc.root, '.dvc', 'config'), 'utf8'), `['remote "storage"']\n    url = /mnt/share\n[core]\n    remote = storage\n`);
  assert.equal(resolveRemote(dvc.root).store.location, '/mnt/share');
  await assert.rejects(addRemote(dvc.root, 'storage', '/x'), /already exists/);

  const plain = makeProject();
  t.after(plain.cleanup);
  writeFileSync(join(plain.root, 'slipway.yaml'), 'version: 1 # project\ntracking:\n  experiment: credit\n');
  await addRemote(plain.root, 'team', '../shared-store');
  await addRemote(plain.root, 'backup', '/backup', { isDefault: true });
  assert.equal(
    readFileSync(join(plain.root, 'slipway.yaml'), 'utf8'),
    'version: 1 # project\ntracking:\n  experiment: credit\nremotes:\n  team:\n    url: ../shared-store\n  backup:\n    url: /backup\n    default: true\n',
  );
  assert.equal(resolveRemote(plain.root).name, 'backup');
  assert.equal(resolveRemote(plain.root, 'team').store.location, join(plain.root, '..', 'shared-store'));
  assert.throws(() => resolveRemote(plain.root, 'nope'), /No remote named "nope" \(configured: team, backup\)/);
  writeFileSync(join(plain.root, 'slipway.yaml'), 'version: 1\nremotes:\n  s3:\n    url: s3://bucket/path/\n    endpointurl: http://127.0.0.1:9000\n');
  const s3 = resolveRemote(plain.root).store;
  assert.deepEqual([s3.kind, s3.location, s3.where('files/md5/ab/cd')], ['s3', 's3://bucket/path', 's3://bucket/path/files/md5/ab/cd']);
  writeFileSync(join(plain.root, 'slipway.yaml'), 'version: 1\nremotes:\n  gcs:\n    url: gs://bucket/path\n');
  assert.throws(() => resolveRemote(plain.root), /only filesystem and s3:\/\/ remotes/);
});

void test("push uses DVC's remote layout; a fresh clone pulls the same data; a second push sends nothing", (t) => pushCloneAndPull(t, fsKind(remoteDir(t))));

void test('fetch names the objects the remote lacks and still fetches the others; pull then checks out nothing', (t) => fetchReportsMissing(t, fsKind(remoteDir(t))));

void test('after a push killed with SIGKILL, the next push transfers only the missing objects', (t) => killedPushResumes(t, fsKind(remoteDir(t))));

void test('transfers verify hashes: a corrupt object is neither pushed nor pulled', (t) => transfersVerifyHashes(t, fsKind(remoteDir(t))));

const isRoot = process.getuid?.() === 0;
void test('a full remote disk fails the push clearly and leaves no partial object', { skip: !isRoot && 'needs root to mount a tmpfs' }, async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const mount = mkdtempSync(join(tmpdir(), 'slipway-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
  if (mounted.status !== 0) {
    t.skip(`cannot mount a tmpfs here: ${mounted.stderr.toString().trim()}`);
    return;
  }
  t.after(() => {
    spawnSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  });
  write(root, 'small.csv', 'fits\n');
  write(root, 'big.bin', Buffer.alloc(3 << 20, 9));
  await addRemote(root, 'storage', mount);
  const repo = DataRepo.open(root);
  try {
    await add(repo, ['small.csv', 'big.bin']);
    await assert.rejects(push(repo), (e: unknown) => e instanceof SlipwayError && /disk is full/.test(e.message));
    for (const oid of await objectsIn(mount)) assert.ok(await new ObjectStore(mount).verify(oid), 'only whole objects');
    assert.deepEqual(readdirSync(join(mount, 'tmp')), [], 'the partial temporary file was removed');
    assert.ok((await objectsIn(mount)).length <= 1);
  } finally {
    await repo.close();
  }
});
