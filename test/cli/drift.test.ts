// `slipway drift` through the built CLI: verdict exit codes, report files, and errors on bad input.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CliErrorOutput } from '../../src/shared/cli';
import type { DriftReport } from '../../src/shared/drift';
import { cli, tempDir } from '../helpers';

const dir = tempDir('slipway-drift-cli-');
const N = 3000;

function csv(name: string, shift: number): string {
  const path = join(dir, name);
  const lines = ['amount,plan,score'];
  for (let i = 0; i < N; i++) lines.push(`${((i * 7919) % 1000) + shift},${['a', 'b', 'c'][i % 3]},${(i % 100) / 100}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const reference = csv('reference.csv', 0);
const same = csv('same.csv', 0);
const shifted = csv('shifted.csv', 400);

test('no drift: exit 0 and a JSON report on stdout', async () => {
  const r = await cli(['drift', '--reference', reference, '--current', same, '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as DriftReport;
  assert.equal(report.dataset_drift, false);
  assert.deepEqual(report.columns.map((c) => [c.column, c.test]), [['amount', 'wasserstein'], ['plan', 'jensenshannon'], ['score', 'wasserstein']]);
});

test('dataset drift: exit 1, human summary, and both report files written', async () => {
  const out = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  const r = await cli(['drift', '--reference', reference, '--current', shifted, '--columns', 'amount,plan', '--out-json', out, '--out-html', html], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /amount\s+numerical\s+wasserstein\s+\S+\s+0\.1\s+DRIFT/);
  assert.match(r.stdout, /Drift detected in 1 of 2 columns: dataset drift/);
  const report = JSON.parse(readFileSync(out, 'utf8')) as DriftReport;
  assert.equal(report.dataset_drift, true);
  assert.ok(existsSync(html));
  assert.doesNotMatch(readFileSync(html, 'utf8'), /https?:|<script/);
});

test('Parquet from another writer, per-run test and threshold', async () => {
  const pq = join(dir, 'current.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT (i * 7919) % 1000 + 0.0 AS amount, ['a','b','c'][1 + i % 3] AS plan, (i % 100) / 100 AS score FROM range(${N}) t(i)) TO '${pq}' (FORMAT parquet, COMPRESSION snappy)`);
  c.closeSync();
  const r = await cli(['drift', '--reference', reference, '--current', pq, '--test', 'psi', '--threshold', '0.2', '--json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as DriftReport;
  assert.deepEqual(report.columns.map((x) => [x.test, x.threshold, x.drifted]), [['psi', 0.2, false], ['psi', 0.2, false], ['psi', 0.2, false]]);
  assert.equal(report.current.format, 'parquet');
});

test('bad input: unparsable file and unknown test exit 2 with a clear message', async () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'amount,plan\n1,a\n2,b,extra\n');
  const r = await cli(['drift', '--reference', reference, '--current', bad], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`slipway: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: expected 2 fields`));
  const j = await cli(['drift', '--reference', reference, '--current', same, '--test', 'nope', '--json'], { cwd: dir });
  assert.equal(j.code, 2);
  assert.equal((JSON.parse(j.stderr) as CliErrorOutput).error.code, 'INVALID_PARAMETER_VALUE');
  const missing = await cli(['drift', '--reference', reference], { cwd: dir });
  assert.equal(missing.code, 2);
});
