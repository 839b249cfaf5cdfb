// Parquet files written by another implementation (DuckDB) with each codec and encoding the reader must handle.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { readParquet, readTable, readTables } from '../../src/engine/tables';
import type { CodedColumn, Column, NumericColumn, Table } from '../../src/engine/tables';
import { SlipwayError } from '../../src/engine/errors';

const dir = mkdtempSync(join(tmpdir(), 'slipway-parquet-'));
const ROWS = 70_000;
const variants = [
  { name: 'snappy', options: 'COMPRESSION snappy' },
  { name: 'zstd', options: 'COMPRESSION zstd' },
  { name: 'gzip', options: 'COMPRESSION gzip' },
  { name: 'uncompressed', options: 'COMPRESSION uncompressed' },
  { name: 'v2-pages', options: "COMPRESSION zstd, PARQUET_VERSION 'V2'" },
];
const pathOf = (name: string): string => join(dir, `${name}.parquet`);

before(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  for (const v of variants) {
    await c.run(`COPY (SELECT
        i::DOUBLE / 3 AS d,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i END AS n,
        (i % 3)::INTEGER AS small,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'cat' || (i % 4) END AS s,
        i % 2 = 0 AS b,
        TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts,
        DATE '2024-01-01' + (i % 30)::INTEGER AS day,
        (i * 1.5)::DECIMAL(12, 2) AS amount,
        CASE WHEN i % 11 = 0 THEN 'NaN'::DOUBLE ELSE i::FLOAT END AS f,
        NULL::DOUBLE AS empty,
        42 AS const
      FROM range(${ROWS}) t(i)) TO '${pathOf(v.name)}' (FORMAT parquet, ${v.options}, ROW_GROUP_SIZE 25000)`);
  }
  c.closeSync();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const col = (t: Table, name: string): Column => t.columns.find((x) => x.name === name)!;
const values = (t: Table, name: string): Float64Array => (col(t, name) as NumericColumn).values;
const labels = (t: Table, name: string): (string | null)[] => {
  const c = col(t, name) as CodedColumn;
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
};

void describe('Parquet reader', () => {
  for (const v of variants) {
    void it(`reads DuckDB's ${v.name} file`, async () => {
      const t = await readTable(pathOf(v.name));
      assert.equal(t.format, 'parquet');
      assert.equal(t.rowCount, ROWS);
      assert.deepEqual(t.columns.map((c) => `${c.name}:${c.kind}`), [
        'd:numerical', 'n:numerical', 'small:categorical', 's:categorical', 'b:binary', 'ts:datetime', 'day:datetime',
        'amount:numerical', 'f:numerical', 'empty:numerical', 'const:categorical',
      ]);
      const d = values(t, 'd');
      const nn = values(t, 'n');
      const ts = values(t, 'ts');
      const day = values(t, 'day');
      const amount = values(t, 'amount');
      const f = values(t, 'f');
      const s = labels(t, 's');
      const small = labels(t, 'small');
      const b = labels(t, 'b');
      for (let i = 0; i < ROWS; i += 997) {
        assert.equal(d[i], i / 3);
        if (i % 7 === 0) assert.ok(Number.isNaN(nn[i]!)); else assert.equal(nn[i], i);
        assert.equal(small[i], String(i % 3));
        assert.equal(s[i], i % 5 === 0 ? null : `cat${i % 4}`);
        assert.equal(b[i], String(i % 2 === 0));
        assert.equal(ts[i], Date.UTC(2024, 0, 1) + i * 1000);
        assert.equal(day[i], Date.UTC(2024, 0, 1 + (i % 30)));
        assert.equal(amount[i], i * 1.5);
        if (i % 11 === 0) assert.ok(Number.isNaN(f[i]!)); else assert.equal(f[i], i);
      }
      assert.equal(col(t, 'n').nullCount, Math.ceil(ROWS / 7));
      assert.equal(col(t, 's').nullCount, ROWS / 5);
      assert.equal(col(t, 'f').nullCount, Math.ceil(ROWS / 11));
      assert.ok(t.notes.some((x) => x.code === 'all_null' && x.column === 'empty'));
      assert.ok(t.notes.some((x) => x.code === 'constant' && x.column === 'const'));
    });
  }

  void it('reads only the requested columns, with kind overrides', async () => {
    const t = await readParquet(pathOf('snappy'), { columns: ['small', 'd'], kinds: { small: 'numerical', d: 'categorical' } });
    assert.deepEqual(t.columns.map((c) => `${c.name}:${c.kind}`), ['small:numerical', 'd:categorical']);
    assert.equal(values(t, 'small')[5], 2);
    assert.equal(labels(t, 'd')[3], '1');
    await assert.rejects(readParquet(pathOf('snappy'), { columns: ['nope'] }), /has no column "nope"/);
  });

  void it('skips nested columns with a note, and refuses them when asked for', async () => {
    const nested = join(dir, 'nested.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT i AS id, [i, i + 1] AS pair, {'a': i} AS rec FROM range(10) t(i)) TO '${nested}' (FORMAT parquet)`);
    c.closeSync();
    const t = await readParquet(nested);
    assert.deepEqual(t.columns.map((x) => x.name), ['id']);
    assert.deepEqual(t.notes.filter((n) => n.code === 'unsupported_column').map((n) => n.column), ['pair', 'rec']);
    await assert.rejects(readParquet(nested, { columns: ['pair'] }), /column "pair" is nested or repeated/);
  });

  void it('reads several files on worker threads exactly as one by one', async () => {
    const paths = [pathOf('snappy'), pathOf('v2-pages')];
    const parallel = await readTables(paths.map((path) => ({ path })));
    const serial = [await readTable(paths[0]!), await readTable(paths[1]!)];
    assert.deepEqual(parallel, serial);
  });

  void it('rejects files that are not Parquet or are truncated, naming the file', async () => {
    const bad = join(dir, 'bad.parquet');
    writeFileSync(bad, 'a,b\n1,2\n');
    await assert.rejects(readParquet(bad), (e: unknown) => e instanceof SlipwayError && e.message.startsWith(bad) && /not a readable Parquet file/.test(e.message));
    const cut = join(dir, 'cut.parquet');
    const bytes = readFileSync(pathOf('zstd'));
    writeFileSync(cut, Buffer.concat([bytes.subarray(0, 4), bytes.subarray(bytes.length - 2000)]));
    await assert.rejects(readParquet(cut), (e: unknown) => e instanceof SlipwayError && e.message.startsWith(cut));
    await assert.rejects(readParquet(join(dir, 'missing.parquet')), /no such file/);
  });
});
