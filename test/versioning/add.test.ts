import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataRepo, add, status, type Progress } from '../../src/engine/versioning';
import { Store } from '../../src/engine/store';
import { FIXTURES, copyReferenceTree, makeProject, write } from './helpers/project';

const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as { dir: string; nfiles: number; size: number; listing: string };

function objectPath(cacheRoot: string, oid: string): string {
  return join(cacheRoot, 'files', 'md5', oid.slice(0, 2), oid.slice(2));
}

void test('add of a file writes the object, a DVC 3 .dvc file and a .gitignore entry', async (t) => {
  const { root, cleanup } = makeProject({ dvc: true });
  t.after(cleanup);
  write(root, 'data/train.csv', 'id,y\n1,0\n2,1\n');
  const repo = DataRepo.open(root);
  try {
    const [result] = await add(repo, ['data/train.csv']);
    assert.equal(result?.md5, createHash('md5').update('id,y\n1,0\n2,1\n').digest('hex'));
    assert.equal(result?.dvcFile, 'data/train.csv.dvc');
    assert.equal(
      readFileSync(join(root, 'data/train.csv.dvc'), 'utf8'),
      `outs:\n- md5: ${result.md5}\n  size: 13\n  hash: md5\n  path: train.csv\n`,
    );
    const object = objectPath(join(root, '.dvc', 'cache'), result.md5);
    assert.equal(readFileSync(object, 'utf8'), 'id,y\n1,0\n2,1\n');
    assert.equal(statSync(object).mode & 0o777, 0o444, 'cache objects are read-only');
    assert.equal(readFileSync(join(root, 'data/.gitignore'), 'utf8'), '/train.csv\n');
    // The workspace keeps its own copy: editing it cannot reach the cache.
    assert.notEqual(statSync(join(root, 'data/train.csv')).ino, statSync(object).ino);
    writeFileSync(join(root, 'data/train.csv'), 'edited');
    assert.equal(readFileSync(object, 'utf8'), 'id,y\n1,0\n2,1\n');
  } finally {
    await repo.close();
  }
});

void test('add of a folder stores every file and the .dir listing, matching the DVC reference', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  copyReferenceTree(root, 'images');
  const repo = DataRepo.open(root);
  try {
    const [result] = await add(repo, ['images']);
    assert.equal(result?.md5, reference.dir);
    assert.equal(result?.nfiles, reference.nfiles);
    assert.equal(
      readFileSync(join(root, 'images.dvc'), 'utf8'),
      `outs:\n- md5: ${reference.dir}\n  size: ${reference.size}\n  nfiles: ${reference.nfiles}\n  hash: md5\n  path: images\n`,
    );
    const cacheRoot = join(root, '.slipway', 'cache');
    assert.equal(readFileSync(objectPath(cacheRoot, reference.dir), 'utf8'), reference.listing);
    for (const entry of JSON.parse(reference.listing) as { md5: string }[]) assert.ok(existsSync(objectPath(cacheRoot, entry.md5)));
    assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), '/images\n');
  } finally {
    await repo.close();
  }
});

function backdate(root: string, rels: string[]): void {
  const past = new Date(Date.now() - 3600_000);
  for (const rel of rels) utimesSync(join(root, rel), past, past);
}

function hashedFiles(): { onProgress: (p: Progress) => void; count: () => number } {
  let total = -1;
  return {
    onProgress: (p) => {
      if (p.phase === 'hash' && total < 0) total = p.totalFiles;
    },
    count: () => total,
  };
}

void test('unchanged files are never re-hashed (state cache); edits are found and re-adding records them', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const rels = Array.from({ length: 50 }, (_, i) => `set/f${i}.txt`);
  for (const rel of rels) write(root, rel, `${rel}\n`);
  write(root, '.gitignore', 'node_modules/');
  backdate(root, rels);
  const repo = DataRepo.open(root);
  try {
    const first = hashedFiles();
    const [added] = await add(repo, ['set'], { onProgress: first.onProgress });
    assert.equal(first.count(), 50);
    assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), 'node_modules/\n/set\n');
    const stored = Store.open(join(root, '.slipway', 'slipway.db'));
    assert.equal(stored.schemaVersion >= 2, true);
    assert.equal((stored.db.prepare("SELECT count(*) AS n FROM data_state WHERE path LIKE 'set/%'").get() as { n: number }).n, 50);
    assert.ok((stored.db.prepare("SELECT count(*) AS n FROM change_log WHERE topic = 'data' AND key = 'set'").get() as { n: number }).n >= 1);
    stored.close();

    const second = hashedFiles();
    const [again] = await add(repo, ['set'], { onProgress: second.onProgress });
    assert.equal(second.count(), 0, 'nothing is read again');
    assert.equal(again?.changed, false);
    assert.equal(readFileSync(join(root, '.gitignore'), 'utf8'), 'node_modules/\n/set\n', 'no duplicate entry');

    writeFileSync(join(root, 'set/f3.txt'), 'changed\n');
    write(root, 'set/new.txt', 'new\n');
    backdate(root, ['set/f3.txt', 'set/new.txt']);
    const third = hashedFiles();
    const [st] = await status(repo, ['set'], { onProgress: third.onProgress });
    assert.equal(third.count(), 2, 'only the two changed files are read');
    assert.equal(st?.workspace, 'modified');
    assert.deepEqual(st?.files, { added: ['new.txt'], modified: ['f3.txt'], deleted: [] });
    const [readded] = await add(repo, ['set']);
    assert.equal(readded?.changed, true);
    assert.notEqual(readded?.md5, added?.md5);
    assert.equal(readded?.nfiles, 51);
    const [clean] = await status(repo, ['set']);
    assert.equal(clean?.workspace, 'unchanged');
  } finally {
    await repo.close();
  }
});

void test('add refuses paths it must not track, with a sentence saying why', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'd/inner/x.txt', 'x');
  write(root, 'other/y.txt', 'y');
  const repo = DataRepo.open(root);
  try {
    await assert.rejects(add(repo, ['missing.csv']), /does not exist/);
    await assert.rejects(add(repo, ['../outside']), /not inside the project/);
    await assert.rejects(add(repo, ['.git']), /never tracks/);
    await add(repo, ['d/inner']);
    await assert.rejects(add(repo, ['d']), /contains tracked data \(d\/inner\.dvc\)/);
    await add(repo, ['other']);
    await assert.rejects(add(repo, ['other/y.txt']), /inside other, which other\.dvc already tracks/);
    await assert.rejects(add(repo, ['other.dvc']), /is a \.dvc file/);
  } finally {
    await repo.close();
  }
});

void test('cache type: copy by default, reflink accepted, hardlink and symlink refused', async (t) => {
  const { root, cleanup } = makeProject({ dvc: true });
  t.after(cleanup);
  const open = () => DataRepo.open(root);
  const first = open();
  assert.equal(first.cacheType, 'copy');
  await first.close();
  writeFileSync(join(root, '.dvc', 'config'), "[cache]\n    type = reflink,copy\n");
  const second = open();
  assert.equal(second.cacheType, 'reflink');
  write(root, 'm.bin', 'model bytes');
  const [r] = await add(second, ['m.bin']);
  writeFileSync(join(root, 'm.bin'), 'edited through the workspace');
  assert.equal(readFileSync(objectPath(join(root, '.dvc', 'cache'), r!.md5), 'utf8'), 'model bytes');
  await second.close();
  writeFileSync(join(root, '.dvc', 'config'), "[cache]\n    type = hardlink,symlink\n");
  assert.throws(open, /let one edit corrupt the cached version/);
  const plain = makeProject();
  t.after(plain.cleanup);
  writeFileSync(join(plain.root, 'slipway.yaml'), 'version: 1\ndata:\n  cache_type: symlink\n');
  assert.throws(() => DataRepo.open(plain.root), /slipway\.yaml:3:15: data\.cache_type asks for symlink/);
});
