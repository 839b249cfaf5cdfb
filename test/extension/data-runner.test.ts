import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliCancelled, CliError, runCli, type CliRunnerOptions } from '../../src/extension/data/runner';
import type { DataAddOutput, DataCheckoutOutput, DataFsckOutput, DataTransferOutput, RemoteAddOutput } from '../../src/shared/cli';
import { CLI, cli, gitRepo, tempDir, waitFor } from '../helpers';

const options = (cwd: string, extra: Partial<CliRunnerOptions> = {}): CliRunnerOptions => ({ cliScript: CLI, cwd, runtime: () => ({ command: process.execPath, env: {} }), ...extra });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every file below `dir`, relative. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1));
}

async function project(): Promise<string> {
  const repo = gitRepo();
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  return repo;
}

void test('runs the built CLI in the workspace and resolves to its JSON: add, push, checkout', async () => {
  const repo = await project();
  writeFileSync(join(repo, 'train.csv'), 'a,b\n1,2\n');
  const added = await runCli<DataAddOutput>(options(repo), ['add', 'train.csv']);
  assert.deepEqual(added.added.map((r) => [r.path, r.dvcFile, r.changed]), [['train.csv', 'train.csv.dvc', true]]);
  assert.ok(existsSync(join(repo, 'train.csv.dvc')));

  const remoteDir = tempDir();
  await runCli<RemoteAddOutput>(options(repo), ['remote', 'add', 'store', remoteDir]);
  const pushed = await runCli<DataTransferOutput>(options(repo), ['push']);
  assert.deepEqual([pushed.remote, pushed.needed, pushed.transferred], ['store', 1, 1]);

  rmSync(join(repo, 'train.csv'));
  const checkedOut = await runCli<DataCheckoutOutput>(options(repo), ['checkout']);
  assert.deepEqual(checkedOut.checkedOut.map((r) => [r.path, r.action]), [['train.csv', 'restored']]);
  assert.equal(readFileSync(join(repo, 'train.csv'), 'utf8'), 'a,b\n1,2\n');
});

void test('a failed command rejects with the CLI error sentence and code', async () => {
  const repo = await project();
  writeFileSync(join(repo, 'x.csv'), '1\n');
  await runCli(options(repo), ['add', 'x.csv']);
  writeFileSync(join(repo, 'x.csv'), '2\n');
  // Checkout refuses to overwrite a change the cache does not hold; the editor offers --force on this code.
  const refused = await runCli(options(repo), ['checkout']).then(
    () => assert.fail('checkout should refuse'),
    (error: unknown) => error,
  );
  assert.ok(refused instanceof CliError);
  assert.equal(refused.code, 'INVALID_STATE');
  assert.match(refused.message, /x\.csv has changes that are not saved in the cache/);
  assert.equal(readFileSync(join(repo, 'x.csv'), 'utf8'), '2\n');
  await runCli(options(repo), ['checkout', '--force']);
  assert.equal(readFileSync(join(repo, 'x.csv'), 'utf8'), '1\n');

  await assert.rejects(runCli(options(repo), ['push']), (error: unknown) => error instanceof CliError && /remote/i.test(error.message));
  await assert.rejects(runCli(options(repo, { runtime: () => ({ command: join(repo, 'no-such-node'), env: {} }) }), ['status']), /Could not run .*no-such-node.*slipway\.engine\.nodePath/);
});

void test('cancelling a long add ends the process; no pointer file and no partial cache object remain', async () => {
  const repo = await project();
  const big = join(repo, 'big.bin');
  writeFileSync(big, '');
  truncateSync(big, 1024 ** 3); // sparse: cheap to create, a full gigabyte to hash and copy
  let pid = 0;
  const abort = new AbortController();
  const cache = join(repo, '.slipway', 'cache');
  const running = runCli(options(repo, { onSpawn: (p) => (pid = p) }), ['add', 'big.bin'], abort.signal);
  running.catch(() => undefined);
  // Cancel while the object is being written into the cache: the worst moment for a half-written file.
  await waitFor(() => filesUnder(cache).some((f) => f.endsWith('.tmp')), 30_000, 'the cache write to start');
  abort.abort();
  await assert.rejects(running, (error: unknown) => error instanceof CliCancelled && /slipway add was cancelled/.test(error.message));
  assert.ok(pid > 0);
  assert.equal(alive(pid), false, 'the CLI process is gone once the promise settles');

  assert.deepEqual(readdirSync(repo).filter((name) => name.includes('big.bin.dvc')), [], 'no pointer file, finished or temporary');
  assert.deepEqual(filesUnder(cache).filter((f) => !f.endsWith('.tmp')), [], 'no object under its final name');
  const fsck = await runCli<DataFsckOutput>(options(repo), ['fsck']);
  assert.deepEqual(fsck.corrupt, []);

  // Already aborted: nothing starts.
  await assert.rejects(runCli(options(repo), ['status'], abort.signal), CliCancelled);
});

void test('a CLI that ignores the interrupt is killed after the grace period', async () => {
  const dir = tempDir();
  const stubborn = join(dir, 'stubborn.js');
  const ready = join(dir, 'ready');
  writeFileSync(stubborn, `process.on('SIGINT', () => {}); require('node:fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000);\n`);
  let pid = 0;
  const abort = new AbortController();
  const running = runCli(options(dir, { cliScript: stubborn, killGraceMs: 200, onSpawn: (p) => (pid = p) }), ['add', 'x'], abort.signal);
  running.catch(() => undefined);
  await waitFor(() => existsSync(ready), 5000, 'the stub to ignore interrupts');
  abort.abort();
  await assert.rejects(running, CliCancelled);
  assert.equal(alive(pid), false);
});
