// Labelled files (CSV and Parquet from another writer) through src/engine/tables, and their bad input.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { groupMetrics, performanceReport } from '../../src/engine/monitoring/performance';
import { tempDir } from '../helpers';

const dir = tempDir('slipway-performance-file-');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

/** 300 rows over three days; day 3's model is much worse (labels flipped for most rows). */
function rows(): { ts: number; score: number; label: number }[] {
  return Array.from({ length: 300 }, (_, i) => {
    const score = ((i * 37) % 100) / 100;
    const day = Math.floor(i / 100);
    const right = day < 2 ? i % 10 !== 0 : i % 10 < 3;
    return { ts: T0 + day * DAY + (i % 100) * 60_000, score, label: Number(right === score >= 0.5) };
  });
}

function csv(name: string, header: string, line: (r: ReturnType<typeof rows>[number], i: number) => string): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows().map(line).join('\n')}\n`);
  return path;
}

void test('CSV: windows per day, the bad day degraded against a baseline from the file-less default', async () => {
  const path = csv('preds.csv', 'when,p,y', (r) => `${new Date(r.ts).toISOString()},${r.score},${r.label}`);
  const report = await performanceReport({ projectRoot: dir, source: { kind: 'file', path, label: 'y', score: 'p', timestamp: 'when' }, windowMs: DAY });
  assert.deepEqual(report.source, { kind: 'file', path });
  assert.deepEqual(report.windows.map((w) => [w.start_ms - T0, w.predictions, w.labelled]), [[0, 100, 100], [DAY, 100, 100], [2 * DAY, 100, 100]]);
  assert.ok(Math.abs(report.windows[0]!.metrics.accuracy! - 0.9) < 1e-12);
  assert.ok(Math.abs(report.windows[2]!.metrics.accuracy! - 0.3) < 1e-12);
  assert.deepEqual(report.baseline, {});
  assert.ok(report.notes.some((n) => /No model given/.test(n)));
  assert.ok(report.windows.every((w) => w.degraded.length === 0));
  const all = rows();
  const want = groupMetrics(Float64Array.from(all.filter((r) => r.label).map((r) => r.score)), Float64Array.from(all.filter((r) => !r.label).map((r) => r.score)), 0.5);
  assert.deepEqual(report.overall.metrics, want.metrics);
});

void test('Parquet written by DuckDB with boolean labels and a timestamp column', async () => {
  const path = join(dir, 'preds.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT TIMESTAMP '2026-11-01 00:00:00' + INTERVAL (i) MINUTE AS ts, ((i * 37) % 100) / 100.0 AS score, (i % 3 = 0) AS churned FROM range(500) t(i)) TO '${path}' (FORMAT parquet, COMPRESSION zstd)`);
  c.closeSync();
  const report = await performanceReport({ projectRoot: dir, source: { kind: 'file', path, label: 'churned', score: 'score', timestamp: 'ts' }, windowMs: 3_600_000 });
  assert.equal(report.overall.predictions, 500);
  assert.equal(report.overall.positives, 167);
  assert.equal(report.windows.length, 9);
  assert.equal(report.windows[0]!.start_ms, T0);
  assert.equal(report.windows[8]!.predictions, 20);
  const byPositive = await performanceReport({ projectRoot: dir, source: { kind: 'file', path, label: 'churned', score: 'score' }, positiveLabel: 'false' });
  assert.equal(byPositive.overall.positives, 333);
});

void test('bad input: missing columns, labels that are not binary, no labels, a single class', async () => {
  const path = csv('named.csv', 'score,truth', (r) => `${r.score},${r.label}`);
  await assert.rejects(
    performanceReport({ projectRoot: dir, source: { kind: 'file', path, label: 'label', score: 'prob' } }),
    (error: Error) => error.message.includes(path) && /no column "label" or "prob"\. Its columns are: score, truth\./.test(error.message),
  );
  const classes = csv('classes.csv', 'score,label', (r, i) => `${r.score},${['cat', 'dog', 'bird'][i % 3]}`);
  await assert.rejects(performanceReport({ projectRoot: dir, source: { kind: 'file', path: classes, label: 'label', score: 'score' } }), /labels of .*classes\.csv are not binary: saw "cat", "dog", "bird"/);
  const words = csv('words.csv', 'score,label', (r, i) => `${r.score},${i % 2 ? 'yes' : 'no'}`);
  await assert.rejects(performanceReport({ projectRoot: dir, source: { kind: 'file', path: words, label: 'label', score: 'score' } }), /None of the labels .* is the positive label "1": saw "no", "yes"/);
  const yes = await performanceReport({ projectRoot: dir, source: { kind: 'file', path: words, label: 'label', score: 'score' }, positiveLabel: 'yes' });
  assert.equal(yes.overall.positives, 150);

  const unlabelled = csv('unlabelled.csv', 'score,label', (r) => `${r.score},`);
  const none = await performanceReport({ projectRoot: dir, source: { kind: 'file', path: unlabelled, label: 'label', score: 'score' }, minLabels: 0 });
  assert.equal(none.overall.labelled, 0);
  assert.equal(none.overall.metrics.accuracy, null);
  assert.deepEqual(none.overall.degraded, []);
  assert.ok(none.notes.some((n) => /No labels yet/.test(n)));

  const single = csv('single.csv', 'score,label', (r) => `${r.score},1`);
  const one = await performanceReport({ projectRoot: dir, source: { kind: 'file', path: single, label: 'label', score: 'score' } });
  assert.equal(one.overall.metrics.roc_auc, null);
  assert.equal(one.overall.metrics.recall, 0.5);
  assert.ok(one.notes.some((n) => /Only one class among the labels in the whole range: roc_auc is not defined/.test(n)));

  await assert.rejects(performanceReport({ projectRoot: dir, source: { kind: 'file', path, label: 'truth', score: 'score' }, windowMs: DAY }), /Windows need a timestamp column in .*named\.csv; name it with --timestamp/);
});

void test('a predicted-label column replaces the threshold for accuracy, precision, recall and F1', async () => {
  const path = csv('predicted.csv', 'p,y,said', (r) => `${r.score},${r.label ? 'true' : 'false'},${r.score >= 0.3 ? 1 : 0}`);
  const report = await performanceReport({ projectRoot: dir, source: { kind: 'file', path, label: 'y', score: 'p', prediction: 'said' } });
  const all = rows();
  const want = groupMetrics(Float64Array.from(all.filter((r) => r.label).map((r) => r.score)), Float64Array.from(all.filter((r) => !r.label).map((r) => r.score)), 0.3);
  assert.deepEqual(report.overall.metrics, want.metrics);
  const bad = csv('predicted-bad.csv', 'p,y,said', (r, i) => `${r.score},${r.label},${['a', 'b', 'c'][i % 3]}`);
  await assert.rejects(performanceReport({ projectRoot: dir, source: { kind: 'file', path: bad, label: 'y', score: 'p', prediction: 'said' } }), /labels of the predictions of .*predicted-bad\.csv are not binary: saw "a", "b", "c"/);
});
