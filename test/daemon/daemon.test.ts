import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EngineStatusOutput, EnvOutput } from '../../src/shared/cli';
import type { EngineDiscovery } from '../../src/shared/engine-api';
import { cli, exited, gitRepo, lines, waitFor } from '../helpers';
import { SseClient, http } from '../sse-client';
import { isProcessAlive } from '../../src/engine/lifecycle';

async function initialised(): Promise<string> {
  const repo = gitRepo();
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  return repo;
}

async function start(repo: string): Promise<EngineDiscovery> {
  const r = await cli(['engine', 'start', '--json'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as EngineStatusOutput;
  assert.ok(status.running);
  return status.engine;
}

// Zombie-aware: a stopped engine may stay a zombie for a moment until init reaps it.
const alive = isProcessAlive;

test('engine start publishes a private discovery file; a second start reports the running engine; restart reuses port and token', async () => {
  const repo = await initialised();
  const engine = await start(repo);
  const file = join(repo, '.slipway', 'engine.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), engine);
  const health = await http(engine.port, 'GET', '/api/slipway/v1/health');
  assert.equal(health.status, 200);
  assert.equal((health.json() as { pid: number }).pid, engine.pid);

  const second = await cli(['engine', 'start'], { cwd: repo });
  assert.equal(second.code, 0);
  assert.match(second.stdout, new RegExp(`already running on http://127\\.0\\.0\\.1:${engine.port} \\(pid ${engine.pid}\\)`));

  const env = JSON.parse((await cli(['env', '--json'], { cwd: repo })).stdout) as EnvOutput;
  assert.deepEqual(env, { MLFLOW_TRACKING_URI: `http://127.0.0.1:${engine.port}`, MLFLOW_TRACKING_TOKEN: engine.token });

  assert.equal((await cli(['engine', 'stop'], { cwd: repo })).code, 0);
  assert.equal(alive(engine.pid), false);
  assert.equal(existsSync(file), false);
  const status = JSON.parse((await cli(['engine', 'status', '--json'], { cwd: repo })).stdout) as EngineStatusOutput;
  assert.equal(status.running, false);

  const again = await start(repo);
  assert.notEqual(again.pid, engine.pid);
  assert.equal(again.port, engine.port);
  assert.equal(again.token, engine.token);
  await cli(['engine', 'stop'], { cwd: repo });
});

test('a stale discovery file from a killed engine is detected and replaced', async () => {
  const repo = await initialised();
  const engine = await start(repo);
  process.kill(engine.pid, 'SIGKILL');
  await waitFor(() => !alive(engine.pid), 5000, 'the engine to die');
  assert.ok(existsSync(join(repo, '.slipway', 'engine.json')), 'a killed engine leaves its file behind');
  const status = JSON.parse((await cli(['engine', 'status', '--json'], { cwd: repo })).stdout) as EngineStatusOutput;
  assert.equal(status.running, false);
  assert.ok(!status.running && /no longer running; the stale file was removed/.test(status.reason));
  const fresh = await start(repo);
  assert.notEqual(fresh.pid, engine.pid);
  assert.equal(fresh.token, engine.token);
  await cli(['engine', 'stop'], { cwd: repo });
});

test('MLflow read routes answer with MLflow shapes; errors are JSON with MLflow codes; foreign Host headers are refused', async () => {
  const repo = await initialised();
  const run = await cli(['run', '--json', '-e', 'exp', '-n', 'r1', '-p', 'lr=0.1', '--', 'sh', '-c', `${process.execPath} ${join(__dirname, '..', '..', 'dist', 'cli.js')} log metric loss 0.5 --step 1`], { cwd: repo });
  assert.equal(run.code, 0, run.stderr);
  const runId = (JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { runId: string }).runId;
  const engine = await start(repo);
  const p = engine.port;
  try {
    const exps = (await http(p, 'GET', '/api/2.0/mlflow/experiments/search?max_results=10')).json() as { experiments: { name: string; experiment_id: string }[] };
    const exp = exps.experiments.find((e) => e.name === 'exp')!;
    assert.ok(exp);
    const got = await http(p, 'GET', `/api/2.0/mlflow/experiments/get?experiment_id=${exp.experiment_id}`);
    assert.equal((got.json() as { experiment: { name: string } }).experiment.name, 'exp');
    const viaGet = (await http(p, 'GET', `/api/2.0/mlflow/runs/search?experiment_ids=${exp.experiment_id}&experiment_ids=0&filter=${encodeURIComponent('metrics.loss < 1')}`)).json() as { runs: { info: { run_id: string } }[] };
    assert.deepEqual(viaGet.runs.map((r) => r.info.run_id), [runId]);
    const viaPost = await http(p, 'POST', '/api/2.0/mlflow/runs/search', { body: JSON.stringify({ experiment_ids: [exp.experiment_id], filter: "params.lr = '0.1'", max_results: 5 }) });
    assert.equal(viaPost.status, 200, viaPost.body);
    const runGet = (await http(p, 'GET', `/api/2.0/mlflow/runs/get?run_id=${runId}`)).json() as { run: { info: { status: string; run_name: string }; data: { params: unknown[] } } };
    assert.equal(runGet.run.info.status, 'FINISHED');
    assert.equal(runGet.run.info.run_name, 'r1');
    assert.deepEqual(runGet.run.data.params, [{ key: 'lr', value: '0.1' }]);
    const history = (await http(p, 'GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`)).json() as { metrics: { value: number; step: number }[] };
    assert.deepEqual(history.metrics.map((m) => [m.step, m.value]), [[1, 0.5]]);
    const listed = (await http(p, 'GET', `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=slipway`)).json() as { files: { path: string }[] };
    assert.ok(listed.files.some((f) => f.path === 'slipway/output.log'));
    const download = await http(p, 'GET', `/get-artifact?run_id=${runId}&path=slipway/output.log`);
    assert.equal(download.status, 200);
    const viaArtifacts = await http(p, 'GET', `/api/2.0/mlflow-artifacts/artifacts/${exp.experiment_id}/${runId}/artifacts/slipway/output.log`);
    assert.equal(viaArtifacts.body, download.body);

    const missing = await http(p, 'GET', `/api/2.0/mlflow/runs/get?run_id=${'0'.repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.equal((missing.json() as { error_code: string }).error_code, 'RESOURCE_DOES_NOT_EXIST');
    const badJson = await http(p, 'POST', '/api/2.0/mlflow/runs/search', { body: '{"experiment_ids": [' });
    assert.equal(badJson.status, 400);
    assert.match((badJson.json() as { message: string }).message, /Malformed JSON/);
    const wrongType = await http(p, 'POST', '/api/2.0/mlflow/runs/search', { body: JSON.stringify({ experiment_ids: [{}], filter: 7 }) });
    assert.equal(wrongType.status, 400);
    const traversal = await http(p, 'GET', `/get-artifact?run_id=${runId}&path=../../slipway.db`);
    assert.equal(traversal.status, 400);
    const huge = await http(p, 'POST', '/api/2.0/mlflow/runs/search', { body: Buffer.alloc(17 * 1024 * 1024, 32) });
    assert.equal(huge.status, 413);
    const noRoute = await http(p, 'GET', '/api/2.0/mlflow/nothing-here');
    assert.equal(noRoute.status, 404);
    assert.equal((noRoute.json() as { error_code: string }).error_code, 'ENDPOINT_NOT_FOUND');
    const foreign = await http(p, 'GET', '/api/slipway/v1/health', { headers: { host: 'attacker.example:80' } });
    assert.equal(foreign.status, 403);
    const localhost = await http(p, 'GET', '/api/slipway/v1/health', { headers: { host: `localhost:${p}` } });
    assert.equal(localhost.status, 200);
  } finally {
    await cli(['engine', 'stop'], { cwd: repo });
  }
});

test('the event stream reports a write by another process within a second, and replays missed changes', async () => {
  const repo = await initialised();
  const engine = await start(repo);
  const events = await SseClient.connect(engine.port, '/api/slipway/v1/events');
  try {
    const hello = await events.next((e) => e.event === 'hello');
    const helloSeq = (JSON.parse(hello.data) as { seq: number }).seq;
    const writer = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'cli.js'), 'run', '--', 'true'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    writer.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // The CLI prints "run <id> started" right after committing the new run.
    const startedAt = await waitFor(() => (/run ([0-9a-f]{32}) \(/.exec(stderr) ? Date.now() : 0), 10_000, 'the run to be created');
    const runId = /run ([0-9a-f]{32}) \(/.exec(stderr)![1]!;
    const created = await events.next((e) => e.event === 'change' && (JSON.parse(e.data) as { topic: string; key: string }).key === runId, 3000);
    assert.ok(created.receivedAt - startedAt < 1000, `event arrived ${created.receivedAt - startedAt} ms after the write`);
    assert.equal((JSON.parse(created.data) as { topic: string }).topic, 'runs');
    await exited(writer);

    const replay = await SseClient.connect(engine.port, `/api/slipway/v1/events?since=${helloSeq}&topics=runs`);
    const replayed = await replay.next((e) => e.event === 'change' && e.data.includes(runId), 3000);
    assert.ok(Number(replayed.id) > helloSeq);
    assert.ok(replay.events.filter((e) => e.event === 'change').every((e) => (JSON.parse(e.data) as { topic: string }).topic === 'runs'));
    replay.close();
  } finally {
    events.close();
    await cli(['engine', 'stop'], { cwd: repo });
  }
});

test('SIGTERM shuts down gracefully: streams end, the discovery file goes, the exit code is 0', async () => {
  const repo = await initialised();
  const daemon = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'daemon.js'), '--root', repo], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = lines(daemon);
  const first: IteratorResult<string> = await out.next();
  assert.match(first.done ? '' : first.value, /listening on http:\/\/127\.0\.0\.1:\d+/);
  const engine = JSON.parse(readFileSync(join(repo, '.slipway', 'engine.json'), 'utf8')) as EngineDiscovery;
  const events = await SseClient.connect(engine.port, '/api/slipway/v1/events');
  await events.next((e) => e.event === 'hello');
  daemon.kill('SIGTERM');
  const code = await exited(daemon);
  assert.equal(code, 0);
  assert.ok(events.ended);
  assert.equal(existsSync(join(repo, '.slipway', 'engine.json')), false);
  assert.equal(existsSync(join(repo, '.slipway', 'engine.lock')), false);
});

test('a second engine for the same project in the foreground is refused with a clear message', async () => {
  const repo = await initialised();
  const engine = await start(repo);
  try {
    const second = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'daemon.js'), '--root', repo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    second.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await Promise.all([exited(second), new Promise((r) => second.stderr.on('end', r))]);
    assert.equal(code, 3);
    assert.match(stderr, new RegExp(`already running for .* \\(pid ${engine.pid}\\)`));
    assert.equal((await http(engine.port, 'GET', '/api/slipway/v1/health')).status, 200);
  } finally {
    await cli(['engine', 'stop'], { cwd: repo });
  }
});

test('killing the engine while another process writes loses nothing; the next engine sees every write', async () => {
  const repo = await initialised();
  const engine = await start(repo);
  const writer = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', 'cli.js'), 'run', '--json', '--', 'sh', '-c', `for i in 1 2 3 4 5 6 7 8; do ${process.execPath} ${join(__dirname, '..', '..', 'dist', 'cli.js')} log metric m $i --step $i; done`], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  process.kill(engine.pid, 'SIGKILL');
  const code = await exited(writer);
  assert.equal(code, 0);
  const next = await start(repo);
  try {
    const runs = (await http(next.port, 'GET', '/api/2.0/mlflow/runs/search?experiment_ids=0')).json() as { runs: { info: { run_id: string } }[] };
    const runId = runs.runs[0]!.info.run_id;
    const history = (await http(next.port, 'GET', `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=m`)).json() as { metrics: unknown[] };
    assert.equal(history.metrics.length, 8);
  } finally {
    await cli(['engine', 'stop'], { cwd: repo });
  }
});
