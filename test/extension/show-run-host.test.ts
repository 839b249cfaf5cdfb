import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../src/extension/connection/service';
import { ShowRunHost } from '../../src/extension/show-run/host';
import type { WebviewPort } from '../../src/extension/show-run/host';
import { ShowRunRequest, ShowRunUpdate } from '../../src/shared/show-run';
import type { MessageFromShowRun, MessageToShowRun } from '../../src/shared/show-run';
import { Emitter } from '../../src/extension/util/emitter';
import { cli, DIST, logRun, makeProject, stopEngine, waitFor } from './fixture';

/** The webview side of the contract, as a plain object: what the host posts is collected and awaited by predicate. */
function panel() {
  const posted = new Emitter<MessageToShowRun>();
  const fromWebview = new Emitter<MessageFromShowRun>();
  let title = '';
  const port: WebviewPort = { post: (m) => posted.fire(m), setTitle: (t) => (title = t), onMessage: (l) => fromWebview.event(l) };
  const next = <T extends MessageToShowRun['type']>(type: T, send?: MessageFromShowRun) => {
    const wait = waitFor(posted.event, (m) => m.type === type, `a ${type} message`) as Promise<Extract<MessageToShowRun, { type: T }>>;
    if (send) fromWebview.fire(send);
    return wait;
  };
  return { port, next, title: () => title };
}

void test('Show Run: ready handshake, answers matched by request id, change notices and unknown runs', async (t) => {
  const dir = makeProject({ git: true });
  const runId = logRun(dir, 'exp', 'shown', '0.5');
  cli(dir, 'engine', 'start');
  const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '' });
  t.after(async () => {
    engine.dispose();
    await stopEngine(dir);
  });
  engine.connect();
  await waitFor(engine.onState, (s) => s.kind === 'connected', 'the engine');

  const view = panel();
  const host = new ShowRunHost(runId, view.port, engine);
  t.after(() => host.dispose());
  const init = await view.next(ShowRunUpdate.Init, { type: ShowRunRequest.Ready });
  assert.deepEqual(init, { type: ShowRunUpdate.Init, runId, engineConnected: true });

  const loaded = await view.next(ShowRunUpdate.RunLoaded, { type: ShowRunRequest.LoadRun, requestId: 7, runId });
  assert.equal(loaded.requestId, 7);
  const run = loaded.run;
  assert.equal(run.runName, 'shown');
  assert.equal(run.experimentName, 'exp');
  assert.equal(run.status, 'FINISHED');
  assert.match(run.git.commit ?? '', /^[0-9a-f]{40}$/);
  assert.equal(run.git.branch, 'main');
  assert.equal(typeof run.git.dirty, 'boolean');
  assert.deepEqual(run.metrics.map((m) => [m.key, m.display]), [['accuracy', '0.5']]);
  assert.ok(run.artifacts.some((a) => a.path === 'slipway/output.log'), JSON.stringify(run.artifacts));
  assert.ok(!run.tags.some((tag) => tag.key === 'mlflow.source.git.commit'), 'git tags are folded into the git field');
  assert.equal(view.title(), 'Run shown');

  const failed = await view.next(ShowRunUpdate.RequestFailed, { type: ShowRunRequest.LoadRun, requestId: 8, runId: 'f'.repeat(32) });
  assert.equal(failed.requestId, 8);
  assert.match(failed.message, /f{32}|not found|does not exist/i);

  const changed = view.next(ShowRunUpdate.RunChanged);
  cli(dir, 'run', '--experiment', 'other', '--', 'true');
  // A write to another run must not disturb this panel; a write to this one must.
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [`${DIST}/cli.js`, 'log', 'metric', 'late', '1'], { cwd: dir, env: { ...process.env, SLIPWAY_RUN_ID: runId } });
  assert.equal((await changed).runId, runId);
});
