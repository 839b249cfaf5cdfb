import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, watch, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandContext, PickItem, Ui } from '../../src/extension/commands/context';
import { COMMANDS } from '../../src/extension/commands/table';
import { DataModel } from '../../src/extension/data/model';
import { runCli } from '../../src/extension/data/runner';
import { EngineService } from '../../src/extension/connection/service';
import { REASON_REQUIRED } from '../../src/extension/models/commands';
import { fetchHistory } from '../../src/extension/models/fetch';
import { loadHistoryDocument } from '../../src/extension/models/history';
import { ModelsModel } from '../../src/extension/models/model';
import { MonitoringModel } from '../../src/extension/monitoring/model';
import { RunsModel } from '../../src/extension/runs/model';
import { endpointsDir } from '../../src/extension/serving/endpoints';
import { EndpointsModel } from '../../src/extension/serving/model';
import { startServing, stopServing } from '../../src/extension/serving/process';
import { Emitter } from '../../src/extension/util/emitter';
import { cli, DIST, makeProject, REPO, stopEngine, waitFor } from './fixture';

const MODELS = join(REPO, 'test', 'fixtures', 'models');
const ROW = { annual_income: 57080.1, loan_amount: 19728.68, employment_years: 1.3, existing_debt_ratio: 0.1427, credit_history_months: 152 };

/**
 * The editor side of the commands, scripted: each pick chooses the item with the next expected label, each input box
 * answers the next string; messages and opened documents are recorded.
 */
function scriptedUi() {
  const answers: (string | undefined)[] = [];
  const messages = new Emitter<{ kind: 'info' | 'error'; text: string }>();
  const log: { kind: 'info' | 'error'; text: string }[] = [];
  const documents: string[] = [];
  const offered: string[][] = [];
  const say = (kind: 'info' | 'error', text: string) => {
    log.push({ kind, text });
    messages.fire({ kind, text });
  };
  const ui: Ui = {
    info: (text) => say('info', text),
    error: (text) => say('error', text),
    pick<T>(items: PickItem<T>[]) {
      offered.push(items.map((i) => i.label));
      const label = answers.shift();
      return Promise.resolve(items.find((i) => i.label === label)?.value);
    },
    ask: () => Promise.resolve(answers.shift()),
    progress: (_title, work) => work(),
    openUntitled: (content) => {
      documents.push(content);
      return Promise.resolve();
    },
    cancellable: (_title, work) => work(new AbortController().signal),
    choosePaths: () => Promise.resolve(undefined),
    confirm: () => Promise.resolve(false),
  };
  return { ui, answers, log, documents, offered, messages };
}

function command(id: string) {
  const spec = COMMANDS.find((c) => c.id === id);
  assert.ok(spec, `no command ${id}`);
  return spec;
}

function setup(dir: string) {
  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', backoffMs: [50, 100, 200] });
  const endpoints = new EndpointsModel(dir);
  const models = new ModelsModel(engine, endpoints);
  const runs = new RunsModel(engine, () => ({ keyMetrics: [], maxRuns: 10 }));
  const script = scriptedUi();
  const histories: string[] = [];
  // The editor's FileSystemWatcher on .slipway/endpoints/*.json, played by fs.watch.
  mkdirSync(endpointsDir(dir), { recursive: true });
  const watcher = watch(endpointsDir(dir), () => void endpoints.reload());
  const ctx: CommandContext = {
    engine,
    runs,
    ui: script.ui,
    showRun: () => undefined,
    data: { tree: new DataModel(engine), root: dir, runCli: (args, signal) => runCli({ cliScript: join(DIST, 'cli.js'), cwd: dir, runtime: () => ({ command: process.execPath, env: {} }) }, args, signal) },
    models: {
      tree: models,
      endpoints,
      serve: (modelRef) => startServing({ root: dir, cliScript: join(DIST, 'cli.js'), runtime: { command: process.execPath, env: {} }, modelRef }, endpoints),
      showHistory: async (name) => void histories.push(await loadHistoryDocument(engine, name)),
      requestFiles: () => Promise.resolve([join(dir, 'bad.json'), join(dir, 'request.json')]),
      relative: (path) => relative(dir, path),
    },
    monitoring: { tree: new MonitoringModel(engine), runCli: () => Promise.reject(new Error('not used here')), openReport: () => undefined, chooseJsonFile: () => Promise.resolve(undefined) },
  };
  const tree = (accept: () => boolean, what: string) => (accept() ? Promise.resolve() : waitFor<void>((l) => models.onDidChange(l), accept, what));
  const dispose = async () => {
    watcher.close();
    for (const e of endpoints.endpoints) process.kill(e.pid, 'SIGTERM');
    models.dispose();
    runs.dispose();
    endpoints.dispose();
    engine.dispose();
    await stopEngine(dir);
  };
  return { engine, endpoints, models, ctx, script, histories, tree, dispose };
}

const versionRow = (models: ModelsModel, v: string) => models.roots.find((m) => m.label === 'credit')?.children?.find((c) => c.label === `v${v}`);

void test('Models tree against a real daemon: aliases set with a reason, refused without one, rolled back, and the history shows it', async (t) => {
  const dir = makeProject({ git: true });
  for (const file of ['credit_matrix.onnx', 'credit_matrix_v2.onnx']) cli(dir, 'models', 'register', 'credit', join(MODELS, file), '--schema', join(MODELS, 'credit_matrix.schema.yaml'));
  cli(dir, 'engine', 'start');
  const { engine, models, ctx, script, histories, tree, dispose } = setup(dir);
  t.after(dispose);
  engine.connect();
  await tree(() => models.roots[0]?.children?.length === 2, 'credit with two versions');
  assert.equal(models.roots[0]!.description, '2 versions');

  // Empty reason: refused with a message, nothing written.
  script.answers.push('credit', 'v2', 'champion', '   ');
  await command('slipway.setModelAlias').run(ctx);
  assert.deepEqual(script.offered.slice(-2), [['credit'], ['v2', 'v1']]);
  assert.deepEqual(script.log.at(-1), { kind: 'error', text: REASON_REQUIRED });
  const state = engine.state;
  assert.equal(state.kind, 'connected');
  if (state.kind !== 'connected') return;
  assert.deepEqual((await fetchHistory(state.http, 'credit')).entries, []);

  // From the v2 row: only the alias name and the reason are asked; the tree follows the engine's event.
  const moved = tree(() => /^@champion/.test(versionRow(models, '2')?.description ?? ''), 'v2 to show @champion');
  script.answers.push('champion', 'better AUC on the holdout');
  await command('slipway.setModelAlias').run(ctx, versionRow(models, '2'));
  assert.deepEqual(script.log.at(-1), { kind: 'info', text: 'credit@champion now points at v2.' });
  await moved;
  assert.match(models.roots[0]!.description ?? '', /@champion→v2/);

  script.answers.push('credit', 'v1', 'champion', 'trying the old one');
  await command('slipway.setModelAlias').run(ctx);
  await tree(() => /^@champion/.test(versionRow(models, '1')?.description ?? ''), 'v1 to hold @champion');

  // Roll back: an empty reason is refused too, then the alias returns to v2.
  script.answers.push('credit', '@champion', '');
  await command('slipway.rollbackModelAlias').run(ctx);
  assert.deepEqual(script.log.at(-1), { kind: 'error', text: REASON_REQUIRED });
  script.answers.push('@champion', 'v1 regressed');
  await command('slipway.rollbackModelAlias').run(ctx, models.roots[0]);
  assert.deepEqual(script.log.at(-1), { kind: 'info', text: 'credit@champion rolled back to v2.' });
  await tree(() => /^@champion/.test(versionRow(models, '2')?.description ?? ''), 'v2 to hold @champion again');

  await command('slipway.showModelHistory').run(ctx, models.roots[0]);
  const history = histories.at(-1)!;
  assert.match(history, /Verification: OK\. 3 entries checked/);
  const rows = history.split('\n').filter((l) => /^\| \d{4}-/.test(l));
  assert.equal(rows.length, 3);
  assert.match(rows[0]!, /alias\.rollback @champion: 1 → 2 \| v1 regressed/);
  assert.match(rows[1]!, /alias\.set @champion: 2 → 1 \| trying the old one/);
  assert.match(rows[2]!, /alias\.set @champion: — → 2 \| better AUC on the holdout/);
});

void test('Serve Model, Request Playground and Stop Serving: served state follows the endpoint files', async (t) => {
  const dir = makeProject({ git: true });
  for (const file of ['credit_matrix.onnx', 'credit_matrix_v2.onnx']) cli(dir, 'models', 'register', 'credit', join(MODELS, file), '--schema', join(MODELS, 'credit_matrix.schema.yaml'));
  cli(dir, 'models', 'alias', 'credit', 'champion', '1', '--reason', 'first model');
  writeFileSync(join(dir, 'request.json'), JSON.stringify(ROW));
  writeFileSync(join(dir, 'bad.json'), '{"annual_income": ');
  cli(dir, 'engine', 'start');
  const { engine, endpoints, models, ctx, script, tree, dispose } = setup(dir);
  t.after(dispose);
  engine.connect();
  await tree(() => versionRow(models, '1') !== undefined, 'credit v1');

  script.answers.push('credit@champion');
  await command('slipway.serveModel').run(ctx, versionRow(models, '1'));
  assert.deepEqual(script.offered.at(-1), ['credit@champion', 'credit:1']);
  assert.match(script.log.at(-1)!.text, /^Serving credit:1 at http:\/\/127\.0\.0\.1:\d+ \(pid \d+\)\.$/);
  const [endpoint] = endpoints.endpoints;
  assert.ok(endpoint);
  assert.equal(endpoint.name, 'credit@champion');
  await tree(() => (versionRow(models, '1')?.description ?? '').includes(`serving :${endpoint.port}`), 'v1 to show it is served');
  assert.equal(versionRow(models, '1')!.contextValue, 'modelVersion.served');

  script.answers.push('bad.json');
  await command('slipway.requestPlayground').run(ctx);
  assert.match(script.log.at(-1)!.text, /^bad\.json is not valid JSON/);
  assert.equal(script.documents.length, 0);

  script.answers.push('request.json');
  await command('slipway.requestPlayground').run(ctx);
  assert.deepEqual(script.offered.at(-1), ['bad.json', 'request.json']);
  const answer = JSON.parse(script.documents.at(-1)!) as { model: string; version: string; id: string; outputs: Record<string, unknown> };
  assert.equal(answer.model, 'credit');
  assert.equal(answer.version, '1');
  assert.ok(answer.id && Object.keys(answer.outputs).length > 0, 'a prediction with outputs');

  // The alias moves: the endpoint hot-swaps, rewrites its file, and the served state moves to the v2 row.
  script.answers.push('champion', 'v2 passed the shadow test');
  await command('slipway.setModelAlias').run(ctx, versionRow(models, '2'));
  await tree(() => (versionRow(models, '2')?.description ?? '').includes(`serving :${endpoint.port}`) && !(versionRow(models, '1')?.description ?? '').includes('serving'), 'the served state to follow the alias to v2');

  const stopped = waitFor<void>((l) => endpoints.onDidChange(l), () => endpoints.endpoints.length === 0, 'the endpoint file to go away', 15_000);
  await command('slipway.stopServing').run(ctx);
  assert.match(script.log.at(-1)!.text, new RegExp(`^Stopped credit@champion \\(pid ${endpoint.pid}\\)`));
  await stopped;
  await tree(() => !(versionRow(models, '1')?.description ?? '').includes('serving'), 'v1 to lose its served state');
  await command('slipway.stopServing').run(ctx);
  assert.match(script.log.at(-1)!.text, /^Nothing is being served/);
});

void test('a start from the editor is noticed even when no file watcher reports the endpoint file', async (t) => {
  const dir = makeProject({ git: true });
  cli(dir, 'models', 'register', 'credit', join(MODELS, 'credit_matrix.onnx'), '--schema', join(MODELS, 'credit_matrix.schema.yaml'));
  // No watcher wired to `reload`: only the pending start's own re-reads can find the file.
  const endpoints = new EndpointsModel(dir);
  t.after(() => {
    for (const e of endpoints.endpoints) process.kill(e.pid, 'SIGTERM');
    endpoints.dispose();
  });
  const endpoint = await startServing({ root: dir, cliScript: join(DIST, 'cli.js'), runtime: { command: process.execPath, env: {} }, modelRef: 'credit', timeoutMs: 20_000 }, endpoints);
  assert.equal(endpoint.model, 'credit');
  assert.equal(endpoint.version, '1');
  const res = await fetch(`${endpoint.url}/ready`);
  assert.equal(res.status, 200);
  assert.deepEqual(endpoints.endpoints.map((e) => e.pid), [endpoint.pid]);
  // Stopping does not wait on a watcher either: when it returns, the endpoint is gone from the model.
  assert.equal(await stopServing(endpoint, endpoints), 'stopped');
  assert.deepEqual(endpoints.endpoints, []);
  assert.equal(await stopServing(endpoint, endpoints), 'gone');
});
