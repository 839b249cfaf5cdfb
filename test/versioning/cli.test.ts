import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CliErrorOutput, DataAddOutput, DataCheckoutOutput, DataDiffOutput, DataFsckOutput, DataPullOutput, DataStatusOutput, DataTransferOutput, RemoteAddOutput } from '../../src/shared/cli';
import { cli, git, gitRepo, tempDir } from '../helpers';

void test('slipway add, status, checkout, diff and fsck from the command line', async () => {
  const repo = gitRepo();
  writeFileSync(join(repo, 'train.csv'), 'a,b\n1,2\n');
  const added = await cli(['add', 'train.csv', '--json'], { cwd: repo });
  assert.equal(added.code, 0, added.stderr);
  const out = JSON.parse(added.stdout) as DataAddOutput;
  assert.deepEqual(out.added.map((a) => [a.path, a.dvcFile, a.changed]), [['train.csv', 'train.csv.dvc', true]]);
  assert.match(readFileSync(join(repo, '.gitignore'), 'utf8'), /^\/\.slipway\/$/m);
  assert.match(readFileSync(join(repo, '.gitignore'), 'utf8'), /^\/train\.csv$/m);
  const human = await cli(['add', 'train.csv'], { cwd: repo });
  assert.match(human.stdout, /unchanged train\.csv/);

  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'track train.csv');
  writeFileSync(join(repo, 'train.csv'), 'a,b\n3,4\n');
  const st = await cli(['status', '--json'], { cwd: repo });
  assert.equal(st.code, 0, st.stderr);
  assert.deepEqual((JSON.parse(st.stdout) as DataStatusOutput).data.map((s) => [s.path, s.workspace]), [['train.csv', 'modified']]);
  assert.match((await cli(['status'], { cwd: repo })).stdout, /modified\s+train\.csv/);

  const refused = await cli(['checkout', '--json'], { cwd: repo });
  assert.equal(refused.code, 3);
  assert.equal((JSON.parse(refused.stderr) as CliErrorOutput).error.code, 'INVALID_STATE');
  const forced = await cli(['checkout', '--force', '--json'], { cwd: repo });
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual((JSON.parse(forced.stdout) as DataCheckoutOutput).checkedOut.map((r) => r.action), ['updated']);
  assert.equal(readFileSync(join(repo, 'train.csv'), 'utf8'), 'a,b\n1,2\n');

  writeFileSync(join(repo, 'train.csv'), 'a,b\n5,6\n');
  await cli(['add', 'train.csv'], { cwd: repo });
  const d = await cli(['diff', '--json'], { cwd: repo });
  assert.equal(d.code, 0, d.stderr);
  assert.deepEqual((JSON.parse(d.stdout) as DataDiffOutput).modified.map((e) => e.path), ['train.csv']);
  const back = await cli(['checkout', '--rev', 'HEAD', '--json'], { cwd: repo });
  assert.equal(back.code, 0, back.stderr);
  assert.equal(readFileSync(join(repo, 'train.csv'), 'utf8'), 'a,b\n1,2\n');

  const fine = await cli(['fsck', '--json'], { cwd: repo });
  assert.equal(fine.code, 0, fine.stderr);
  const objects = (JSON.parse(fine.stdout) as DataFsckOutput);
  assert.equal(objects.checked, 2);
  const victim = join(repo, '.slipway', 'cache', 'files', 'md5', out.added[0]!.md5.slice(0, 2), out.added[0]!.md5.slice(2));
  chmodSync(victim, 0o644);
  writeFileSync(victim, 'tampered');
  const bad = await cli(['fsck'], { cwd: repo });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /1 of 2 objects are corrupt/);
  rmSync(join(repo, 'train.csv'));
  const corrupt = await cli(['checkout'], { cwd: repo });
  assert.equal(corrupt.code, 3);
  assert.match(corrupt.stderr, /^slipway: Object [0-9a-f]{32} in .* is corrupt/);

  const usage = await cli(['add', 'nope.csv'], { cwd: repo });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /nope\.csv does not exist/);
});

void test('slipway remote add, push, and pull into a fresh clone', async () => {
  const repo = gitRepo();
  const store = tempDir('slipway-remote-');
  writeFileSync(join(repo, 'model.onnx'), 'weights');
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  const remote = await cli(['remote', 'add', 'storage', store, '--default', '--json'], { cwd: repo });
  assert.equal(remote.code, 0, remote.stderr);
  assert.equal((JSON.parse(remote.stdout) as RemoteAddOutput).file, join(repo, 'slipway.yaml'));
  assert.match((await cli(['remote', 'list'], { cwd: repo })).stdout, /storage\s+\S+\s+yes/);
  assert.equal((await cli(['add', 'model.onnx'], { cwd: repo })).code, 0);
  const pushed = await cli(['push', '--json'], { cwd: repo });
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.deepEqual(JSON.parse(pushed.stdout), { remote: 'storage', needed: 1, transferred: 1, missing: [], records: { runs: 0, artifacts: 0, auditEntries: 0, snapshotWritten: true } } satisfies DataTransferOutput);
  assert.match((await cli(['push'], { cwd: repo })).stdout, /0 of 1 object\(s\) sent to "storage" \(1 already there\)/);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'model');
  const clone = tempDir('slipway-clone-');
  git(clone, 'clone', '-q', repo, '.');
  const pulled = await cli(['pull', '--json'], { cwd: clone });
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.deepEqual((JSON.parse(pulled.stdout) as DataPullOutput).checkedOut.map((r) => r.action), ['restored']);
  assert.equal(readFileSync(join(clone, 'model.onnx'), 'utf8'), 'weights');
});
