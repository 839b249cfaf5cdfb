// The served version moves every 200 ms under load: no request fails, and every response names the version that
// computed it (checked against that version's own expected probability).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadColumnSchema } from '../../src/engine/validation';
import { StoreWatchingSource, type ModelSource, type ModelSpec } from '../../src/engine/serving';
import { Store } from '../../src/engine/store';
import { MATRIX, MATRIX_V2, expected, numericRows, request, startServing, tempProject, versionCheckingLoad } from './helpers';

/** A stand-in for a registry alias: `move()` points it at the other version and notifies the server. */
class MovingAlias implements ModelSource {
  readonly description = 'credit@champion';
  private index = 0;
  private listener: (() => void) | null = null;
  private readonly specs: ModelSpec[];

  constructor() {
    const schema = loadColumnSchema(MATRIX.schemaFile);
    this.specs = [
      { name: 'credit', version: '1', modelFile: MATRIX.modelFile, schema },
      { name: 'credit', version: '2', modelFile: MATRIX_V2, schema },
    ];
  }

  resolve(): Promise<ModelSpec> {
    return Promise.resolve(this.specs[this.index]!);
  }

  watch(onMove: () => void): () => void {
    this.listener = onMove;
    return () => (this.listener = null);
  }

  move(): void {
    this.index = 1 - this.index;
    this.listener?.();
  }
}

void test('alias moved every 200 ms under load: zero non-2xx, each response names the old or the new version', async () => {
  const alias = new MovingAlias();
  const handle = await startServing({ source: alias, name: 'credit' });
  const want: Record<string, number> = { '1': expected.credit_matrix![0]!, '2': expected.credit_matrix_v2![0]! };
  assert.notEqual(Math.abs(want['1']! - want['2']!) < 1e-3, true, 'the two versions give different scores');
  let moves = 0;
  let moved15: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (moved15 = resolve));
  const load = versionCheckingLoad(handle.url, want);
  const { seen, failures } = load;
  const mover = setInterval(() => {
    alias.move();
    if (++moves === 15) moved15();
  }, 200);
  await done;
  clearInterval(mover);
  await load.stop();
  await handle.server.slot.settled();
  const swaps = handle.server.metrics.swaps;
  const serving = handle.server.slot.current!.version;
  assert.equal(serving, String((await alias.resolve()).version), 'the last move is the version serving');
  await handle.close();
  assert.deepEqual(failures.slice(0, 5), []);
  assert.equal(swaps, 15, 'every move swapped');
  assert.ok(seen['1']! > 50 && seen['2']! > 50, `both versions answered: ${JSON.stringify(seen)}`);
});

void test('StoreWatchingSource: another process commits a models change, the server swaps to what resolve returns', async () => {
  const root = tempProject();
  const dbPath = join(root, '.slipway', 'slipway.db');
  const store = Store.open(dbPath);
  const schema = loadColumnSchema(MATRIX.schemaFile);
  let version = '1';
  const source = new StoreWatchingSource(store, 'credit@champion', () =>
    Promise.resolve({ name: 'credit', version, modelFile: version === '1' ? MATRIX.modelFile : MATRIX_V2, schema }),
  { intervalMs: 20 });
  const handle = await startServing({ source, name: 'credit', projectRoot: root });
  const swapped = new Promise<void>((resolve) => handle.server.once('swap', () => resolve()));
  assert.equal((await request(`${handle.url}/predict`, { body: numericRows[0] })).body.version, '1');
  version = '2';
  const other = Store.open(dbPath);
  other.write((changed) => changed('models', 'credit'));
  other.close();
  await swapped;
  assert.equal((await request(`${handle.url}/predict`, { body: numericRows[0] })).body.version, '2');
  await handle.close();
  store.close();
});
