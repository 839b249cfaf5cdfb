// Test bodies shared by the filesystem and the S3 remote tests: the same assertions hold for both kinds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { SlipwayError } from '../../../src/engine/errors';
import { md5OfOid } from '../../../src/engine/objects';
import { DataRepo, add, addRemote, fetch, fsck, pull, push, status } from '../../../src/engine/versioning';
import type { DataTransferOutput } from '../../../src/shared/cli';
import { cli } from '../../helpers';
import { commitAndClone, makeProject, write } from './project';
import { objectIds, objectKey, type RemoteKind } from './remote-kinds';
import { createHash } from 'node:crypto';

const REPO_ROOT = join(__dirname, '..', '..', '..');

async function cacheObjects(root: string): Promise<string[]> {
  const repo = DataRepo.open(root);
  try {
    const out: string[] = [];
    for await (const oid of repo.cache.list()) out.push(oid);
    return out.sort();
  } finally {
    await repo.close();
  }
}

/** No temporary file left in the cache: a failed transfer leaves nothing behind. */
export function assertCacheClean(root: string): void {
  const tmp = join(root, '.slipway', 'cache', 'tmp');
  assert.deepEqual(existsSync(tmp) ? readdirSync(tmp) : [], [], 'no partial download in the cache');
}

/**
 * A fresh project holding `files` (relative path to content), with `kind` configured as its default remote `storage`;
 * removed when the test ends.
 */
export async function projectWithRemote(t: TestContext, kind: RemoteKind, files: Record<string, string | Buffer>): Promise<string> {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  for (const [rel, data] of Object.entries(files)) write(root, rel, data);
  await addRemote(root, 'storage', kind.url, { settings: kind.settings });
  return root;
}

/** Every object on the remote hashes to its name. */
export async function assertRemoteWhole(kind: RemoteKind, prefix = ''): Promise<void> {
  for (const oid of await objectIds(kind, prefix)) {
    const bytes = await kind.read(objectKey(oid, prefix));
    assert.equal(createHash('md5').update(bytes!).digest('hex'), md5OfOid(oid), `${oid} on the remote is whole`);
  }
}

export async function pushCloneAndPull(t: TestContext, kind: RemoteKind): Promise<void> {
  const root = await projectWithRemote(t, kind, { '.gitignore': '/.slipway/\n', 'model.onnx': 'weights', 'data/a.csv': 'a\n', 'data/sub/b.csv': 'b\n' });
  const repo = DataRepo.open(root);
  let added;
  try {
    added = await add(repo, ['model.onnx', 'data']);
    const pushed = await push(repo);
    assert.deepEqual([pushed.needed, pushed.transferred, pushed.missing], [4, 4, []]);
    assert.deepEqual(await objectIds(kind), await cacheObjects(root));
    assert.ok(await kind.read(objectKey(added[1]!.md5)), 'the .dir listing is pushed under its DVC name');
    assert.equal((await push(repo)).transferred, 0);
  } finally {
    await repo.close();
  }
  const clone = commitAndClone(t, root, 'data');
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
}

/**
 * A push child is killed with SIGKILL after 10 objects landed; a second push (`slipway push --json`) sends exactly the
 * objects the remote lacks.
 */
export async function killedPushResumes(t: TestContext, kind: RemoteKind): Promise<void> {
  const shards: Record<string, Buffer> = {};
  for (let i = 0; i < 120; i++) {
    const payload = Buffer.alloc(256 << 10);
    payload.writeUInt32LE(i, 0);
    shards[`shards/s${i}.bin`] = payload;
  }
  const root = await projectWithRemote(t, kind, shards);
  const repo = DataRepo.open(root);
  try {
    await add(repo, ['shards']);
  } finally {
    await repo.close();
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'run-push.ts'), root], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
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
  const before = await objectIds(kind);
  assert.ok(before.length >= 10 && before.length < 121, `${before.length} objects arrived before the kill`);
  // A server that does not write atomically may show an object cut short by the kill; the next push resends it.
  const partial: string[] = [];
  for (const oid of before) if ((await kind.read(objectKey(oid)))!.length !== 256 << 10) partial.push(oid);
  const second = await cli(['push', '--json'], { cwd: root });
  assert.equal(second.code, 0, second.stderr);
  const out = JSON.parse(second.stdout) as DataTransferOutput;
  assert.equal(out.needed, 121);
  assert.equal(out.transferred, 121 - before.length + partial.length, 'only the missing objects are sent');
  assert.equal((await objectIds(kind)).length, 121);
  await assertRemoteWhole(kind);
  const again = DataRepo.open(root);
  try {
    assert.deepEqual((await fsck(again)).corrupt, []);
  } finally {
    await again.close();
  }
}

export async function transfersVerifyHashes(t: TestContext, kind: RemoteKind): Promise<void> {
  const root = await projectWithRemote(t, kind, { 'x.csv': 'x\n' });
  const repo = DataRepo.open(root);
  try {
    const [x] = await add(repo, ['x.csv']);
    const local = repo.cache.pathOf(x!.md5);
    chmodSync(local, 0o644);
    writeFileSync(local, 'y\n');
    await assert.rejects(push(repo), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT');
    assert.deepEqual(await objectIds(kind), []);
    // Put a damaged copy on the remote and a clean cache locally: pull must refuse it, naming it.
    await kind.write(objectKey(x!.md5), 'z\n');
    rmSync(local, { force: true });
    rmSync(join(root, 'x.csv'));
    await assert.rejects(pull(repo), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT' && e.message.includes(x!.md5.slice(2)));
    assert.ok(!existsSync(local), 'the corrupt object did not enter the cache');
    assertCacheClean(root);
    assert.ok(!existsSync(join(root, 'x.csv')));
  } finally {
    await repo.close();
  }
}

/** Objects the remote lacks are reported by id; the others are still fetched, and pull refuses to check out. */
export async function fetchReportsMissing(t: TestContext, kind: RemoteKind): Promise<void> {
  const root = await projectWithRemote(t, kind, { '.gitignore': '/.slipway/\n', 'a.csv': 'a\n', 'b.csv': 'b\n' });
  const repo = DataRepo.open(root);
  let bMd5 = '';
  try {
    bMd5 = (await add(repo, ['a.csv', 'b.csv']))[1]!.md5;
    assert.equal((await push(repo, ['a.csv'])).transferred, 1);
  } finally {
    await repo.close();
  }
  const clone = commitAndClone(t, root, 'data');
  const other = DataRepo.open(clone);
  try {
    const fetched = await fetch(other);
    assert.deepEqual([fetched.needed, fetched.transferred, fetched.missing], [2, 1, [bMd5]]);
    await assert.rejects(pull(other), /lacks 1 object\(s\) the tracked versions need \(first: [0-9a-f]{32}\)/);
    assert.ok(!existsSync(join(clone, 'a.csv')), 'nothing checked out');
    assertCacheClean(clone);
  } finally {
    await other.close();
  }
}
