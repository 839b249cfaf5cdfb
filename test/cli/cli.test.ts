import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunResultOutput, RunShowOutput, RunsListOutput, CliErrorOutput, InitOutput } from '../../src/shared/cli';
import { cli, gitRepo, tempDir, waitFor, cliChild } from '../helpers';

async function project(): Promise<string> {
  const repo = gitRepo({ 'train.sh': 'echo training\n' });
  const init = await cli(['init', '--json'], { cwd: repo });
  assert.equal(init.code, 0, init.stderr);
  const out = JSON.parse(init.stdout) as InitOutput;
  assert.equal(out.created, true);
  return repo;
}

test('init creates .slipway/, git-ignores it once, and is idempotent', async () => {
  const repo = await project();
  assert.ok(existsSync(join(repo, '.slipway', 'slipway.db')));
  assert.match(readFileSync(join(repo, '.gitignore'), 'utf8'), /^\/\.slipway\/$/m);
  const again = await cli(['init', '--json'], { cwd: repo });
  assert.deepEqual(JSON.parse(again.stdout), { root: repo, created: false, gitignoreUpdated: false });
  assert.equal(readFileSync(join(repo, '.gitignore'), 'utf8').match(/\.slipway/g)?.length, 1);
});

test('run tracks a command: exit code, output artifact, params, duration, git provenance', async () => {
  const repo = await project();
  const slipway = `${process.execPath} ${join(__dirname, '..', '..', 'dist', 'cli.js')}`;
  const script = `echo to-stdout; echo to-stderr >&2; ${slipway} log metric auc 0.91 --step 3; ${slipway} log param depth 6`;
  const ok = await cli(['run', '--json', '-e', 'credit', '-n', 'baseline', '-p', 'lr=0.1', '--', 'sh', '-c', script], { cwd: repo });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /to-stdout/);
  assert.match(ok.stderr, /to-stderr/);
  const result = JSON.parse(ok.stdout.slice(ok.stdout.indexOf('{'))) as RunResultOutput;
  assert.equal(result.status, 'FINISHED');
  assert.equal(result.exitCode, 0);
  const show = await cli(['runs', 'show', result.runId.slice(0, 8), '--json'], { cwd: repo });
  assert.equal(show.code, 0, show.stderr);
  const run = JSON.parse(show.stdout) as RunShowOutput;
  assert.equal(run.runName, 'baseline');
  assert.equal(run.experimentName, 'credit');
  assert.equal(run.status, 'FINISHED');
  assert.ok(run.durationMs !== null && run.durationMs >= 0);
  assert.deepEqual(run.params, [{ key: 'depth', value: '6' }, { key: 'lr', value: '0.1' }]);
  assert.deepEqual(run.metrics, { auc: 0.91 });
  assert.equal(run.gitBranch, 'main');
  assert.match(run.gitCommit ?? '', /^[0-9a-f]{40}$/);
  assert.equal(run.gitDirty, true, '.gitignore was changed by init and is uncommitted');
  assert.deepEqual(run.artifacts.map((a) => a.path), ['slipway/git.diff', 'slipway/output.log']);
  assert.equal(run.tags.find((t) => t.key === 'slipway.exit_code')?.value, '0');
});

test("run exits with the child's code and records FAILED or KILLED", async () => {
  const repo = await project();
  const failed = await cli(['run', '--', 'sh', '-c', 'exit 7'], { cwd: repo });
  assert.equal(failed.code, 7);
  const killed = await cli(['run', '--', 'sh', '-c', 'kill -TERM $$'], { cwd: repo });
  assert.equal(killed.code, 143);
  const missing = await cli(['run', '--', 'no-such-command-xyz'], { cwd: repo });
  assert.equal(missing.code, 127);
  assert.match(missing.stderr, /could not start "no-such-command-xyz"/);
  const list = JSON.parse((await cli(['runs', 'list', '--json'], { cwd: repo })).stdout) as RunsListOutput;
  assert.deepEqual(list.runs.map((r) => r.status).sort(), ['FAILED', 'FAILED', 'KILLED']);
});

test('an interrupted run is KILLED and the CLI exits 130', async () => {
  const repo = await project();
  const child = cliChild(['run', '--', 'sleep', '30'], { cwd: repo });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  await waitFor(() => stderr.includes('started'), 10_000, 'the run to start');
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  assert.equal(code, 130);
  const list = JSON.parse((await cli(['runs', 'list', '--json'], { cwd: repo })).stdout) as RunsListOutput;
  assert.equal(list.runs[0]?.status, 'KILLED');
});

test('runs list paginates and filters; runs show rejects unknown ids', async () => {
  const repo = await project();
  for (const auc of ['0.6', '0.8', '0.9']) {
    const r = await cli(['run', '-p', `auc=${auc}`, '--', 'true'], { cwd: repo });
    assert.equal(r.code, 0, r.stderr);
  }
  const filtered = JSON.parse((await cli(['runs', 'list', '--json', '--filter', "params.auc != '0.8'"], { cwd: repo })).stdout) as RunsListOutput;
  assert.equal(filtered.runs.length, 2);
  const page = JSON.parse((await cli(['runs', 'list', '--json', '-n', '2'], { cwd: repo })).stdout) as RunsListOutput;
  assert.equal(page.runs.length, 2);
  assert.ok(page.nextPageToken);
  const human = await cli(['runs', 'list'], { cwd: repo });
  assert.match(human.stdout, /^RUN\s+NAME\s+EXPERIMENT\s+STATUS/);
  const unknown = await cli(['runs', 'show', 'abcdef12', '--json'], { cwd: repo });
  assert.equal(unknown.code, 2);
  assert.equal((JSON.parse(unknown.stderr) as CliErrorOutput).error.code, 'RESOURCE_DOES_NOT_EXIST');
});

test('usage errors exit 2; a folder that is not a project says to run init', async () => {
  const repo = await project();
  const bad = await cli(['runs', 'list', '--bogus'], { cwd: repo });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown option '--bogus'/);
  const unknownCommand = await cli(['frobnicate'], { cwd: repo });
  assert.equal(unknownCommand.code, 2);
  const plain = tempDir();
  const noProject = await cli(['runs', 'list'], { cwd: plain });
  assert.equal(noProject.code, 2);
  assert.match(noProject.stderr, /not inside a Slipway project or git repository\. Run `slipway init`/);
  const uninitialised = gitRepo();
  const notInit = await cli(['run', '--', 'true'], { cwd: uninitialised });
  assert.equal(notInit.code, 2);
  assert.match(notInit.stderr, /has no \.slipway\/ folder\. Run `slipway init`/);
});

test('a malformed slipway.yaml is reported with its line, and nothing runs', async () => {
  const repo = await project();
  writeFileSync(join(repo, 'slipway.yaml'), 'version: 1\ntracking:\n  experiment: a\nserving: [\n');
  const broken = await cli(['run', '--', 'touch', 'ran.txt'], { cwd: repo });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /slipway\.yaml:\d+:\d+: YAML syntax error/);
  writeFileSync(join(repo, 'slipway.yaml'), 'version: 1\nservng: {}\n');
  const unknown = await cli(['run', '--', 'touch', 'ran.txt'], { cwd: repo });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /slipway\.yaml:2:1: Unknown key "servng"/);
  assert.equal(existsSync(join(repo, 'ran.txt')), false);
  writeFileSync(join(repo, 'slipway.yaml'), 'version: 1\ntracking:\n  experiment: from-config\n');
  await cli(['run', '--', 'true'], { cwd: repo });
  const list = JSON.parse((await cli(['runs', 'list', '--json'], { cwd: repo })).stdout) as RunsListOutput;
  assert.equal(list.runs[0]?.experimentName, 'from-config');
});

test('a folder outside git still tracks runs, recorded as not a repository', async () => {
  const dir = tempDir();
  assert.equal((await cli(['init'], { cwd: dir })).code, 0);
  const r = await cli(['run', '--json', '--', 'true'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const { runId } = JSON.parse(r.stdout) as RunResultOutput;
  const run = JSON.parse((await cli(['runs', 'show', runId, '--json'], { cwd: dir })).stdout) as RunShowOutput;
  assert.equal(run.gitCommit, null);
  assert.equal(run.tags.find((t) => t.key === 'slipway.git.repository')?.value, 'none');
});

test('a corrupted store is reported clearly and left in place', async () => {
  const repo = await project();
  writeFileSync(join(repo, '.slipway', 'slipway.db'), Buffer.alloc(4096, 7));
  for (const f of ['slipway.db-wal', 'slipway.db-shm']) if (existsSync(join(repo, '.slipway', f))) writeFileSync(join(repo, '.slipway', f), '');
  const r = await cli(['runs', 'list', '--json'], { cwd: repo });
  assert.equal(r.code, 3);
  const error = JSON.parse(r.stderr) as CliErrorOutput;
  assert.equal(error.error.code, 'STORE_UNREADABLE');
  assert.match(error.error.message, /Move it aside/);
  assert.deepEqual(readFileSync(join(repo, '.slipway', 'slipway.db')), Buffer.alloc(4096, 7));
});
