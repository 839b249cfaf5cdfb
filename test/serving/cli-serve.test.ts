import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliChild, exited, gitRepo, waitFor } from '../helpers';
import { serveOutput } from './helpers';

const MODELS = join(__dirname, '..', 'fixtures', 'models');
const row = { annual_income: 57080.1, loan_amount: 19728.68, employment_years: 1.3, existing_debt_ratio: 0.1427, credit_history_months: 152 };

async function registeredProject(): Promise<string> {
  const repo = gitRepo();
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  const v1 = await cli(['models', 'register', 'credit', join(MODELS, 'credit_matrix.onnx'), '--schema', join(MODELS, 'credit_matrix.schema.yaml')], { cwd: repo });
  assert.equal(v1.code, 0, v1.stderr);
  const alias = await cli(['models', 'alias', 'credit', 'champion', '1', '--reason', 'first model'], { cwd: repo });
  assert.equal(alias.code, 0, alias.stderr);
  return repo;
}

async function predict(url: string): Promise<{ status: number; version: string | undefined }> {
  const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(row) });
  const body = (await res.json()) as { version?: string };
  return { status: res.status, version: body.version ?? res.headers.get('x-slipway-model-version') ?? undefined };
}

test('slipway serve NAME@ALIAS answers from the registry and hot-swaps when the alias moves', async () => {
  const repo = await registeredProject();
  const server = cliChild(['serve', 'credit@champion', '--port', '0', '--json'], { cwd: repo });
  try {
    const endpoint = await serveOutput(server);
    assert.equal(endpoint.version, '1');
    assert.deepEqual(await predict(endpoint.url), { status: 200, version: '1' });
    const v2 = await cli(['models', 'register', 'credit', join(MODELS, 'credit_matrix_v2.onnx'), '--schema', join(MODELS, 'credit_matrix.schema.yaml')], { cwd: repo });
    assert.equal(v2.code, 0, v2.stderr);
    assert.equal((await cli(['models', 'alias', 'credit', 'champion', '2', '--reason', 'better AUC'], { cwd: repo })).code, 0);
    await waitFor(async () => (await predict(endpoint.url)).version === '2', 10_000, 'the endpoint to serve version 2');
    assert.ok(existsSync(join(repo, '.slipway', 'endpoints', 'credit@champion.json')));
  } finally {
    server.kill('SIGTERM');
    await exited(server);
  }
});

test('serve refuses a version that is not ONNX, an unknown alias, and a missing schema, with exit 2', async () => {
  const repo = await registeredProject();
  writeFileSync(join(repo, 'model.pkl'), 'pickled bytes');
  assert.equal((await cli(['models', 'register', 'credit', join(repo, 'model.pkl'), '--schema', join(MODELS, 'credit_matrix.schema.yaml')], { cwd: repo })).code, 0);
  const pickle = await cli(['serve', 'credit:2', '--port', '0'], { cwd: repo });
  assert.equal(pickle.code, 2);
  assert.match(pickle.stderr, /not an ONNX model.*Export it to ONNX/);
  const unknown = await cli(['serve', 'credit@shadow', '--port', '0'], { cwd: repo });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /shadow/);
  assert.equal((await cli(['models', 'register', 'bare', join(MODELS, 'credit_matrix.onnx')], { cwd: repo })).code, 0);
  const noSchema = await cli(['serve', 'bare:1', '--port', '0'], { cwd: repo });
  assert.equal(noSchema.code, 2);
  assert.match(noSchema.stderr, /has no column schema/);
});

test('slipway deploy docker writes a build context for a registered version', async () => {
  const repo = await registeredProject();
  const out = join(repo, 'deploy');
  const r = await cli(['deploy', 'k8s', 'credit@champion', '--out', out, '--json'], { cwd: repo });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { files: string[]; command: string[] };
  assert.ok(existsSync(join(out, 'Dockerfile')));
  assert.ok(result.files.some((f) => /deployment/i.test(f)));
  assert.equal(result.command[0], 'node');
  const bad = await cli(['deploy', 'podman', 'credit@champion', '--out', join(repo, 'x')], { cwd: repo });
  assert.equal(bad.code, 2);
});
