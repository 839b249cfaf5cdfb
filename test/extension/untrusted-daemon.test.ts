import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineService } from '../../src/extension/connection/service';
import type { EngineState } from '../../src/extension/connection/connection';
import { discovery, DIST, makeProject, stopEngine, waitFor } from './fixture';
import { http } from '../sse-client';
import { isProcessAlive } from '../../src/engine/lifecycle';
import { readFileSync } from 'node:fs';

/** The command line of a running process (Linux). */
const argsOf = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

for (const trusted of [true, false]) {
  void test(`the extension starts the daemon ${trusted ? 'without' : 'with'} --untrusted when the workspace is ${trusted ? '' : 'not '}trusted`, async (t) => {
    const dir = makeProject({ git: false });
    const engine = new EngineService({ root: dir, distDir: DIST, nodePath: () => '', trusted: () => trusted, backoffMs: [50, 100, 200] });
    t.after(async () => {
      engine.dispose();
      await stopEngine(dir);
    });
    engine.connect();
    await engine.start();
    const state = engine.state.kind === 'connected' ? engine.state : await waitFor<EngineState>(engine.onState, (s) => s.kind === 'connected', 'connected');
    assert.equal(state.kind, 'connected');
    const { pid, port } = discovery(dir);
    assert.ok(isProcessAlive(pid));
    assert.equal(argsOf(pid).includes('--untrusted'), !trusted);
    assert.equal((await http(port, 'GET', '/api/slipway/v1/monitors')).status, 200);
  });
}
