import { test } from 'node:test';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { EngineService } from '../../src/extension/connection/service';
import type { EngineState } from '../../src/extension/connection/connection';
import { RunsModel } from '../../src/extension/runs/model';
import { cli, discovery, DIST, logRun, makeProject, stopEngine, waitFor } from './fixture';

function service(root: string) {
  const engine = new EngineService({ root, distDir: DIST, nodePath: () => '', backoffMs: [50, 100, 200] });
  const runs = new RunsModel(engine, () => ({ keyMetrics: [], maxRuns: 100 }));
  const state = (accept: (s: EngineState) => boolean, what: string) => (accept(engine.state) ? Promise.resolve(engine.state) : waitFor(engine.onState, accept, what));
  const tree = (accept: () => boolean, what: string) => (accept() ? Promise.resolve() : waitFor<void>((l) => runs.onDidChange(l), accept, what));
  return { engine, runs, state, tree };
}

const runLabels = (runs: RunsModel) => runs.roots.flatMap((e) => (e.children ?? []).map((r) => `${e.label}/${r.label}`));

void test('no daemon: the tree says so; the engine started from the CLI is attached, and a CLI run appears within 1 s', async (t) => {
  const dir = makeProject({ git: true });
  const { engine, runs, state, tree } = service(dir);
  t.after(async () => {
    engine.dispose();
    runs.dispose();
    await stopEngine(dir);
  });
  engine.connect();
  const down = await state((s) => s.kind === 'disconnected', 'the missing engine to be reported');
  assert.match((down as { reason: string }).reason, /not running/);
  await tree(() => /not running.*Start Engine/.test(runs.message ?? ''), 'the Runs view to say the engine is not running');

  cli(dir, 'engine', 'start');
  await state((s) => s.kind === 'connected', 'attaching to the CLI-started engine');
  await tree(() => runs.message?.startsWith('No runs yet') ?? false, 'an empty tree with a hint');

  const seen = tree(() => runLabels(runs).includes('train/first') && runs.roots[0]!.children![0]!.description === 'accuracy=0.75', 'the CLI run in the tree');
  logRun(dir, 'train', 'first');
  const written = Date.now();
  await seen;
  assert.ok(Date.now() - written < 1000, `the tree updated ${Date.now() - written} ms after the run finished`);
});

void test('the daemon killed while connected: the view says so, then recovers when an engine is back', async (t) => {
  const dir = makeProject({ git: true });
  logRun(dir, 'train', 'before');
  const { engine, runs, state, tree } = service(dir);
  t.after(async () => {
    engine.dispose();
    runs.dispose();
    await stopEngine(dir);
  });
  cli(dir, 'engine', 'start');
  engine.connect();
  await tree(() => runLabels(runs).includes('train/before'), 'the logged run');

  const { pid } = discovery(dir);
  process.kill(pid, 'SIGKILL');
  const lost = await state((s) => s.kind === 'disconnected' && /has exited/.test(s.reason), 'the dead process to be named');
  assert.match((lost as { reason: string }).reason, new RegExp(`process ${pid} has exited`));
  await tree(() => runs.roots.length === 0 && /has exited/.test(runs.message ?? ''), 'the view to say the engine is gone');

  logRun(dir, 'train', 'while-down');
  cli(dir, 'engine', 'start');
  await state((s) => s.kind === 'connected', 'reconnecting');
  await tree(() => runLabels(runs).includes('train/while-down'), 'runs written while the engine was down');
});

void test('Start Engine spawns the daemon in a workspace without git and attaches to it', async (t) => {
  const dir = makeProject({ git: false });
  const { engine, runs, state, tree } = service(dir);
  t.after(async () => {
    engine.dispose();
    runs.dispose();
    await stopEngine(dir);
  });
  engine.connect();
  await state((s) => s.kind === 'disconnected', 'the first attempt');
  await engine.start();
  assert.equal(engine.state.kind, 'connected');
  const runId = logRun(dir, 'nogit', 'plain');
  await tree(() => runLabels(runs).includes('nogit/plain'), 'a run logged without git');
  const row = runs.roots[0]!.children![0]!;
  assert.equal(row.id, `run:${runId}`);
  assert.match(row.tooltip ?? '', /No git commit recorded/);
});

void test('a DVC folder without .slipway/: nothing is started or created until Initialize Project', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-dvc-only-'));
  writeFileSync(join(dir, 'dvc.yaml'), 'stages: {}\n');
  const { engine, runs, state, tree } = service(dir);
  t.after(async () => {
    engine.dispose();
    runs.dispose();
    if (existsSync(join(dir, '.slipway'))) await stopEngine(dir);
  });
  engine.connect();
  const down = await state((s) => s.kind === 'disconnected', 'the first attempt');
  assert.equal((down as { uninitialized?: boolean }).uninitialized, true);
  await tree(() => /not a Slipway project yet.*Initialize Project/.test(runs.message ?? ''), 'the view to say the folder is not initialized');
  await assert.rejects(engine.start(), /is not a Slipway project yet\. Run "Slipway: Initialize Project"/);
  assert.equal(existsSync(join(dir, '.slipway')), false, 'a failed start must not create .slipway/');

  await engine.initialize();
  assert.equal(engine.state.kind, 'connected');
  assert.ok(existsSync(join(dir, '.slipway', 'engine.json')));
  await tree(() => runs.message?.startsWith('No runs yet') ?? false, 'the empty, connected view');
});
