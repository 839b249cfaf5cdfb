import assert from 'node:assert/strict';
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EngineStatusOutput } from '../../src/shared/cli';
import type { DataStatusResponse, GitCommitsResponse } from '../../src/shared/data-api';
import type { ChangeEvent, EngineDiscovery } from '../../src/shared/engine-api';
import { cli, git, gitRepo, tempDir } from '../helpers';
import { SseClient, http } from '../sse-client';

async function start(repo: string): Promise<EngineDiscovery> {
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  const r = await cli(['engine', 'start', '--json'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as EngineStatusOutput;
  assert.ok(status.running);
  return status.engine;
}

async function statusOf(port: number): Promise<Record<string, string>> {
  const res = await http(port, 'GET', '/api/slipway/v1/data/status');
  assert.equal(res.status, 200, res.body);
  const body = res.json() as DataStatusResponse;
  return Object.fromEntries(body.data.map((d) => [d.path, `${d.workspace}${d.inCache ? '' : ' not-in-cache'}`]));
}

test('data status reports each tracked path; an add by another process is announced with topic data', async () => {
  const repo = gitRepo({ 'README.md': 'hi\n' });
  mkdirSync(join(repo, 'data', 'images'), { recursive: true });
  writeFileSync(join(repo, 'data', 'train.csv'), 'a,b\n1,2\n');
  writeFileSync(join(repo, 'data', 'images', 'one.txt'), 'one\n');
  const engine = await start(repo);
  const events = await SseClient.connect(engine.port, '/api/slipway/v1/events?topics=data');
  try {
    assert.deepEqual(await statusOf(engine.port), {});
    const added = await cli(['add', 'data/train.csv', 'data/images', '--json'], { cwd: repo });
    assert.equal(added.code, 0, added.stderr);
    const event = await events.next((e) => e.event === 'change' && (JSON.parse(e.data) as ChangeEvent).topic === 'data');
    assert.match((JSON.parse(event.data) as ChangeEvent).key, /^data\/(train\.csv|images)$/);
    assert.deepEqual(await statusOf(engine.port), { 'data/train.csv': 'unchanged', 'data/images': 'unchanged' });

    writeFileSync(join(repo, 'data', 'train.csv'), 'a,b\n1,3\n');
    rmSync(join(repo, 'data', 'images'), { recursive: true });
    assert.deepEqual(await statusOf(engine.port), { 'data/train.csv': 'modified', 'data/images': 'missing' });

    // A pointer whose object the cache lacks (e.g. committed by a teammate, not pulled yet).
    writeFileSync(join(repo, 'model.bin.dvc'), 'outs:\n- md5: 0123456789abcdef0123456789abcdef\n  size: 3\n  hash: md5\n  path: model.bin\n');
    const body = (await http(engine.port, 'GET', '/api/slipway/v1/data/status')).json() as DataStatusResponse;
    const model = body.data.find((d) => d.path === 'model.bin');
    assert.deepEqual({ workspace: model?.workspace, inCache: model?.inCache, dvcFile: model?.dvcFile }, { workspace: 'missing', inCache: false, dvcFile: 'model.bin.dvc' });

    const post = await http(engine.port, 'POST', '/api/slipway/v1/data/status');
    assert.equal(post.status, 405);
  } finally {
    events.close();
    await cli(['engine', 'stop'], { cwd: repo });
  }
});

test('git commits: newest first with hash, subject, author and date; dvc=1 keeps commits touching .dvc files; max is checked', async () => {
  const repo = gitRepo({ 'README.md': 'hi\n' });
  writeFileSync(join(repo, 'data.csv'), 'x\n');
  const engine = await start(repo);
  try {
    assert.equal((await cli(['add', 'data.csv'], { cwd: repo })).code, 0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'Track data.csv');
    writeFileSync(join(repo, 'README.md'), 'hello | with a bar\n');
    git(repo, 'commit', '-q', '-am', 'Docs: a subject with | and "quotes"');

    const all = await http(engine.port, 'GET', '/api/slipway/v1/git/commits?max=50');
    assert.equal(all.status, 200, all.body);
    const commits = (all.json() as GitCommitsResponse).commits;
    assert.deepEqual(commits.map((c) => c.subject), ['Docs: a subject with | and "quotes"', 'Track data.csv', 'initial']);
    assert.equal(commits[0]!.hash, git(repo, 'rev-parse', 'HEAD'));
    assert.equal(commits[0]!.author, 't');
    assert.ok(!Number.isNaN(Date.parse(commits[0]!.date)), commits[0]!.date);

    const dvc = (await http(engine.port, 'GET', '/api/slipway/v1/git/commits?max=50&dvc=1')).json() as GitCommitsResponse;
    assert.deepEqual(dvc.commits.map((c) => c.subject), ['Track data.csv']);
    const one = (await http(engine.port, 'GET', '/api/slipway/v1/git/commits?max=1')).json() as GitCommitsResponse;
    assert.equal(one.commits.length, 1);
    const bad = await http(engine.port, 'GET', '/api/slipway/v1/git/commits?max=0');
    assert.equal(bad.status, 400);
    assert.match((bad.json() as { message: string }).message, /max must be a whole number from 1 to 1000/);
  } finally {
    await cli(['engine', 'stop'], { cwd: repo });
  }
});

test('git commits outside a git repository: an empty list and the reason', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'slipway.yaml'), 'version: 1\n');
  const engine = await start(dir);
  try {
    const res = await http(engine.port, 'GET', '/api/slipway/v1/git/commits');
    assert.equal(res.status, 200, res.body);
    const body = res.json() as GitCommitsResponse;
    assert.deepEqual(body.commits, []);
    assert.match(body.reason ?? '', /not a git repository/);
  } finally {
    await cli(['engine', 'stop'], { cwd: dir });
  }
});
