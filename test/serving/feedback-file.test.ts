import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFeedbackFile, submitFeedback } from '../../src/engine/serving';
import { Store } from '../../src/engine/store';
import type { PredictBatchResponse } from '../../src/shared/serving';
import { numericRows, request, startServing, tempProject } from './helpers';

void test('feedback files: JSON array, JSON Lines and CSV; bad entries named by line', () => {
  const dir = tempProject();
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const want = [{ id: 'a', label: 1 }, { id: 'b', label: 'no' }];
  assert.deepEqual(readFeedbackFile(file('f.json', JSON.stringify(want))), want);
  assert.deepEqual(readFeedbackFile(file('f.jsonl', want.map((w) => JSON.stringify(w)).join('\n') + '\n')), want);
  assert.deepEqual(readFeedbackFile(file('f.csv', 'label,id\n1,a\nno,b\n')), want);
  assert.throws(() => readFeedbackFile(file('bad.csv', 'id,label\na,1\nb,\n')), /bad\.csv:3: each entry needs a prediction "id" and a "label"/);
  assert.throws(() => readFeedbackFile(file('bad2.csv', 'x,y\n')), /bad2\.csv:1: .*"id" and "label"/);
  assert.throws(() => readFeedbackFile(file('bad.jsonl', '{"id":"a","label":1}\n{oops\n')), /bad\.jsonl:2: not a JSON object/);
});

void test('submitFeedback goes through the running endpoint (queued ids found), else straight to the store', async () => {
  const handle = await startServing({ name: 'credit' });
  const reply = (await request(`${handle.url}/predict`, { body: numericRows.slice(0, 3) })).body as unknown as PredictBatchResponse;
  const ids = reply.predictions.map((p) => p.id);
  assert.deepEqual(await submitFeedback(handle.root, 'credit', [{ id: ids[0]!, label: 1 }]), { accepted: 1, via: 'endpoint' });
  await assert.rejects(submitFeedback(handle.root, 'credit', [{ id: 'missing', label: 1 }]), /refused the feedback: No prediction with id missing/);
  await handle.close();
  assert.deepEqual(await submitFeedback(handle.root, 'credit', [{ id: ids[1]!, label: 0 }, { id: ids[2]!, label: 1 }]), { accepted: 2, via: 'store' });
  await assert.rejects(submitFeedback(handle.root, 'credit', [{ id: 'missing', label: 1 }]), (error: Error & { code?: string }) => error.code === 'RESOURCE_DOES_NOT_EXIST');
  const store = Store.open(join(handle.root, '.slipway', 'slipway.db'), { readonly: true });
  assert.deepEqual(store.db.prepare('SELECT id, label FROM prediction_feedback ORDER BY seq').all(), [{ id: ids[0], label: 1 }, { id: ids[1], label: 0 }, { id: ids[2], label: 1 }]);
  store.close();
});
