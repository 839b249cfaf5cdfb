import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { captureGitProvenance, MAX_STORED_DIFF_BYTES } from '../../src/engine/git';
import { ObjectStore } from '../../src/engine/objects';
import { Store } from '../../src/engine/store';
import { createRun, getRun, openArtifact, recordGitProvenance } from '../../src/engine/tracking';
import { buffer } from 'node:stream/consumers';
import { git, gitRepo, tempDir } from '../helpers';

// npm sets EDITOR for scripts; git commands must run regardless.
process.env.EDITOR ??= 'vi';

test('a clean repository records commit and branch, and no diff', async () => {
  const repo = gitRepo({ 'train.py': 'print(1)\n' });
  const p = await captureGitProvenance(repo);
  assert.ok(p.repository);
  assert.equal(p.commit, git(repo, 'rev-parse', 'HEAD'));
  assert.equal(p.branch, 'main');
  assert.equal(p.dirty, false);
  assert.equal(p.diff, null);
});

test('the stored diff rebuilds the work tree: tracked edits, binary files and untracked files, not ignored ones', async () => {
  const repo = gitRepo({ 'train.py': 'print(1)\n', '.gitignore': 'data/\n' });
  writeFileSync(join(repo, 'train.py'), 'print(2)\n');
  writeFileSync(join(repo, 'new_module.py'), 'X = 1\n');
  writeFileSync(join(repo, 'weights.bin'), Buffer.from([0, 1, 2, 255, 254, 0, 10]));
  writeFileSync(join(repo, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  mkdirSync(join(repo, 'data'));
  writeFileSync(join(repo, 'data', 'big.csv'), 'ignored\n');
  git(repo, 'add', 'train.py'); // staged changes count too, and the user's index must stay as it was
  const indexBefore = git(repo, 'diff', '--cached', '--name-only');
  const p = await captureGitProvenance(repo);
  assert.ok(p.repository && p.dirty && p.diff);
  assert.equal(git(repo, 'diff', '--cached', '--name-only'), indexBefore);
  const text = p.diff.toString('latin1');
  assert.ok(!text.includes('data/big.csv'), 'ignored files are not part of the diff');

  const clone = tempDir('slipway-clone-');
  git(clone, 'clone', '-q', repo, '.');
  git(clone, 'checkout', '-q', p.commit!);
  const patch = join(tempDir(), 'p.diff');
  writeFileSync(patch, p.diff);
  const applied = spawnSync('git', ['apply', '--binary', patch], { cwd: clone, encoding: 'utf8' });
  assert.equal(applied.status, 0, applied.stderr);
  for (const file of ['train.py', 'new_module.py', 'weights.bin', 'latin1.txt']) {
    assert.deepEqual(readFileSync(join(clone, file)), readFileSync(join(repo, file)), file);
  }
});

test('a repository without commits and a detached HEAD', async () => {
  const empty = tempDir();
  git(empty, 'init', '-q');
  writeFileSync(join(empty, 'a.txt'), 'a\n');
  const p = await captureGitProvenance(empty);
  assert.ok(p.repository);
  assert.equal(p.commit, null);
  assert.equal(p.dirty, true);
  assert.match(p.diff!.toString(), /\+\+\+ b\/a\.txt/);
  const repo = gitRepo();
  git(repo, 'checkout', '-q', '--detach');
  const detached = await captureGitProvenance(repo);
  assert.ok(detached.repository);
  assert.equal(detached.branch, null);
});

test('runs record provenance as tags and the diff as slipway/git.diff; over 10 MB only the hash', async () => {
  const repo = gitRepo();
  const ctx = { store: Store.open(join(tempDir(), 'db.sqlite')), artifacts: new ObjectStore(tempDir()) };
  writeFileSync(join(repo, 'notes.txt'), 'uncommitted\n');
  const run = createRun(ctx, {});
  await recordGitProvenance(ctx, run.info.run_id, repo);
  const tags = Object.fromEntries((getRun(ctx, run.info.run_id).data.tags ?? []).map((t) => [t.key, t.value]));
  assert.equal(tags['mlflow.source.git.commit'], git(repo, 'rev-parse', 'HEAD'));
  assert.equal(tags['mlflow.source.git.branch'], 'main');
  assert.equal(tags['slipway.git.dirty'], 'true');
  const diff = await buffer(openArtifact(ctx, run.info.run_id, 'slipway/git.diff').stream);
  assert.match(diff.toString(), /\+uncommitted/);

  const huge = Buffer.alloc(MAX_STORED_DIFF_BYTES + 1024);
  for (let i = 0; i < huge.length; i++) huge[i] = 97 + (i % 26);
  for (let i = 80; i < huge.length; i += 81) huge[i] = 10;
  writeFileSync(join(repo, 'huge.txt'), huge);
  const big = createRun(ctx, {});
  await recordGitProvenance(ctx, big.info.run_id, repo);
  const bigTags = Object.fromEntries((getRun(ctx, big.info.run_id).data.tags ?? []).map((t) => [t.key, t.value]));
  assert.match(bigTags['slipway.git.diff_md5']!, /^[0-9a-f]{32}$/);
  assert.ok(Number(bigTags['slipway.git.diff_size']) > MAX_STORED_DIFF_BYTES);
  assert.match(bigTags['slipway.git.diff_note']!, /over the 10485760 byte limit/);
  assert.throws(() => openArtifact(ctx, big.info.run_id, 'slipway/git.diff'), /No artifact/);
});

test('a folder outside git is recorded as such', async () => {
  const dir = tempDir();
  assert.deepEqual(await captureGitProvenance(dir), { repository: false });
  const ctx = { store: Store.open(join(tempDir(), 'db.sqlite')), artifacts: new ObjectStore(tempDir()) };
  const run = createRun(ctx, {});
  await recordGitProvenance(ctx, run.info.run_id, dir);
  const tags = getRun(ctx, run.info.run_id).data.tags ?? [];
  assert.deepEqual(tags.find((t) => t.key === 'slipway.git.repository'), { key: 'slipway.git.repository', value: 'none' });
  assert.equal(tags.find((t) => t.key === 'mlflow.source.git.commit'), undefined);
});
