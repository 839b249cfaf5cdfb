import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineService } from '../../src/extension/connection/service';
import type { EngineState } from '../../src/extension/connection/connection';
import { fetchCommits } from '../../src/extension/data/fetch';
import { DataModel } from '../../src/extension/data/model';
import { runCli } from '../../src/extension/data/runner';
import { DIST, cli, makeProject, stopEngine, waitFor } from './fixture';

const commit = (dir: string, message: string) => {
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message], { cwd: dir });
};

void test('the Data tree follows adds and checkouts through data events, and .dvc edits when the watcher reports them', async (t) => {
  const dir = makeProject({ git: true });
  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', backoffMs: [50, 100, 200] });
  const data = new DataModel(engine);
  const run = <T>(...args: string[]) => runCli<T>({ cliScript: join(DIST, 'cli.js'), cwd: dir, runtime: () => ({ command: process.execPath, env: {} }) }, args);
  const rows = () => data.roots.map((n) => `${n.label}: ${n.description ?? ''}`);
  const tree = (accept: () => boolean, what: string) => (accept() ? Promise.resolve() : waitFor<void>((l) => data.onDidChange(l), accept, what));
  t.after(async () => {
    engine.dispose();
    data.dispose();
    await stopEngine(dir);
  });
  cli(dir, 'engine', 'start');
  engine.connect();
  await (engine.state.kind === 'connected' ? Promise.resolve() : waitFor(engine.onState, (s: EngineState) => s.kind === 'connected', 'the engine'));
  await tree(() => /No tracked data yet/.test(data.message ?? ''), 'the empty hint');

  writeFileSync(join(dir, 'train.csv'), 'v1\n');
  await run('add', 'train.csv');
  await tree(() => rows().join() === 'train.csv: unchanged', 'the added path, announced by the engine');
  assert.equal(data.badge?.value, undefined);
  commit(dir, 'Data v1');

  writeFileSync(join(dir, 'train.csv'), 'v2\n');
  await run('add', 'train.csv');
  commit(dir, 'Data v2');
  await tree(() => rows().join() === 'train.csv: unchanged', 'v2 recorded');

  const { commits } = await fetchCommits(engine.state.kind === 'connected' ? engine.state.http : assert.fail('disconnected'), 50, true);
  assert.deepEqual(commits.map((c) => c.subject), ['Data v2', 'Data v1']);
  // Restoring v1 rewrites the data and its pointer file; the checkout's change rows refresh the tree.
  const refreshed = waitFor<void>((l) => data.onDidChange(l), () => true, 'a refresh after checkout --rev');
  await run('checkout', '--rev', commits[1]!.hash);
  await refreshed;
  assert.equal(readFileSync(join(dir, 'train.csv'), 'utf8'), 'v1\n');
  assert.deepEqual(rows(), ['train.csv: unchanged']);

  // A pointer file arriving without any engine write (a git pull, an edit): the watcher's call refreshes the tree.
  writeFileSync(join(dir, 'model.bin.dvc'), 'outs:\n- md5: 0123456789abcdef0123456789abcdef\n  size: 3\n  hash: md5\n  path: model.bin\n');
  data.pointerFilesChanged();
  await tree(() => rows().includes('model.bin: missing · not in cache'), 'the new pointer in the tree');
  const badge: DataModel['badge'] = data.badge;
  assert.equal(badge?.value, 1);
  assert.equal(data.roots.find((n) => n.label === 'model.bin')?.icon?.id, 'cloud-download');
});
