// Logs 1,000,000 metric points through the engine API (logBatch) in batches of 1,000, next to the "raw" rate:
// one prepared INSERT into the identical metrics table and indexes, one transaction per 1,000 rows, same run.
// Usage: node --import tsx bench/tracking-ingest.ts [points]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectStore } from '../src/engine/objects';
import { Store } from '../src/engine/store';
import { createRun, logBatch } from '../src/engine/tracking';
import { METRIC_KEYS, rawInsertRate } from './lib/raw-sqlite';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1000;
const KEYS = METRIC_KEYS;

function freshStore(): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  return { store: Store.open(join(dir, 'slipway.db')), dir };
}

function engineRate(): number {
  const { store, dir } = freshStore();
  const ctx = { store, artifacts: new ObjectStore(join(dir, 'artifacts')) };
  const runId = createRun(ctx, { experiment_id: '0' }).info.run_id;
  const now = Date.now();
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < TOTAL; offset += BATCH) {
    const metrics = new Array<{ key: string; value: number; timestamp: number; step: number }>(BATCH);
    for (let i = 0; i < BATCH; i++) {
      const n = offset + i;
      metrics[i] = { key: KEYS[n % KEYS.length]!, value: Math.sin(n), timestamp: now + n, step: Math.floor(n / KEYS.length) };
    }
    logBatch(ctx, { run_id: runId, metrics });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return TOTAL / seconds;
}

const raw = rawInsertRate(TOTAL, BATCH);
const engine = engineRate();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`points: ${fmt(TOTAL)} in batches of ${BATCH}`);
console.log(`raw SQLite (prepared INSERT, 1 txn per ${BATCH} rows): ${fmt(raw)} points/s`);
console.log(`engine logBatch (validation, latest-value upsert, change log): ${fmt(engine)} points/s`);
console.log(`ratio engine/raw: ${(engine / raw).toFixed(2)} (target >= 0.50)`);
