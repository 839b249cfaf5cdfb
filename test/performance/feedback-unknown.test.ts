// Labels for unknown prediction ids: POST /feedback and `slipway feedback` refuse the whole batch, naming the first
// unknown ids, and record nothing (performance would otherwise be measured on labels that match no prediction).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../src/engine/store';
import type { PredictBatchResponse } from '../../src/shared/serving';
import { cli } from '../helpers';
import { numericRows, request, RISK_CONFIG, startServing, tempProject } from '../serving/helpers';

function feedbackCount(root: string): number {
  const store = Store.open(join(root, '.slipway', 'slipway.db'), { readonly: true });
  try {
    return store.db.prepare('SELECT count(*) FROM prediction_feedback').pluck().get() as number;
  } finally {
    store.close();
  }
}

void test('POST /feedback with known and unknown ids: 404 naming the first unknown ids, nothing recorded', async () => {
  const root = tempProject(RISK_CONFIG);
  const handle = await startServing({ name: 'credit', projectRoot: root });
  try {
    const reply = (await request(`${handle.url}/predict`, { body: numericRows.slice(0, 4) })).body as unknown as PredictBatchResponse;
    const known = reply.predictions.map((p) => ({ id: p.id, label: 1 }));
    const unknown = Array.from({ length: 7 }, (_, i) => ({ id: `ghost-${i}`, label: 0 }));
    const refused = await request(`${handle.url}/feedback`, { body: [known[0], ...unknown, known[1]], headers: { authorization: 'Bearer test-token' } });
    assert.equal(refused.status, 404, refused.text);
    assert.equal(refused.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
    assert.match(String(refused.body.message), /No prediction with id ghost-0, ghost-1, ghost-2, ghost-3, ghost-4, … \(7 in all\); nothing was recorded/);
    assert.equal(feedbackCount(root), 0);

    // The CLI while the endpoint runs goes through the same route, with the same refusal and exit 2.
    const file = join(root, 'labels.json');
    writeFileSync(file, JSON.stringify([known[2], { id: 'ghost-x', label: 1 }]));
    const viaEndpoint = await cli(['feedback', file, '--endpoint', 'credit'], { cwd: root });
    assert.equal(viaEndpoint.code, 2, viaEndpoint.stderr);
    assert.match(viaEndpoint.stderr, /Endpoint credit refused the feedback: No prediction with id ghost-x; nothing was recorded/);
    assert.equal(feedbackCount(root), 0);

    const accepted = await request(`${handle.url}/feedback`, { body: known, headers: { authorization: 'Bearer test-token' } });
    assert.equal(accepted.status, 200);
    assert.equal(feedbackCount(root), 4);
  } finally {
    await handle.close();
  }
});

void test('slipway feedback with no endpoint running: exit 2 naming the unknown ids, nothing written to the store', async () => {
  const root = tempProject(RISK_CONFIG);
  const handle = await startServing({ name: 'credit', projectRoot: root });
  const reply = (await request(`${handle.url}/predict`, { body: numericRows.slice(0, 3) })).body as unknown as PredictBatchResponse;
  await handle.close();
  const ids = reply.predictions.map((p) => p.id);
  const file = join(root, 'labels.csv');
  writeFileSync(file, `id,label\n${ids[0]},1\nnope-1,0\n${ids[1]},0\nnope-2,1\n`);
  const refused = await cli(['feedback', file, '--endpoint', 'credit', '--json'], { cwd: root });
  assert.equal(refused.code, 2, refused.stderr);
  const error = (JSON.parse(refused.stderr) as { error: { code: string; message: string } }).error;
  assert.equal(error.code, 'RESOURCE_DOES_NOT_EXIST');
  assert.match(error.message, /No prediction with id nope-1, nope-2; nothing was recorded/);
  assert.equal(feedbackCount(root), 0);

  writeFileSync(file, `id,label\n${ids[0]},1\n${ids[1]},0\n`);
  const ok = await cli(['feedback', file, '--endpoint', 'credit'], { cwd: root });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Recorded 2 labels in the prediction log/);
  assert.equal(feedbackCount(root), 2);
});
