import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineStatus } from '../../src/extension/connection/status';
import { EngineHttp } from '../../src/extension/connection/http';

void test('the status bar names the engine when connected and the reason when not', () => {
  const engine = { port: 1, pid: 42, token: 't', version: '0.1.0', url: 'http://127.0.0.1:1', startedAt: 0 };
  assert.deepEqual(engineStatus({ kind: 'connected', engine, http: new EngineHttp(engine) }), { text: '$(server-process) Slipway', tooltip: 'Slipway engine 0.1.0 at http://127.0.0.1:1 (pid 42)', warning: false });
  assert.equal(engineStatus({ kind: 'connecting' }).warning, false);
  assert.deepEqual(engineStatus({ kind: 'disconnected', reason: 'Gone.' }), { text: '$(debug-disconnect) Slipway: engine stopped', tooltip: 'Gone.', warning: true });
});
