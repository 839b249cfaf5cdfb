import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCsv, readTable } from '../../src/engine/tables';
import type { CodedColumn, Column, NumericColumn, Table } from '../../src/engine/tables';
import { SlipwayError } from '../../src/engine/errors';

const dir = mkdtempSync(join(tmpdir(), 'slipway-csv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string | Buffer, name = `t${n++}.csv`): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const col = (t: Table, name: string): Column => {
  const c = t.columns.find((x) => x.name === name);
  assert.ok(c, `column ${name}`);
  return c;
};
const nums = (t: Table, name: string): number[] => Array.from((col(t, name) as NumericColumn).values);
const strs = (t: Table, name: string): (string | null)[] => {
  const c = col(t, name) as CodedColumn;
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]!));
};
const rejects = async (path: string, pattern: RegExp, options = {}): Promise<void> => {
  await assert.rejects(readCsv(path, options), (e: unknown) => e instanceof SlipwayError && pattern.test(e.message) && e.message.includes(path));
};

void describe('CSV reader', () => {
  void it('reads quoted fields, escaped quotes, embedded newlines, CRLF and a BOM', async () => {
    const t = await readCsv(file('\ufeffid,name,note\r\n1,"Smith, J","said ""hi"""\r\n2,plain,"two\r\nlines"\r\n3,,x\r\n'));
    assert.deepEqual(t.columns.map((c) => c.name), ['id', 'name', 'note']);
    assert.equal(t.rowCount, 3);
    assert.deepEqual(strs(t, 'name'), ['Smith, J', 'plain', null]);
    assert.deepEqual(strs(t, 'note'), ['said "hi"', 'two\r\nlines', 'x']);
  });

  void it('infers numerical, categorical, binary, datetime and text kinds', async () => {
    const rows = ['x,level,flag,bit,when,review'];
    for (let i = 0; i < 40; i++) {
      rows.push(`${i * 0.5},${i % 3},${i % 2 ? 'true' : 'false'},${i % 2},2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,"This is review number ${i}, written at length"`);
    }
    const t = await readCsv(file(rows.join('\n')));
    assert.deepEqual(t.columns.map((c) => c.kind), ['numerical', 'categorical', 'binary', 'binary', 'datetime', 'text']);
    assert.equal(nums(t, 'x')[3], 1.5);
    assert.equal(nums(t, 'when')[0], Date.UTC(2024, 0, 1, 10));
    assert.deepEqual(strs(t, 'flag').slice(0, 2), ['false', 'true']);
    assert.ok(col(t, 'x') instanceof Object && (col(t, 'x') as NumericColumn).values instanceof Float64Array);
    assert.ok((col(t, 'level') as CodedColumn).codes instanceof Int32Array);
  });

  void it('counts nulls, NaN and empty values, and notes all-null and constant columns', async () => {
    const t = await readCsv(file('a,b,c,d\n1,,5,k\nNaN,,5,k\n,NA,5,k\n4.5,null,5,k\n2,,5,k\n7,,5,k\n'));
    assert.deepEqual(nums(t, 'a').map((v) => (Number.isNaN(v) ? null : v)), [1, null, null, 4.5, 2, 7]);
    assert.equal(col(t, 'a').nullCount, 2);
    assert.equal(col(t, 'b').nullCount, 6);
    assert.ok(t.notes.some((x) => x.code === 'all_null' && x.column === 'b'));
    assert.ok(t.notes.some((x) => x.code === 'constant' && x.column === 'c'));
    assert.ok(t.notes.some((x) => x.code === 'constant' && x.column === 'd'));
  });

  void it('reports mixed types in the inference window and values that do not fit afterwards', async () => {
    const rows = ['mixed,late'];
    for (let i = 0; i < 10; i++) rows.push(`${i % 2 ? 'abc' : i},${i}.5`);
    rows.push('7,oops');
    const t = await readCsv(file(rows.join('\n')), { inferRows: 10 });
    assert.equal(col(t, 'mixed').kind, 'categorical');
    assert.ok(t.notes.some((x) => x.code === 'mixed_types' && x.column === 'mixed'));
    const late = t.notes.find((x) => x.code === 'invalid_values' && x.column === 'late');
    assert.ok(late);
    assert.equal(late.line, 12);
    assert.equal(late.count, 1);
    assert.ok(Number.isNaN(nums(t, 'late')[10]!));
  });

  void it('applies kind overrides and column selection', async () => {
    const t = await readCsv(file('a,b,c\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n16,17,18\n'), { columns: ['c', 'a'], kinds: { a: 'categorical', c: 'numerical' } });
    assert.deepEqual(t.columns.map((c) => `${c.name}:${c.kind}`), ['c:numerical', 'a:categorical']);
    assert.deepEqual(nums(t, 'c'), [3, 6, 9, 12, 15, 18]);
    await rejects(file('a,b\n1,2\n'), /no column "zzz"/, { columns: ['zzz'] });
  });

  void it('streams records across chunk boundaries exactly', async () => {
    const lines = ['i,v,s'];
    const expected: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const s = i % 97 === 0 ? `multi\nline ${i}` : i % 13 === 0 ? `comma, ${i}` : `s${i % 50}`;
      expected.push(s);
      lines.push(`${i},${i / 7},${s.includes('\n') || s.includes(',') ? `"${s}"` : s}`);
    }
    const t = await readCsv(file(lines.join('\r\n') + '\r\n'));
    assert.equal(t.rowCount, 60_000);
    const v = nums(t, 'v');
    for (let i = 0; i < 60_000; i += 1234) assert.equal(v[i], i / 7);
    assert.deepEqual(strs(t, 's'), expected);
  });

  void it('rejects files that do not parse, naming the file and line', async () => {
    await rejects(file('a,b\n1,2\n3,4,5\n'), /:3: expected 2 fields as in the header, found 3/);
    await rejects(file('a,b\n1,"open\n2,3\n'), /:2: a quoted field is never closed/);
    await rejects(file('a,b\n1,"x"y\n'), /:2: unexpected "y" after a closing quote/);
    await rejects(file('a,a\n1,2\n'), /:1: the header names column "a" twice/);
    await rejects(file(''), /is empty/);
    await rejects(file(Buffer.from([0x50, 0x41, 0x52, 0x31, 0, 0, 1])), /Parquet file, not CSV/);
    await rejects(file(Buffer.from([1, 2, 0, 3, 10])), /NUL bytes/);
    await assert.rejects(readTable(join(dir, 'missing.csv')), /no such file/);
  });

  void it('reads a header-only file as an empty table', async () => {
    const t = await readCsv(file('a,b\n'));
    assert.equal(t.rowCount, 0);
    assert.equal(t.columns.length, 2);
    assert.ok(t.notes.some((x) => x.code === 'empty_table'));
  });
});
