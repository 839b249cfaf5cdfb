// Reports end to end: files in, JSON and HTML out, and every bad input the monitoring issue lists.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { compareTables, renderDriftHtml, runDrift } from '../../src/engine/drift';
import { SlipwayError } from '../../src/engine/errors';
import type { DriftReport } from '../../src/shared/drift';
import type { NumericColumn } from '../../src/engine/tables';
import { coded, normal, numeric, pick, rng, table } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'slipway-drift-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, header: string[], rows: number, cell: (row: number, col: number) => string): string {
  const path = join(dir, name);
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) lines.push(header.map((_, c) => cell(i, c)).join(','));
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

void describe('bad input', () => {
  const r = rng(11);
  void it('reports empty, all-null and constant columns instead of failing', () => {
    const ref = table('r', [numeric('empty', []), numeric('nulls', [NaN, NaN, NaN]), numeric('constant', [2, 2, 2]), coded('cat_nulls', [null, null, null])]);
    const cur = table('c', [numeric('empty', []), numeric('nulls', [1, 2, 3]), numeric('constant', [2, 2, 2]), coded('cat_nulls', ['a', 'b', null])]);
    const report = compareTables(ref, cur);
    assert.deepEqual(report.skipped.map((s) => `${s.column}:${s.reason}`), ['empty:no_values', 'nulls:no_values', 'cat_nulls:no_values']);
    assert.match(report.skipped[1]!.message, /no values in the reference data/);
    const constant = report.columns[0]!;
    assert.deepEqual([constant.column, constant.test, constant.score, constant.drifted], ['constant', 'z', 1, false]);
  });

  void it('reports columns present on one side only', () => {
    const report = compareTables(table('r.csv', [numeric('a', [1, 2, 3]), numeric('b', [1, 2, 3])]), table('c.csv', [numeric('a', [1, 2, 3]), numeric('c', [1])]), { columns: ['a', 'b', 'c', 'd'] });
    assert.deepEqual(report.columns.map((c) => c.column), ['a']);
    assert.deepEqual(report.skipped.map((s) => s.reason), ['missing_in_current', 'missing_in_reference', 'missing_in_reference']);
    assert.match(report.skipped[0]!.message, /not in the current data \(c\.csv\)/);
  });

  void it('caps huge-cardinality categoricals with a note', () => {
    const ids = (n: number, offset: number): string[] => Array.from({ length: n }, (_, i) => `id${(i * 7 + offset) % 20_000}`);
    const report = compareTables(table('r', [coded('user', ids(30_000, 0))]), table('c', [coded('user', ids(30_000, 3))]), { maxCategories: 50 });
    const c = report.columns[0]!;
    assert.equal(c.reference.histogram.categories!.length, 50);
    assert.equal(c.reference.histogram.categories![49], '(other)');
    assert.equal(c.reference.histogram.counts.reduce((s, x) => s + x, 0), 30_000);
    assert.match(c.notes[0]!, /20000 categories: the 49 most frequent are kept/);
  });

  void it('skips datetime and text columns with the reason', () => {
    const when: NumericColumn = { name: 'when', kind: 'datetime', values: Float64Array.of(1, 2), nullCount: 0 };
    const report = compareTables(table('r', [when, coded('review', ['a b', 'c d'], 'text')]), table('c', [when, coded('review', ['x', 'y'], 'text')]));
    assert.deepEqual(report.skipped.map((s) => s.reason), ['unsupported_kind', 'unsupported_kind']);
    assert.match(report.skipped[1]!.message, /set its kind or type to categorical/);
    assert.equal(report.dataset_drift, false);
    assert.ok(report.notes.some((n) => /No feature column could be tested/.test(n)));
  });

  void it('keeps prediction and target drift out of dataset drift', () => {
    const ref = table('r', [numeric('x', normal(r, 2000)), numeric('score', normal(r, 2000)), coded('label', pick(r, 2000, ['0', '1'], [1, 1]))]);
    const cur = table('c', [numeric('x', normal(r, 2000)), numeric('score', normal(r, 2000, 2)), coded('label', pick(r, 2000, ['0', '1'], [1, 4]))]);
    const report = compareTables(ref, cur, { prediction: ['score'], target: 'label' });
    assert.deepEqual(report.columns.map((c) => `${c.column}:${c.role}:${c.drifted}`), ['x:feature:false', 'score:prediction:true', 'label:target:true']);
    assert.deepEqual([report.number_of_columns, report.dataset_drift, report.prediction_drift, report.target_drift], [1, false, true, true]);
  });

  void it('fails with the file named when a file does not parse', async () => {
    const good = csv('good.csv', ['a'], 5, (i) => String(i));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n1,2,3\n');
    await assert.rejects(runDrift({ reference: good, current: bad }), (e: unknown) => e instanceof SlipwayError && e.message.startsWith(`${bad}:3:`));
    await assert.rejects(runDrift({ reference: join(dir, 'nope.parquet'), current: good }), /no such file/);
  });
});

void describe('runDrift', () => {
  void it('compares a CSV reference with Parquet current data written by DuckDB', async () => {
    const n = 5000;
    const ref = csv('ref.csv', ['age', 'income', 'plan', 'gone'], n, (i, c) => [String(20 + (i % 50)), String(1000 + ((i * 37) % 997)), ['basic', 'pro', 'team'][i % 3]!, '1'][c]!);
    const cur = join(dir, 'cur.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT (20 + i % 50)::BIGINT AS age, (1500 + (i * 37) % 997)::BIGINT AS income, ['basic','pro','team'][1 + i % 3] AS plan, 'new' AS extra FROM range(${n}) t(i)) TO '${cur}' (FORMAT parquet, COMPRESSION zstd)`);
    conn.closeSync();
    const { report, timings } = await runDrift({ reference: ref, current: cur });
    assert.ok(timings.readMs >= 0 && timings.statisticsMs >= 0);
    const by = new Map(report.columns.map((c) => [c.column, c]));
    assert.deepEqual([by.get('age')!.test, by.get('age')!.drifted], ['wasserstein', false]);
    assert.deepEqual([by.get('income')!.test, by.get('income')!.drifted], ['wasserstein', true]);
    assert.deepEqual([by.get('plan')!.test, by.get('plan')!.score, by.get('plan')!.drifted], ['jensenshannon', 0, false]);
    assert.deepEqual(report.skipped.map((s) => `${s.column}:${s.reason}`), ['gone:missing_in_current', 'extra:missing_in_reference']);
    assert.equal(report.reference.format, 'csv');
    assert.equal(report.current.format, 'parquet');
    const again = JSON.parse(JSON.stringify(report)) as DriftReport;
    assert.deepEqual(again, report);

    const only = await runDrift({ reference: ref, current: cur, columns: ['plan', 'gone'] });
    assert.deepEqual(only.report.columns.map((c) => c.column), ['plan']);
    assert.deepEqual(only.report.skipped.map((s) => s.column), ['gone']);
  });
});

void describe('HTML report', () => {
  void it('is self-contained and under 2 MB for 100 columns', () => {
    const r = rng(5);
    const cols = (shift: number) => [
      ...Array.from({ length: 80 }, (_, k) => numeric(`num_${k}`, normal(r, 2000, k % 3 === 0 ? shift : 0))),
      ...Array.from({ length: 20 }, (_, k) => coded(`cat_${k}`, pick(r, 2000, Array.from({ length: 30 }, (_, j) => `c${j}`), Array.from({ length: 30 }, (_, j) => 1 + ((j * k) % 5))))),
    ];
    const report = compareTables(table('ref.parquet', cols(0)), table('cur.parquet', cols(0.4)));
    const html = renderDriftHtml(report);
    assert.ok(Buffer.byteLength(html) < 2 * 1024 * 1024, `${Buffer.byteLength(html)} bytes`);
    assert.doesNotMatch(html, /https?:|<script|<link|<img|<iframe|url\(|@import|\bsrc=|\bhref=/i);
    assert.match(html, /default-src 'none'/);
    assert.match(html, new RegExp(`Drift detected in ${report.number_of_drifted_columns} of 100 columns`));
    assert.equal((html.match(/<svg /g) ?? []).length, 100);
  });

  void it('escapes column names and notes', () => {
    const report = compareTables(table('<r>', [numeric('<b>x</b>', [1, 2, 3])]), table('c', [numeric('<b>x</b>', [1, 2, 4])]));
    const html = renderDriftHtml(report);
    assert.ok(!html.includes('<b>x</b>'));
    assert.match(html, /&#60;b&#62;x&#60;\/b&#62;/);
  });
});
