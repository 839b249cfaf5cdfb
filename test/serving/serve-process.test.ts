import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../src/engine/store';
import type { EndpointDiscovery } from '../../src/shared/serving';
import { parseServeArgs } from '../../src/engine/serving';
import { MATRIX, numericRows, request, spawnServe, startServing, tempProject } from './helpers';

void test('a serve process writes .slipway/endpoints/<name>.json while up and removes it on SIGTERM, logging every answer', async () => {
  const root = tempProject();
  const proc = await spawnServe(['--model-file', MATRIX.modelFile, '--schema', MATRIX.schemaFile, '--name', 'credit', '--port', '0', '--project', root], { env: { SLIPWAY_SERVE_TOKEN: 's3cret' } });
  const file = join(root, '.slipway', 'endpoints', 'credit.json');
  const endpoint = JSON.parse(readFileSync(file, 'utf8')) as EndpointDiscovery;
  assert.equal(endpoint.url, proc.url);
  assert.equal(endpoint.pid, proc.child.pid);
  assert.equal(endpoint.token, 's3cret');
  assert.equal(endpoint.host, '127.0.0.1');
  assert.match(endpoint.version, /^[0-9a-f]{12}$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const ids: string[] = [];
  for (const row of numericRows.slice(0, 10)) ids.push(String((await request(`${proc.url}/predict`, { body: row })).body.id));
  proc.child.kill('SIGTERM');
  assert.equal(await proc.exited, 0);
  assert.equal(existsSync(file), false);
  const store = Store.open(join(root, '.slipway', 'slipway.db'), { readonly: true });
  assert.deepEqual(store.db.prepare('SELECT id FROM prediction_log ORDER BY id').pluck().all(), ids);
  store.close();
});

void test('graceful shutdown: a request in flight is answered, new ones are refused', async () => {
  const handle = await startServing({ name: 'credit' });
  const url = new URL(handle.url);
  const body = JSON.stringify(numericRows[0]);
  const socket = connect(Number(url.port), url.hostname);
  let response = '';
  socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const arrived = new Promise<void>((resolve) => handle.server.once('request', () => resolve()));
  socket.write(`POST /predict HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await arrived;
  const closed = handle.close();
  await assert.rejects(fetch(`${handle.url}/health`));
  socket.write(body.slice(10)); // the rest of the body, after shutdown began; the server closes the connection
  await ended;
  await closed;
  assert.match(response, /^HTTP\/1\.1 200 OK/);
  assert.match(response, /connection: close/i);
  assert.match(response, /"version":"[0-9a-f]{12}"/);
});

void test('serve arguments: defaults, --host for containers, bad port', () => {
  const options = parseServeArgs(['--model-file', 'm.onnx', '--schema', 's.yaml', '--host', '0.0.0.0']);
  assert.deepEqual([options.port, options.host, options.predictionLog], [8080, '0.0.0.0', true]);
  assert.throws(() => parseServeArgs(['--port', 'abc']), /--port must be a port number/);
  assert.throws(() => parseServeArgs(['--modelfile', 'x']), /Unknown option/);
});

void test('a missing model file is a usage error (exit 2) naming the file', async () => {
  await assert.rejects(
    spawnServe(['--model-file', join(tempProject(), 'absent.onnx'), '--schema', MATRIX.schemaFile, '--port', '0']),
    /exited with 2 before listening: .*absent\.onnx does not exist/,
  );
});
