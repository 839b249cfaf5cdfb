import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineServer } from '../../src/engine/api';
import { initProject, openProjectAt, ProjectPaths, type OpenProject } from '../../src/engine/project';
import { loadTranscript, matchExpect, substitute } from './transcript';

const TOKEN = 'registry-test-token';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

let port = 0;

/** One raw HTTP request: GET fields go in the query string (repeated keys for lists), others in a JSON body. */
function call(method: string, path: string, fields?: Record<string, unknown>, options: { token?: string | null; host?: string; raw?: string } = {}): Promise<Reply> {
  const url = new URL(path, `http://127.0.0.1:${port}`);
  let body: string | undefined = options.raw;
  if (fields && method === 'GET') {
    for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  } else if (fields) {
    body = JSON.stringify(fields);
  }
  const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${port}` };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function expectError(reply: Promise<Reply>, status: number, code: string, message?: RegExp): Promise<void> {
  const { status: got, body } = await reply;
  assert.equal(got, status, JSON.stringify(body));
  assert.equal(body.error_code, code);
  assert.equal(typeof body.message, 'string');
  if (message) assert.match(body.message as string, message);
}

const RM = '/api/2.0/mlflow/registered-models';
const MV = '/api/2.0/mlflow/model-versions';

describe('registry REST API over raw HTTP', () => {
  let dir: string;
  let project: OpenProject;
  let server: EngineServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-registry-http-'));
    initProject(dir);
    project = openProjectAt(new ProjectPaths(dir));
    server = new EngineServer({ project, token: TOKEN, version: 'test' });
    port = await server.listen(0);
  });
  after(async () => {
    await server.close();
    project.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, reads, searches, updates, renames and deletes registered models', async () => {
    const created = await call('POST', `${RM}/create`, { name: 'http-model', description: 'd', tags: [{ key: 'team', value: 'risk' }] });
    assert.equal(created.status, 200);
    assert.deepEqual((created.body.registered_model as Record<string, unknown>).tags, [{ key: 'team', value: 'risk' }]);
    const got = await call('GET', `${RM}/get`, { name: 'http-model' });
    assert.equal((got.body.registered_model as { name: string }).name, 'http-model');
    await call('POST', `${RM}/create`, { name: 'http-other' });
    const search = await call('GET', `${RM}/search`, { filter: "name LIKE 'http-%'", max_results: 1, order_by: ['name DESC'] });
    assert.deepEqual((search.body.registered_models as { name: string }[]).map((m) => m.name), ['http-other']);
    const page2 = await call('GET', `${RM}/search`, { filter: "name LIKE 'http-%'", max_results: '1', order_by: ['name DESC'], page_token: search.body.next_page_token });
    assert.deepEqual((page2.body.registered_models as { name: string }[]).map((m) => m.name), ['http-model']);
    const updated = await call('PATCH', `${RM}/update`, { name: 'http-model', description: 'new' });
    assert.equal((updated.body.registered_model as { description: string }).description, 'new');
    const renamed = await call('POST', `${RM}/rename`, { name: 'http-other', new_name: 'http-renamed' });
    assert.equal((renamed.body.registered_model as { name: string }).name, 'http-renamed');
    assert.deepEqual((await call('DELETE', `${RM}/delete`, { name: 'http-renamed', reason: 'cleanup' })).body, {});
    await expectError(call('GET', `${RM}/get`, { name: 'http-renamed' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    assert.deepEqual((await call('GET', `${RM}/search`, { filter: "name = 'nothing'" })).body, {});
  });

  it('serves versions, stages, tags, aliases, download URIs and latest versions', async () => {
    await call('POST', `${RM}/create`, { name: 'staged' });
    for (let i = 1; i <= 3; i++) {
      const v = await call('POST', `${MV}/create`, { name: 'staged', source: `mlflow-artifacts:/1/r${i}/artifacts/model`, run_id: `r${i}`, tags: [{ key: 'i', value: String(i) }] });
      assert.equal(v.status, 200);
      assert.deepEqual([(v.body.model_version as { version: string }).version, (v.body.model_version as { status: string }).status], [String(i), 'READY']);
    }
    const t = await call('POST', `${MV}/transition-stage`, { name: 'staged', version: '1', stage: 'Production', archive_existing_versions: false });
    assert.equal((t.body.model_version as { current_stage: string }).current_stage, 'Production');
    await call('POST', `${MV}/transition-stage`, { name: 'staged', version: '2', stage: 'production', archive_existing_versions: true, reason: 'better' });
    assert.equal(((await call('GET', `${MV}/get`, { name: 'staged', version: '1' })).body.model_version as { current_stage: string }).current_stage, 'Archived');
    const latest = await call('POST', `${RM}/get-latest-versions`, { name: 'staged', stages: ['Production'] });
    assert.deepEqual((latest.body.model_versions as { version: string }[]).map((v) => v.version), ['2']);
    const latestGet = await call('GET', `${RM}/get-latest-versions`, { name: 'staged' });
    assert.deepEqual((latestGet.body.model_versions as { version: string }[]).map((v) => v.version).sort(), ['1', '2', '3']);
    await call('POST', `${MV}/set-tag`, { name: 'staged', version: '3', key: 'validated', value: 'yes' });
    const byRun = await call('GET', `${MV}/search`, { filter: "name = 'staged' AND tags.validated = 'yes'" });
    assert.deepEqual((byRun.body.model_versions as { version: string }[]).map((v) => v.version), ['3']);
    await call('DELETE', `${MV}/delete-tag`, { name: 'staged', version: '3', key: 'validated' });
    await call('PATCH', `${MV}/update`, { name: 'staged', version: '3', description: 'candidate' });
    assert.equal((await call('GET', `${MV}/get-download-uri`, { name: 'staged', version: '3' })).body.artifact_uri, 'mlflow-artifacts:/1/r3/artifacts/model');

    assert.deepEqual((await call('POST', `${RM}/alias`, { name: 'staged', alias: 'champion', version: '2' })).body, {});
    await call('POST', `${RM}/alias`, { name: 'staged', alias: 'champion', version: 3, reason: 'v3 wins' });
    const byAlias = await call('GET', `${RM}/alias`, { name: 'staged', alias: 'champion' });
    assert.deepEqual([(byAlias.body.model_version as { version: string }).version, (byAlias.body.model_version as { aliases: string[] }).aliases], ['3', ['champion']]);
    const model = await call('GET', `${RM}/get`, { name: 'staged' });
    assert.deepEqual((model.body.registered_model as { aliases: unknown }).aliases, [{ alias: 'champion', version: '3' }]);

    const rolled = await call('POST', '/api/slipway/v1/models/rollback', { name: 'staged', alias: 'champion', reason: 'v3 regressed' });
    assert.equal((rolled.body.model_version as { version: string }).version, '2');
    await call('DELETE', `${RM}/alias`, { name: 'staged', alias: 'champion', reason: 'retire' });
    await expectError(call('GET', `${RM}/alias`, { name: 'staged', alias: 'champion' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    await call('DELETE', `${MV}/delete`, { name: 'staged', version: '1' });
    await expectError(call('GET', `${MV}/get`, { name: 'staged', version: '1' }), 404, 'RESOURCE_DOES_NOT_EXIST');

    const audit = await call('GET', '/api/slipway/v1/models/audit', { name: 'staged', verify: 'true' });
    const entries = audit.body.entries as { action: string; from: string | null; to: string | null; reason: string }[];
    assert.deepEqual(entries.map((e) => [e.action, e.from, e.to]), [
      ['stage.transition', 'None', 'Production'],
      ['stage.transition', 'Production', 'Archived'],
      ['stage.transition', 'None', 'Production'],
      ['version.tag.delete', 'yes', null],
      ['alias.set', null, '2'],
      ['alias.set', '2', '3'],
      ['alias.rollback', '3', '2'],
      ['alias.delete', '2', null],
      ['version.delete', '{"source":"mlflow-artifacts:/1/r1/artifacts/model","stage":"Archived"}', null],
    ]);
    assert.equal(entries[5]!.reason, 'v3 wins');
    const verification = audit.body.verification as { ok: boolean; checked: number; problems: unknown[] };
    assert.deepEqual([verification.ok, verification.problems], [true, []]);
    assert.ok(verification.checked >= entries.length);
  });

  it('answers bad input with MLflow error codes and 4xx statuses, writing nothing', async () => {
    await expectError(call('POST', `${RM}/create`, {}), 400, 'INVALID_PARAMETER_VALUE', /required parameter 'name'/);
    await expectError(call('POST', `${RM}/create`, { name: 42 }), 400, 'INVALID_PARAMETER_VALUE');
    await expectError(call('POST', `${RM}/create`, { name: 'x', tags: 'nope' }), 400, 'INVALID_PARAMETER_VALUE');
    await expectError(call('POST', `${RM}/create`, { name: 'x', tags: [{ key: 'k'.repeat(251), value: 'v' }] }), 400, 'INVALID_PARAMETER_VALUE', /250/);
    await expectError(call('POST', `${RM}/create`, undefined, { raw: '{"name": ' }), 400, 'INVALID_PARAMETER_VALUE', /Malformed JSON/);
    await expectError(call('POST', `${RM}/create`, undefined, { raw: '[1]' }), 400, 'INVALID_PARAMETER_VALUE');
    await call('POST', `${RM}/create`, { name: 'dup' });
    await expectError(call('POST', `${RM}/create`, { name: 'dup' }), 400, 'RESOURCE_ALREADY_EXISTS');
    await expectError(call('POST', `${MV}/create`, { name: 'missing', source: 's' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    await expectError(call('POST', `${MV}/create`, { name: 'dup' }), 400, 'INVALID_PARAMETER_VALUE', /'source'/);
    await expectError(call('GET', `${MV}/get`, { name: 'dup', version: 'abc' }), 400, 'INVALID_PARAMETER_VALUE');
    await expectError(call('GET', `${MV}/get`, { name: 'dup', version: '7' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    await expectError(call('POST', `${MV}/transition-stage`, { name: 'dup', version: '1', stage: 'Staging' }), 404, 'RESOURCE_DOES_NOT_EXIST');
    await call('POST', `${MV}/create`, { name: 'dup', source: 's' });
    await expectError(call('POST', `${MV}/transition-stage`, { name: 'dup', version: '1', stage: 'Gold' }), 400, 'INVALID_PARAMETER_VALUE', /Invalid stage/);
    await expectError(call('POST', `${MV}/transition-stage`, { name: 'dup', version: '1', stage: 'Archived', archive_existing_versions: 'yes' }), 400, 'INVALID_PARAMETER_VALUE');
    await expectError(call('POST', `${RM}/alias`, { name: 'dup', alias: 'v1', version: '1' }), 400, 'INVALID_PARAMETER_VALUE', /reserved/);
    await expectError(call('GET', `${RM}/search`, { filter: "name = 'a' OR name = 'b'" }), 400, 'INVALID_PARAMETER_VALUE', /only AND/);
    await expectError(call('GET', `${RM}/search`, { max_results: 5000 }), 400, 'INVALID_PARAMETER_VALUE');
    await expectError(call('GET', `${RM}/search`, { page_token: '!!' }), 400, 'INVALID_PARAMETER_VALUE');
    await expectError(call('POST', '/api/slipway/v1/models/rollback', { name: 'dup', alias: 'champion' }), 400, 'INVALID_PARAMETER_VALUE', /'reason'/);
    const names = ((await call('GET', `${RM}/search`, {})).body.registered_models as { name: string }[]).map((m) => m.name);
    assert.ok(!names.includes('x'), 'no model was created by a rejected request');
  });

  it('requires the token on writes, not on reads, and refuses foreign Host headers', async () => {
    await expectError(call('POST', `${RM}/create`, { name: 'no-token' }, { token: null }), 401, 'UNAUTHENTICATED');
    await expectError(call('POST', `${RM}/alias`, { name: 'dup', alias: 'a', version: '1' }, { token: 'wrong' }), 401, 'UNAUTHENTICATED');
    await expectError(call('DELETE', `${RM}/delete`, { name: 'dup' }, { token: null }), 401, 'UNAUTHENTICATED');
    assert.equal((await call('GET', `${RM}/get`, { name: 'dup' }, { token: null })).status, 200);
    await expectError(call('GET', `${RM}/get`, { name: 'dup' }, { host: 'evil.example:80' }), 403, 'PERMISSION_DENIED');
    await expectError(call('GET', `${RM}/get`, { name: 'no-token' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('serves the bytes of a file-registered version at its download URI', async () => {
    const { ModelRegistry } = await import('../../src/engine/registry');
    const { writeFileSync } = await import('node:fs');
    const registry = new ModelRegistry(project.store, { objects: project.tracking.artifacts });
    registry.createModel({ name: 'onnx model' });
    writeFileSync(join(dir, 'm.onnx'), 'ONNX-BYTES');
    const v = await registry.createVersionFromFile('onnx model', join(dir, 'm.onnx'));
    const uri = (await call('GET', `${MV}/get-download-uri`, { name: 'onnx model', version: v.version })).body.artifact_uri as string;
    assert.equal(uri, 'mlflow-artifacts:/registry/onnx%20model/1/m.onnx');
    const path = `/api/2.0/mlflow-artifacts/artifacts/${uri.slice('mlflow-artifacts:/'.length)}`;
    const bytes = await new Promise<string>((resolveBytes, reject) => {
      request(new URL(path, `http://127.0.0.1:${port}`), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveBytes(`${res.statusCode} ${Buffer.concat(chunks).toString()}`));
      })
        .on('error', reject)
        .end();
    });
    assert.equal(bytes, '200 ONNX-BYTES');
    await expectError(call('GET', '/api/2.0/mlflow-artifacts/artifacts/registry/onnx%20model/1/other.onnx'), 404, 'RESOURCE_DOES_NOT_EXIST');
    await expectError(call('GET', '/api/2.0/mlflow-artifacts/artifacts/registry/onnx%20model/9/m.onnx'), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  for (const file of ['mlflow-2.x.json', 'mlflow-3.x.json'] as const) {
    it(`replays the registry calls of the ${file} client transcript`, async () => {
      const transcript = loadTranscript(file);
      const vars: Record<string, string> = { experiment_id: '123456789', run_id: 'a'.repeat(32), model_id: 'm-' + 'b'.repeat(32), user: 'alice' };
      const registrySteps = transcript.steps.filter((s) => /\/(registered-models|model-versions)\//.test(s.request.path));
      assert.ok(registrySteps.length >= 4);
      const name = `credit-risk-${file.slice(7, 8)}`;
      for (const step of registrySteps) {
        const req = substitute(step.request, vars);
        const fields = JSON.parse(JSON.stringify(req.method === 'GET' ? req.query ?? {} : req.json ?? {}).replaceAll('credit-risk', name)) as Record<string, unknown>;
        const reply = await call(req.method, req.path, fields);
        assert.equal(reply.status, step.response.status, `${step.id}: ${JSON.stringify(reply.body)}`);
        matchExpect(reply.body, JSON.parse(JSON.stringify(step.response.expect ?? {}).replaceAll('credit-risk', name)), vars, step.id);
      }
    });
  }
});
