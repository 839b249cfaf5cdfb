import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { RunResultOutput } from '../../src/shared/cli';
import type { ReproduceResult } from '../../src/engine/lineage';
import { cli, git, gitRepo, tempDir } from '../helpers';

/** Every file below `dir` (skipping .git and .slipway) with its bytes. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === '.slipway') continue;
      const abs = join(d, e.name);
      if (e.isDirectory()) visit(abs);
      else files.set(relative(dir, abs), readFileSync(abs).toString('base64'));
    }
  };
  visit(dir);
  return files;
}

void test('runs reproduce recreates a dirty run with tracked data byte for byte and prints the command', async () => {
  const repo = gitRepo({ 'train.sh': 'cat train.csv images/a.bin\n', 'README.md': 'v1\n' });
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  writeFileSync(join(repo, 'train.csv'), 'a,b\n1,2\n');
  mkdirSync(join(repo, 'images'));
  writeFileSync(join(repo, 'images', 'a.bin'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(join(repo, 'images', 'b.bin'), 'bee');
  assert.equal((await cli(['add', 'train.csv', 'images'], { cwd: repo })).code, 0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'data v1');

  // Uncommitted at run time: an edited file, a new untracked file, a binary file and a new data version.
  writeFileSync(join(repo, 'README.md'), 'v2, not committed\n');
  writeFileSync(join(repo, 'notes.txt'), 'untracked\n');
  writeFileSync(join(repo, 'blob.bin'), Buffer.from([0, 159, 146, 150, 10, 0]));
  writeFileSync(join(repo, 'train.csv'), 'a,b\n3,4\n');
  assert.equal((await cli(['add', 'train.csv'], { cwd: repo })).code, 0);
  const expected = snapshot(repo);
  const r = await cli(['run', '--json', '--', 'sh', 'train.sh'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const runOutput = r.stdout.slice(0, r.stdout.indexOf('{\n'));
  const { runId } = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput;

  // The workspace moves on afterwards.
  writeFileSync(join(repo, 'train.csv'), 'a,b\n5,6\n');
  writeFileSync(join(repo, 'images', 'b.bin'), 'changed');
  assert.equal((await cli(['add', 'train.csv', 'images'], { cwd: repo })).code, 0);
  writeFileSync(join(repo, 'README.md'), 'v3\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'later');

  const into = join(tempDir(), 'repro');
  const done = await cli(['runs', 'reproduce', runId.slice(0, 8), '--into', into, '--json'], { cwd: repo });
  assert.equal(done.code, 0, done.stderr);
  const result = JSON.parse(done.stdout) as ReproduceResult;
  assert.equal(result.diffApplied, true);
  assert.deepEqual(result.data.map((d) => [d.path, d.files]), [['images', 2], ['train.csv', 1]]);
  assert.equal(result.command, `cd ${into} && sh train.sh`);
  assert.deepEqual(snapshot(into), expected);
  assert.ok(statSync(join(into, '.git')).isFile(), 'a git worktree');
  assert.equal(execSync(result.command, { encoding: 'utf8' }), runOutput);

  const human = await cli(['runs', 'reproduce', runId, '--into', into], { cwd: repo });
  assert.equal(human.code, 2, 'a folder that is not empty is refused');
  assert.match(human.stderr, /is not empty/);
  const text = await cli(['runs', 'reproduce', runId, '--into', join(into, '..', 'again')], { cwd: repo });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Re-run with:\n {2}cd .*again && sh train\.sh\n/);
  assert.ok(existsSync(join(into, '..', 'again', 'images', 'a.bin')));
});

void test('a run outside git cannot be reproduced, and the folder is left alone', async () => {
  const dir = tempDir();
  assert.equal((await cli(['init'], { cwd: dir })).code, 0);
  const r = await cli(['run', '--json', '--', 'true'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const { runId } = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput;
  const into = join(tempDir(), 'repro');
  const refused = await cli(['runs', 'reproduce', runId, '--into', into], { cwd: dir });
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, /recorded no git commit/);
  assert.equal(existsSync(into), false);
});
