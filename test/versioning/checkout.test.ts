import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { DataRepo, add, checkout, diff, fsck, status } from '../../src/engine/versioning';
import { copyReferenceTree, git, makeProject, write } from './helpers/project';

function objectPath(root: string, oid: string): string {
  return join(root, '.slipway', 'cache', 'files', 'md5', oid.slice(0, 2), oid.slice(2));
}

function corrupt(path: string, text: string): void {
  chmodSync(path, 0o644);
  writeFileSync(path, text);
}

void test('status reports modified, missing and not-in-cache paths; checkout restores them', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'a.csv', 'a\n');
  write(root, 'b.csv', 'b\n');
  copyReferenceTree(root, 'tree');
  const repo = DataRepo.open(root);
  try {
    const added = await add(repo, ['a.csv', 'b.csv', 'tree']);
    assert.deepEqual((await status(repo)).map((s) => [s.path, s.workspace, s.inCache]), [
      ['a.csv', 'unchanged', true],
      ['b.csv', 'unchanged', true],
      ['tree', 'unchanged', true],
    ]);
    rmSync(join(root, 'a.csv'));
    write(root, 'b.csv', 'b edited\n');
    rmSync(join(root, 'tree', 'a', 'b.txt'));
    write(root, 'tree/extra.txt', 'extra');
    const md5OfB = added[1]!.md5;
    rmSync(objectPath(root, md5OfB), { force: true });
    const st = await status(repo);
    assert.deepEqual(st.map((s) => [s.path, s.workspace, s.inCache]), [
      ['a.csv', 'missing', true],
      ['b.csv', 'modified', false],
      ['tree', 'modified', true],
    ]);
    assert.deepEqual(st[2]?.files, { added: ['extra.txt'], modified: [], deleted: ['a/b.txt'] });

    // a.csv: missing → restored. b.csv: its recorded object is gone → a clear error, nothing changed.
    const [restored] = await checkout(repo, ['a.csv']);
    assert.equal(restored?.action, 'restored');
    assert.equal(readFileSync(join(root, 'a.csv'), 'utf8'), 'a\n');
    await assert.rejects(checkout(repo, ['b.csv']), /1 object\(s\) it needs are not in the cache/);
    assert.equal(readFileSync(join(root, 'b.csv'), 'utf8'), 'b edited\n');

    // tree: extra.txt is not in the cache, so checkout refuses without force, then force discards it.
    await assert.rejects(checkout(repo, ['tree']), (e: unknown) => e instanceof SlipwayError && e.code === 'INVALID_STATE' && /tree\/extra\.txt.*--force/.test(e.message));
    assert.ok(existsSync(join(root, 'tree', 'extra.txt')));
    const [forced] = await checkout(repo, ['tree'], { force: true });
    assert.deepEqual([forced?.action, forced?.written, forced?.removed], ['updated', 1, 1]);
    assert.ok(!existsSync(join(root, 'tree', 'extra.txt')));
    assert.equal(readFileSync(join(root, 'tree', 'a', 'b.txt'), 'utf8'), 'inside a\n');
    assert.equal((await status(repo, ['tree']))[0]?.workspace, 'unchanged');
  } finally {
    await repo.close();
  }
});

void test('checkout overwrites workspace edits without force only when the edit is saved in the cache', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'm.bin', 'v1');
  const repo = DataRepo.open(root);
  try {
    await add(repo, ['m.bin']);
    const v1 = readFileSync(join(root, 'm.bin.dvc'), 'utf8');
    write(root, 'm.bin', 'v2');
    await add(repo, ['m.bin']);
    writeFileSync(join(root, 'm.bin.dvc'), v1); // as after `git checkout` of an older commit
    const [r] = await checkout(repo);
    assert.equal(r?.action, 'updated');
    assert.equal(readFileSync(join(root, 'm.bin'), 'utf8'), 'v1');
    write(root, 'm.bin', 'unsaved work');
    await assert.rejects(checkout(repo), /m\.bin has changes that are not saved in the cache/);
    assert.equal(readFileSync(join(root, 'm.bin'), 'utf8'), 'unsaved work');
  } finally {
    await repo.close();
  }
});

void test('a corrupted cache object is detected by checkout and fsck and never restored', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'data/x.csv', 'good bytes\n');
  write(root, 'data/y.csv', 'other bytes\n');
  const repo = DataRepo.open(root);
  try {
    const [x] = await add(repo, ['data']);
    const listing = JSON.parse(readFileSync(objectPath(root, x!.md5), 'utf8')) as { md5: string; relpath: string }[];
    const xObject = objectPath(root, listing.find((e) => e.relpath === 'x.csv')!.md5);
    corrupt(xObject, 'bad  bytes\n');
    rmSync(join(root, 'data', 'x.csv'));
    await assert.rejects(checkout(repo, ['data']), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT');
    assert.ok(!existsSync(join(root, 'data', 'x.csv')), 'the corrupt bytes were not written');
    assert.deepEqual(
      readFileSync(join(root, 'data', 'y.csv'), 'utf8'),
      'other bytes\n',
    );
    const report = await fsck(repo);
    assert.equal(report.checked, 3);
    assert.deepEqual(report.corrupt.map((c) => c.path), [xObject]);
    assert.match(report.corrupt[0]!.reason, /hash to/);
    // A damaged listing object is reported too.
    corrupt(objectPath(root, x!.md5), 'not json');
    const again = await fsck(repo);
    assert.equal(again.corrupt.length, 2);
  } finally {
    await repo.close();
  }
});

void test('checkout at a git revision restores that commit\'s data; diff lists what changed between commits', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'data/train.csv', 'v1\n');
  write(root, 'model.onnx', 'model v1');
  write(root, 'features/a.txt', 'a1');
  write(root, 'features/b.txt', 'b1');
  const repo = DataRepo.open(root);
  try {
    await add(repo, ['data/train.csv', 'model.onnx', 'features']);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'v1');
    const first = git(root, 'rev-parse', 'HEAD').trim();
    write(root, 'data/train.csv', 'v2\n');
    write(root, 'features/b.txt', 'b2');
    write(root, 'features/c.txt', 'c2');
    rmSync(join(root, 'model.onnx'));
    rmSync(join(root, 'model.onnx.dvc'));
    write(root, 'extra.bin', 'extra');
    await add(repo, ['data/train.csv', 'features', 'extra.bin']);
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'v2');

    const d = await diff(repo, first, 'HEAD');
    assert.deepEqual(d.added.map((e) => e.path), ['extra.bin', 'features/c.txt']);
    assert.deepEqual(d.modified.map((e) => e.path), ['data/train.csv', 'features', 'features/b.txt']);
    assert.deepEqual(d.deleted.map((e) => e.path), ['model.onnx']);
    assert.deepEqual(await diff(repo, 'HEAD'), { added: [], modified: [], deleted: [] });

    const results = await checkout(repo, undefined, { rev: first });
    assert.deepEqual(results.map((r) => [r.path, r.action]), [
      ['data/train.csv', 'updated'],
      ['features', 'updated'],
      ['model.onnx', 'restored'],
    ]);
    assert.equal(readFileSync(join(root, 'data/train.csv'), 'utf8'), 'v1\n');
    assert.equal(readFileSync(join(root, 'model.onnx'), 'utf8'), 'model v1');
    assert.ok(!existsSync(join(root, 'features/c.txt')));
    assert.equal(readFileSync(join(root, 'features/b.txt'), 'utf8'), 'b1');
    assert.equal(readFileSync(join(root, 'model.onnx.dvc'), 'utf8'), git(root, 'show', `${first}:model.onnx.dvc`));
    assert.ok((await status(repo)).every((s) => s.workspace === 'unchanged'));
    await assert.rejects(checkout(repo, undefined, { rev: 'no-such-branch' }), /Git revision "no-such-branch" is not known/);
  } finally {
    await repo.close();
  }
});

void test('status trusts a complete version only while the cache is unchanged', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  for (let i = 0; i < 30; i++) write(root, `d/f${i}.txt`, `file ${i}\n`);
  const repo = DataRepo.open(root);
  try {
    const [added] = await add(repo, ['d']);
    // Let the cache's folders settle, then record the version as complete.
    const past = new Date(Date.now() - 60_000);
    const shards = join(root, '.slipway', 'cache', 'files', 'md5');
    for (const shard of readdirSync(shards)) utimesSync(join(shards, shard), past, past);
    assert.equal((await status(repo))[0]?.inCache, true);
    assert.deepEqual(repo.store.db.prepare('SELECT oid FROM data_cache_checked').pluck().all(), [added!.md5]);
    assert.equal((await status(repo))[0]?.inCache, true);
    const listing = JSON.parse(readFileSync(objectPath(root, added!.md5), 'utf8')) as { md5: string }[];
    rmSync(objectPath(root, listing[7]!.md5));
    assert.equal((await status(repo))[0]?.inCache, false, 'a removed object is noticed');
  } finally {
    await repo.close();
  }
});
