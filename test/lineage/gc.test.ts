import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DataAddOutput, RunResultOutput, RunShowOutput } from '../../src/shared/cli';
import type { GcResult } from '../../src/engine/lineage';
import { openProject } from '../../src/engine/project';
import { setRunLifecycle } from '../../src/engine/tracking';
import { cli, git, gitRepo } from '../helpers';

async function add(repo: string, ...paths: string[]): Promise<Map<string, string>> {
  const r = await cli(['add', ...paths, '--json'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  return new Map((JSON.parse(r.stdout) as DataAddOutput).added.map((a) => [a.path, a.md5]));
}

async function run(repo: string, text: string): Promise<RunShowOutput> {
  const r = await cli(['run', '--json', '--', 'echo', text], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const { runId } = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput;
  return JSON.parse((await cli(['runs', 'show', runId, '--json'], { cwd: repo })).stdout) as RunShowOutput;
}

const dataObject = (repo: string, oid: string) => join(repo, '.slipway', 'cache', 'files', 'md5', oid.slice(0, 2), oid.slice(2));
const artifactObject = (repo: string, md5: string) => join(repo, '.slipway', 'artifacts', 'files', 'md5', md5.slice(0, 2), md5.slice(2));
const md5Of = (text: string) => createHash('md5').update(text).digest('hex');

void test('gc keeps everything a branch, tag, the workspace, a live run or a model version reaches, and removes the rest', async () => {
  const repo = gitRepo();
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  writeFileSync(join(repo, 'train.csv'), 'v1\n');
  mkdirSync(join(repo, 'images'));
  writeFileSync(join(repo, 'images', 'a.bin'), 'a');
  writeFileSync(join(repo, 'images', 'b.bin'), 'b1');
  const first = await add(repo, 'train.csv', 'images');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v1');
  git(repo, 'tag', 'v1');

  writeFileSync(join(repo, 'train.csv'), 'v2\n');
  writeFileSync(join(repo, 'images', 'b.bin'), 'b2');
  const second = await add(repo, 'train.csv', 'images');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'v2');

  writeFileSync(join(repo, 'train.csv'), 'v3\n');
  const v3 = (await add(repo, 'train.csv')).get('train.csv')!;
  const live = await run(repo, 'three');
  writeFileSync(join(repo, 'train.csv'), 'v4\n');
  const v4 = (await add(repo, 'train.csv')).get('train.csv')!;
  const dead = await run(repo, 'four, deleted later');
  writeFileSync(join(repo, 'train.csv'), 'v5\n');
  const v5 = (await add(repo, 'train.csv')).get('train.csv')!;
  writeFileSync(join(repo, 'model.bin'), 'weights');
  assert.equal((await cli(['models', 'register', 'clf', join(repo, 'model.bin')], { cwd: repo })).code, 0);
  const project = openProject(repo);
  setRunLifecycle(project.tracking, dead.runId, 'deleted');
  project.close();

  const deadOnly = dead.artifacts.filter((a) => !live.artifacts.some((b) => b.md5 === a.md5)).map((a) => a.md5);
  assert.ok(deadOnly.includes(md5Of('four, deleted later\n')), 'the deleted run has its own output log');

  // --rev HEAD: the tag's versions are no longer roots; a dry run lists them and removes nothing.
  const dry = await cli(['gc', '--rev', 'HEAD', '--dry-run', '--json'], { cwd: repo });
  assert.equal(dry.code, 0, dry.stderr);
  const planned = JSON.parse(dry.stdout) as GcResult;
  const v1Only = [first.get('train.csv')!, first.get('images')!, md5Of('b1')];
  assert.deepEqual(planned.objects.filter((o) => o.store === 'data').map((o) => o.oid).sort(), [...v1Only, v4].sort());
  assert.deepEqual(planned.objects.filter((o) => o.store === 'artifacts').map((o) => o.oid).sort(), [...deadOnly].sort());
  assert.equal(planned.data.removedBytes, planned.objects.filter((o) => o.store === 'data').reduce((n, o) => n + o.size, 0));
  for (const oid of [...v1Only, v4]) assert.ok(existsSync(dataObject(repo, oid)), `dry run kept ${oid}`);
  const human = await cli(['gc', '--rev', 'HEAD', '--dry-run'], { cwd: repo });
  assert.match(human.stdout, new RegExp(`data\\s+${v4}`));
  assert.match(human.stdout, /Would remove 4 data object\(s\) \(\d+ B\), kept \d+\.\nWould remove \d+ artifact object\(s\)/);

  // Every branch and tag: only the deleted run's data version and artifacts go.
  const done = await cli(['gc', '--json'], { cwd: repo });
  assert.equal(done.code, 0, done.stderr);
  const result = JSON.parse(done.stdout) as GcResult;
  assert.ok(result.revisions.includes('refs/tags/v1'), result.revisions.join(', '));
  assert.equal(result.revisions.length, 2, 'the branch and the tag');
  assert.deepEqual(result.objects.map((o) => o.oid).sort(), [v4, ...deadOnly].sort());
  assert.equal(existsSync(dataObject(repo, v4)), false);
  for (const md5 of deadOnly) assert.equal(existsSync(artifactObject(repo, md5)), false);
  const reachable = [...first.values(), ...second.values(), md5Of('a'), md5Of('b1'), md5Of('b2'), v3, v5];
  for (const oid of reachable) assert.ok(existsSync(dataObject(repo, oid)), `kept ${oid}`);
  for (const a of live.artifacts) assert.ok(existsSync(artifactObject(repo, a.md5)), `kept live artifact ${a.path}`);
  assert.ok(existsSync(artifactObject(repo, md5Of('weights'))), 'kept the model version file');
  assert.equal((await cli(['fsck'], { cwd: repo })).code, 0);
  assert.equal((await cli(['checkout', '--rev', 'v1', '--force'], { cwd: repo })).code, 0);
  assert.equal(readFileSync(join(repo, 'images', 'b.bin'), 'utf8'), 'b1');

  const again = JSON.parse((await cli(['gc', '--json'], { cwd: repo })).stdout) as GcResult;
  // The workspace now holds v1's pointers, so v5, never committed nor used by a run, is no longer reachable.
  assert.deepEqual(again.objects.map((o) => o.oid), [v5]);
  const last = JSON.parse((await cli(['gc', '--json'], { cwd: repo })).stdout) as GcResult;
  assert.equal(last.objects.length, 0, 'nothing left to collect');
});
