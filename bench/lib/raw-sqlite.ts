import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/engine/store';

export const METRIC_KEYS = ['loss', 'val_loss', 'auc', 'accuracy', 'lr'];

/**
 * The "raw" baseline for metric ingest: one prepared INSERT into a store's own `metrics` table (same schema and
 * indexes), one transaction per `batch` rows. Returns rows per second.
 */
export function rawInsertRate(total: number, batch = 1000): number {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-raw-'));
  const store = Store.open(join(dir, 'slipway.db'));
  const db = store.db;
  const insert = db.prepare('INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, 0, ?, ?)');
  const now = Date.now();
  const tx = db.transaction((offset: number) => {
    for (let i = 0; i < batch; i++) {
      const n = offset + i;
      insert.run('f'.repeat(32), METRIC_KEYS[n % METRIC_KEYS.length]!, Math.sin(n), now + n, Math.floor(n / METRIC_KEYS.length));
    }
  });
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < total; offset += batch) tx.immediate(offset);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return total / seconds;
}
