import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { ObjectStore } from '../../src/engine/objects';
import { DataRepo, add, addRemote, fetch, fsck, pull, push, resolveRemote, status } from '../../src/engine/versioning';
import { git, makeProject, write } from './helpers/project';

const WORKTREE = join(__dirname, '..', '..');

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

void test('push uses DVC\'s remote layout; a fresh clone pulls the same data; a second push sends nothing', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const remote = remoteDir(t);
  write(root, '.gitignore', '/.slipway/\n');
  write(root, 'model.onnx', 'weights');
  write(root, 'data/a.csv', 'a\n');
  write(root, 'data/sub/b.csv', 'b\n');
  await addRemote(root, 'storage', remote);
  const repo = DataRepo.open(root);
  let added;
  try {
    added = await add(repo, ['model.onnx', 'data']);
    const pushed = await push(repo);
    assert.deepEqual([pushed.needed, pushed.transferred, pushed.missing], [4, 4, []]);
    assert.deepEqual(await objectsIn(remote), await objectsIn(join(root, '.slipway', 'cache')));
    assert.ok(existsSync(join(remote, 'files', 'md5', added[1]!.md5.slice(0, 2), added[1]!.md5.slice(2))), 'the .dir listing is pushed under its DVC name');
    assert.equal((await push(repo)).transferred, 0);
  } finally {
    await repo.close();
  }
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'data');
  const clone = mkdtempSync(join(tmpdir(), 'slipway-clone-'));
  t.after(() => rmSync(clone, { recursive: true, force: true }));
  spawnSync('git', ['clone', '-q', root, clone]);
  assert.ok(!existsSync(join(clone, 'model.onnx')));
  const other = DataRepo.open(clone);
  try {
    const result = await pull(other);
    assert.equal(result.fetched.transferred, 4);
    assert.deepEqual(result.checkedOut.map((r) => [r.path, r.action]), [['data', 'restored'], ['model.onnx', 'restored']]);
    assert.equal(readFileSync(join(clone, 'data/sub/b.csv'), 'utf8'), 'b\n');
    assert.ok((await status(other)).every((s) => s.workspace === 'unchanged' && s.inCache));
    assert.equal((await fetch(other)).transferred, 0);
  } finally {
    await other.close();
  }
});

void test('after a push killed with SIGKILL, the next push transfers only the missing objects', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const remote = remoteDir(t);
  const payload = Buffer.alloc(256 << 10);
  for (let i = 0; i < 120; i++) {
    payload.writeUInt32LE(i, 0);
    write(root, `shards/s${i}.bin`, payload);
  }
  await addRemote(root, 'storage', remote);
  const repo = DataRepo.open(root);
  try {
    await add(repo, ['shards']);
  } finally {
    await repo.close();
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'helpers', 'run-push.ts'), root], { cwd: WORKTREE, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, signal) => resolve(signal)));
  let landed = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    assert.ok(!line.startsWith('done'), 'push finished before it could be killed');
    if (++landed === 10) {
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL');
  const before = await objectsIn(remote);
  assert.ok(before.length >= 10 && before.length < 121, `${before.length} objects arrived before the kill`);
  const again = DataRepo.open(root);
  try {
    const second = await push(again);
    assert.equal(second.needed, 121);
    assert.equal(second.transferred, 121 - before.length, 'only the missing objects are sent');
    assert.equal((await objectsIn(remote)).length, 121);
    for (const oid of await objectsIn(remote)) assert.ok(await new ObjectStore(remote).verify(oid), `${oid} is whole`);
    assert.deepEqual((await fsck(again)).corrupt, []);
  } finally {
    await again.close();
  }
});

void test('transfers verify hashes: a corrupt object is neither pushed nor pulled', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const remote = remoteDir(t);
  write(root, 'x.csv', 'x\n');
  await addRemote(root, 'storage', remote);
  const repo = DataRepo.open(root);
  try {
    const [x] = await add(repo, ['x.csv']);
    const local = repo.cache.pathOf(x!.md5);
    chmodSync(local, 0o644);
    writeFileSync(local, 'y\n');
    await assert.rejects(push(repo), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT');
    assert.deepEqual(await objectsIn(remote), []);
    // Put a damaged copy on the remote and a clean cache locally: pull must refuse it.
    mkdirSync(join(remote, 'files', 'md5', x!.md5.slice(0, 2)), { recursive: true });
    writeFileSync(join(remote, 'files', 'md5', x!.md5.slice(0, 2), x!.md5.slice(2)), 'z\n');
    rmSync(local, { force: true });
    rmSync(join(root, 'x.csv'));
    await assert.rejects(pull(repo), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT');
    assert.ok(!existsSync(local), 'the corrupt object did not enter the cache');
    assert.ok(!existsSync(join(root, 'x.csv')));
  } finally {
    await repo.close();
  }
});

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
