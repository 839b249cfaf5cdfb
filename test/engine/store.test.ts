import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { SlipwayError } from '../../src/engine/errors';
import { ObjectStore } from '../../src/engine/objects';
import { APPLICATION_ID, ChangeFollower, Store, latestSchemaVersion, migrations } from '../../src/engine/store';
import { createRun, getMetricHistory } from '../../src/engine/tracking';
import { lines, tempDir } from '../helpers';

const child = (script: string, args: string[]) =>
  spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'children', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });

test('a new store is created at the latest schema with the Default experiment and Slipway application id', () => {
  const path = join(tempDir(), 'slipway.db');
  const store = Store.open(path);
  assert.equal(store.schemaVersion, latestSchemaVersion);
  assert.equal(store.db.pragma('application_id', { simple: true }), APPLICATION_ID);
  assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
  const row = store.db.prepare("SELECT name FROM experiments WHERE experiment_id = '0'").get() as { name: string };
  assert.equal(row.name, 'Default');
  store.close();
});

test('an older store is upgraded in place and keeps its data', () => {
  const path = join(tempDir(), 'slipway.db');
  const v1 = Store.open(path, { migrations: migrations.slice(0, 1) });
  v1.write(() => v1.db.prepare("INSERT INTO experiments VALUES ('42', 'kept', 'x', 'active', 1, 1)").run());
  v1.close();
  const next = [...migrations.slice(0, 1), { version: 2, name: 'test column', sql: 'ALTER TABLE experiments ADD COLUMN note TEXT' }];
  const upgraded = Store.open(path, { migrations: next });
  assert.equal(upgraded.schemaVersion, 2);
  const row = upgraded.db.prepare("SELECT name, note FROM experiments WHERE experiment_id = '42'").get() as { name: string; note: string | null };
  assert.deepEqual({ ...row }, { name: 'kept', note: null });
  upgraded.close();
});

test('a store written by a newer Slipway is refused and left untouched', () => {
  const path = join(tempDir(), 'slipway.db');
  Store.open(path).close();
  const raw = new Database(path);
  raw.pragma('user_version = 999');
  raw.close();
  const before = readFileSync(path);
  assert.throws(() => Store.open(path), (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_TOO_NEW' && /newer Slipway \(schema version 999/.test(e.message));
  assert.deepEqual(readFileSync(path), before);
});

test('a foreign SQLite database is refused, not migrated', () => {
  const path = join(tempDir(), 'other.db');
  const raw = new Database(path);
  raw.exec('CREATE TABLE invoices (id INTEGER)');
  raw.close();
  assert.throws(() => Store.open(path), (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_UNREADABLE' && /did not create/.test(e.message));
  const check = new Database(path);
  assert.equal((check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'runs'").get() as { n: number }).n, 0);
  check.close();
});

test('a corrupted file gets a clear message that says what to do', () => {
  const path = join(tempDir(), 'slipway.db');
  writeFileSync(path, Buffer.alloc(8192, 0x5a));
  assert.throws(() => Store.open(path), (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_UNREADABLE' && /not a readable SQLite database.*Move it aside/.test(e.message));
});

test('a writer waits for another process holding the lock, and reports STORE_BUSY past the timeout', async () => {
  const path = join(tempDir(), 'slipway.db');
  const store = Store.open(path);
  // Held for 1 s: the write waits and succeeds.
  const short = child('hold-lock.ts', [path, '1000']);
  const shortLines = lines(short);
  assert.equal((await shortLines.next()).value, 'locked');
  const t0 = Date.now();
  store.write((changed) => changed('runs', 'after-wait'));
  assert.ok(Date.now() - t0 >= 500, 'the write should have waited for the lock');
  // Held for 8 s: the write gives up after the 5 s busy timeout with a clear message and writes nothing.
  const long = child('hold-lock.ts', [path, '8000']);
  assert.equal((await lines(long).next()).value, 'locked');
  const before = ChangeFollower.head(store);
  assert.throws(
    () => store.write((changed) => changed('runs', 'never')),
    (e: unknown) => e instanceof SlipwayError && e.code === 'STORE_BUSY' && /stayed locked by another process/.test(e.message),
  );
  assert.equal(ChangeFollower.head(store), before);
  long.kill('SIGKILL');
  store.close();
});

test('concurrent writers in separate processes lose nothing', async () => {
  const path = join(tempDir(), 'slipway.db');
  const store = Store.open(path);
  const ctx = { store, artifacts: new ObjectStore(join(tempDir(), 'a')) };
  const run = createRun(ctx, { experiment_id: '0' });
  const writers = ['a', 'b', 'c', 'd'].map((tag) => child('log-batches.ts', [path, run.info.run_id, '40', tag]));
  await Promise.all(writers.map((w) => new Promise((r) => w.on('close', r))));
  for (const w of writers) assert.equal(w.exitCode, 0);
  for (const tag of ['a', 'b', 'c', 'd']) {
    const history = getMetricHistory(ctx, { run_id: run.info.run_id, metric_key: `${tag}_m` });
    assert.equal(history.metrics?.length, 4000, `writer ${tag} lost points`);
  }
  store.close();
});

test('a writer killed mid-stream loses no acknowledged batch', async () => {
  const path = join(tempDir(), 'slipway.db');
  const store = Store.open(path);
  const ctx = { store, artifacts: new ObjectStore(join(tempDir(), 'a')) };
  const run = createRun(ctx, { experiment_id: '0' });
  const writer = child('log-batches.ts', [path, run.info.run_id, '100000', 'k']);
  let acked = -1;
  for await (const line of lines(writer)) {
    acked = Number(line.split(' ')[1]);
    if (acked >= 30) {
      writer.kill('SIGKILL');
      break;
    }
  }
  await new Promise((r) => writer.on('close', r));
  store.close();
  const reopened = Store.open(path);
  const points = (reopened.db.prepare("SELECT count(*) AS n FROM metrics WHERE key = 'k_m'").get() as { n: number }).n;
  assert.ok(points >= (acked + 1) * 100, `expected at least ${(acked + 1) * 100} points, found ${points}`);
  assert.equal(points % 100, 0, 'a batch is all or nothing');
  assert.equal(reopened.db.pragma('integrity_check', { simple: true }), 'ok');
  reopened.close();
});

test('the change log is written in the same transaction and followed across connections', () => {
  const path = join(tempDir(), 'slipway.db');
  const a = Store.open(path);
  const b = Store.open(path);
  const follower = new ChangeFollower(b);
  assert.deepEqual(follower.poll(), []);
  a.write((changed) => {
    changed('runs', 'r1');
    changed('runs', 'r1');
    changed('metrics', 'r1');
  });
  assert.throws(() =>
    a.write((changed) => {
      changed('runs', 'rolled-back');
      throw new Error('boom');
    }),
  );
  const seen = follower.poll().map((c) => `${c.topic}:${c.key}`);
  assert.deepEqual(seen, ['runs:r1', 'metrics:r1']);
  assert.deepEqual(follower.poll(), []);
  follower.close();
  a.close();
  b.close();
});
