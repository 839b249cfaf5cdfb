import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DataAddOutput, RunResultOutput, RunShowOutput } from '../../src/shared/cli';
import type { DataLineageOutput, ModelVersionLineageOutput, RunLineageOutput } from '../../src/shared/lineage';
import { EngineServer } from '../../src/engine/api';
import { openProject } from '../../src/engine/project';
import { cli, git, gitRepo } from '../helpers';
import { http } from '../sse-client';

async function run(repo: string, ...command: string[]): Promise<string> {
  const r = await cli(['run', '--json', '--', ...command], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput).runId;
}

void test('runs record the data versions they used; lineage is followed both ways, in the CLI and over HTTP', async () => {
  const repo = gitRepo();
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  writeFileSync(join(repo, 'train.csv'), 'a,b\n1,2\n');
  mkdirSync(join(repo, 'images'));
  writeFileSync(join(repo, 'images', 'x.bin'), 'xx');
  const added = JSON.parse((await cli(['add', 'train.csv', 'images', '--json'], { cwd: repo })).stdout) as DataAddOutput;
  const md5 = new Map(added.added.map((a) => [a.path, a.md5]));
  const v1 = md5.get('train.csv')!;
  const dir = md5.get('images')!;
  assert.match(dir, /\.dir$/);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'data v1');
  const first = await run(repo, 'true');

  writeFileSync(join(repo, 'train.csv'), 'a,b\n3,4\n');
  const v2 = (JSON.parse((await cli(['add', 'train.csv', '--json'], { cwd: repo })).stdout) as DataAddOutput).added[0]!.md5;
  assert.notEqual(v1, v2);
  writeFileSync(join(repo, 'model.bin'), 'weights');
  const second = await run(repo, 'true');

  const shown = JSON.parse((await cli(['runs', 'show', first, '--json'], { cwd: repo })).stdout) as RunShowOutput;
  assert.deepEqual(shown.data.map((d) => [d.path, d.md5]), [['images', dir], ['train.csv', v1]]);
  assert.equal(shown.tags.find((t) => t.key === 'slipway.data.count')?.value, '2');
  assert.ok(shown.artifacts.some((a) => a.path === 'slipway/data-versions.json'));
  const human = (await cli(['runs', 'show', second], { cwd: repo })).stdout;
  assert.match(human, new RegExp(`Data:\\n  images ${dir.replace('.', '\\.')}\\n  train\\.csv ${v2}`));

  const reg = await cli(['models', 'register', 'clf', join(repo, 'model.bin'), '--json'], { cwd: repo });
  assert.equal(reg.code, 0, reg.stderr);
  // A version registered from a run inherits the run's lineage.
  const fromRun = await cli(['models', 'register', 'clf', `runs:/${second}/slipway/data-versions.json`, '--json'], { cwd: repo });
  assert.equal(fromRun.code, 0, fromRun.stderr);

  const byOld = JSON.parse((await cli(['lineage', v1, '--json'], { cwd: repo })).stdout) as DataLineageOutput;
  assert.deepEqual(byOld.runs.map((r) => r.runId), [first]);
  assert.deepEqual(byOld.modelVersions, []);
  const byNew = JSON.parse((await cli(['lineage', v2, '--json'], { cwd: repo })).stdout) as DataLineageOutput;
  assert.deepEqual(byNew.runs.map((r) => r.runId), [second]);
  assert.deepEqual(byNew.modelVersions.map((m) => [m.name, m.version, m.runId]), [['clf', 2, second]]);
  const byPath = JSON.parse((await cli(['lineage', '../train.csv', '--json'], { cwd: join(repo, 'images') })).stdout) as DataLineageOutput;
  assert.equal(byPath.target, 'train.csv', 'a path is taken relative to the working directory');
  assert.deepEqual(byPath.runs.map((r) => r.runId).sort(), [first, second].sort());
  const byDir = JSON.parse((await cli(['lineage', dir.replace(/\.dir$/, ''), '--json'], { cwd: repo })).stdout) as DataLineageOutput;
  assert.equal(byDir.runs.length, 2, 'a directory hash matches with or without .dir');
  assert.match((await cli(['lineage', 'nothing.csv'], { cwd: repo })).stdout, /No run has used nothing\.csv/);
  assert.match((await cli(['lineage', 'train.csv'], { cwd: repo })).stdout, /Model versions:\nMODEL.*\nclf\s+2/);

  const project = openProject(repo);
  const server = new EngineServer({ project, token: 'lineage-token-0123456789', version: 'test' });
  try {
    const port = await server.listen(0);
    const res = await http(port, 'GET', `/api/slipway/v1/lineage/runs/${second}`);
    assert.equal(res.status, 200);
    const body = res.json() as RunLineageOutput;
    assert.deepEqual(body.data.map((d) => [d.path, d.md5]), [['images', dir], ['train.csv', v2]]);
    assert.deepEqual(body.modelVersions, [{ name: 'clf', version: 2 }]);
    const data = await http(port, 'GET', `/api/slipway/v1/lineage/data?target=${v1}`);
    assert.deepEqual((data.json() as DataLineageOutput).runs.map((r) => r.runId), [first]);
    assert.equal((await http(port, 'GET', `/api/slipway/v1/lineage/runs/${'0'.repeat(32)}`)).status, 404);
    const model = (await http(port, 'GET', '/api/slipway/v1/lineage/models/clf/2')).json() as ModelVersionLineageOutput;
    assert.equal(model.runId, second);
    assert.deepEqual(model.data.map((d) => d.md5), [dir, v2]);
    const fromFile = (await http(port, 'GET', '/api/slipway/v1/lineage/models/clf/1')).json() as ModelVersionLineageOutput;
    assert.deepEqual([fromFile.runId, fromFile.data], [null, []]);
    assert.equal((await http(port, 'GET', '/api/slipway/v1/lineage/models/clf/9')).status, 404);
    assert.equal((await http(port, 'GET', '/api/slipway/v1/lineage/models/clf')).status, 400);
  } finally {
    await server.close();
    project.close();
  }
});

void test('a .dvc file that does not parse is noted on the run and does not stop it', async () => {
  const repo = gitRepo();
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  writeFileSync(join(repo, 'broken.csv.dvc'), 'outs:\n- path: broken.csv\n  md5: [not, a, hash\n');
  const r = await cli(['run', '--json', '--', 'true'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /slipway: Data versions not recorded: .*broken\.csv\.dvc/);
  const { runId } = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput;
  const shown = JSON.parse((await cli(['runs', 'show', runId, '--json'], { cwd: repo })).stdout) as RunShowOutput;
  assert.deepEqual(shown.data, []);
  assert.match(shown.tags.find((t) => t.key === 'slipway.data.note')?.value ?? '', /broken\.csv\.dvc/);
});
