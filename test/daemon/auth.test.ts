import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { EngineServer, sendJson } from '../../src/engine/api';
import { initProject, openProject } from '../../src/engine/project';
import { gitRepo } from '../helpers';
import { http } from '../sse-client';

test('mutating routes need the bearer token; reads do not', async () => {
  const repo = gitRepo();
  initProject(repo);
  const project = openProject(repo);
  let calls = 0;
  const server = new EngineServer({
    project,
    token: 'secret-token-0123456789',
    version: 'test',
    routes: [{ method: 'POST', path: '/api/slipway/v1/test-write', mutating: true, handle: ({ res }) => (calls++, sendJson(res, 200, { ok: true })) }],
  });
  const port = await server.listen(0);
  try {
    assert.equal((await http(port, 'POST', '/api/slipway/v1/test-write')).status, 401);
    assert.equal((await http(port, 'POST', '/api/slipway/v1/test-write', { headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await http(port, 'POST', '/api/slipway/v1/test-write', { headers: { authorization: 'Bearer secret-token-0123456789x' } })).status, 401);
    assert.equal(calls, 0);
    const ok = await http(port, 'POST', '/api/slipway/v1/test-write', { headers: { authorization: 'Bearer secret-token-0123456789' } });
    assert.equal(ok.status, 200);
    assert.equal(calls, 1);
    assert.equal((await http(port, 'GET', '/api/2.0/mlflow/experiments/search')).status, 200);
    assert.equal((await http(port, 'DELETE', '/api/2.0/mlflow/experiments/search')).status, 405);
  } finally {
    await server.close();
    project.close();
  }
  assert.ok(join(repo).length > 0);
});
