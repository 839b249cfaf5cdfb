// Columns tested on two threads give the same report as on one, and errors cross the thread boundary intact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareTables, compareTablesParallel } from '../../src/engine/drift';
import { SlipwayError } from '../../src/engine/errors';
import { readTables } from '../../src/engine/tables';
import { coded, normal, numeric, pick, rng, table } from './helpers';

const r = rng(21);
const N = 150_000;
const side = (shift: number) => table(shift ? 'cur' : 'ref', [
  numeric('a', normal(r, N, shift)), numeric('b', normal(r, N)), numeric('c', normal(r, N, -shift)), numeric('d', normal(r, N)),
  coded('e', pick(r, N, ['x', 'y', 'z'], shift ? [3, 2, 1] : [1, 2, 3])),
]);
const ref = side(0);
const cur = side(0.2);

void describe('parallel column tests', () => {
  void it('match the single-thread report exactly', async () => {
    const one = compareTables(ref, cur);
    const two = await compareTablesParallel(ref, cur);
    assert.deepEqual({ ...two, generated_at: '' }, { ...one, generated_at: '' });
    assert.deepEqual(one.columns.map((c) => c.drifted), [true, false, true, false, true]);
    assert.equal((ref.columns[0] as { values: Float64Array }).values.length, N, 'caller tables stay intact');
  });

  void it('report an invalid option raised on the worker thread', async () => {
    await assert.rejects(compareTablesParallel(ref, cur, { perColumn: { e: { test: 'wasserstein' } } }), (e: unknown) => e instanceof SlipwayError && /column "e" is categorical/.test(e.message));
  });

  void it('report a read error from a worker thread with its code', async () => {
    await assert.rejects(readTables([{ path: '/nonexistent/a.csv' }, { path: '/nonexistent/b.parquet' }]), (e: unknown) => e instanceof SlipwayError && e.code === 'RESOURCE_DOES_NOT_EXIST');
  });
});
