import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SerialRefresh } from '../../src/extension/util/serial-refresh';

test('reloads asked for during a reload are done exactly once more, never concurrently', async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  let release: () => void = () => undefined;
  const refresher = new SerialRefresh(async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    runs++;
    await new Promise<void>((r) => (release = r));
    running--;
  });
  const first = refresher.run();
  void refresher.run();
  void refresher.run();
  release();
  await first;
  await new Promise((r) => setImmediate(r));
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(runs, 2);
  assert.equal(maxRunning, 1);
});

test('a burst of soon() calls costs one reload; cancel drops a scheduled one', async () => {
  let runs = 0;
  const refresher = new SerialRefresh(() => {
    runs++;
    return Promise.resolve();
  });
  for (let i = 0; i < 10; i++) refresher.soon(20);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(runs, 1);
  refresher.soon(20);
  refresher.cancel();
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(runs, 1);
});
