// Alias moves through the registry (validation, audit entry with sha256 chain link, change log; one transaction
// each, as every move commits on its own) next to the "raw" rate: the same alias upsert and one prepared INSERT into
// the identical registry_audit table, one transaction per move, no hashing. Then the cost of verifying the chain.
// Usage: node --import tsx bench/registry-audit.ts [moves]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry } from '../src/engine/registry';
import { Store } from '../src/engine/store';

const MOVES = Number(process.argv[2] ?? 20_000);
const VERSIONS = 10;

function fresh(): { store: Store; dir: string; registry: ModelRegistry } {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-registry-'));
  const store = Store.open(join(dir, 'slipway.db'));
  const registry = new ModelRegistry(store, { actor: 'bench' });
  registry.createModel({ name: 'm' });
  for (let v = 0; v < VERSIONS; v++) registry.createVersion({ name: 'm', source: `s${v}` });
  return { store, dir, registry };
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function engine(): { rate: number; verifyMs: number; historyMs: number; entries: number } {
  const { store, dir, registry } = fresh();
  const started = process.hrtime.bigint();
  for (let i = 0; i < MOVES; i++) registry.setAlias('m', 'champion', (i % VERSIONS) + 1, { reason: `move ${i}` });
  const rate = MOVES / seconds(started);
  const v = process.hrtime.bigint();
  const result = registry.verify();
  const verifyMs = seconds(v) * 1000;
  if (!result.ok) throw new Error(`verification failed: ${result.problems[0]?.message}`);
  const h = process.hrtime.bigint();
  const entries = registry.history('m').length;
  const historyMs = seconds(h) * 1000;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate, verifyMs, historyMs, entries };
}

function raw(): number {
  const { store, dir } = fresh();
  const db = store.db;
  const upsert = db.prepare("INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES ('m', 'champion', ?)");
  const insert = db.prepare(
    `INSERT INTO registry_audit (origin, seq, ts_ms, actor, model, action, subject, from_value, to_value, reason, prev_hash, hash)
     VALUES ('o', ?, ?, 'bench', 'm', 'alias.set', 'champion', ?, ?, ?, '', '')`,
  );
  const move = db.transaction((i: number) => {
    upsert.run((i % VERSIONS) + 1);
    insert.run(i + 1, Date.now(), String(((i + VERSIONS - 1) % VERSIONS) + 1), String((i % VERSIONS) + 1), `move ${i}`);
  });
  const started = process.hrtime.bigint();
  for (let i = 0; i < MOVES; i++) move.immediate(i);
  const rate = MOVES / seconds(started);
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

const rawRate = raw();
const result = engine();
console.log(`alias moves: ${MOVES}, one transaction each`);
console.log(`raw (upsert + audit insert, no hashing): ${Math.round(rawRate)} moves/s`);
console.log(`engine setAlias (validation, chained audit entry, change log): ${Math.round(result.rate)} moves/s`);
console.log(`ratio: ${(result.rate / rawRate).toFixed(2)}`);
console.log(`verify ${result.entries} entries (chain + state replay): ${result.verifyMs.toFixed(0)} ms`);
console.log(`history of one model (${result.entries} entries): ${result.historyMs.toFixed(0)} ms`);
