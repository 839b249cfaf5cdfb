// `slipway performance` through the built CLI: the table, --json, --out-json, and exit codes 0, 1 and 2.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { performanceOptions } from '../../src/cli/commands/performance';
import type { PerformanceReport } from '../../src/shared/monitoring';
import type { PredictBatchResponse } from '../../src/shared/serving';
import { cli, tempDir } from '../helpers';
import { numericRows, request, RISK_CONFIG, startServing, tempProject } from '../serving/helpers';
import { registerModelWithMetrics } from './helpers';

void test('endpoint: exit 1 when a judged window degraded, 0 within the allowed change; JSON report to stdout and file', async () => {
  const root = tempProject(RISK_CONFIG);
  registerModelWithMetrics(root, 'credit', { val_accuracy: 0.99, roc_auc: 0.5 });
  const handle = await startServing({ name: 'credit', version: '1', projectRoot: root });
  try {
    const reply = (await request(`${handle.url}/predict`, { body: numericRows.slice(0, 60) })).body as unknown as PredictBatchResponse;
    const labels = reply.predictions.map((p, i) => ({ id: p.id, label: i % 4 === 0 ? Number(p.score! < 0.5) : Number(p.score! >= 0.5) }));
    assert.equal((await request(`${handle.url}/feedback`, { body: labels, headers: { authorization: 'Bearer test-token' } })).status, 200);
  } finally {
    await handle.close();
  }
  const out = join(root, 'perf.json');
  const degraded = await cli(['performance', '--endpoint', 'credit', '--window', '1d', '--out-json', out], { cwd: root });
  assert.equal(degraded.code, 1, degraded.stderr);
  assert.match(degraded.stdout, /^window\s+predictions\s+labelled\s+accuracy\s+auc\s+precision\s+recall\s+ece\s+result$/m);
  assert.match(degraded.stdout, /^\d{4}-\d\d-\d\d\s+60\s+60\s+0\.7500\s+\S+\s+\S+\s+\S+\s+\S+\s+DEGRADED \(accuracy\)$/m);
  assert.match(degraded.stdout, /^baseline \(credit:1\)\s+0\.9900\s+0\.5000\s+-\s+-\s+-\s+max change 0\.05$/m);
  assert.match(degraded.stdout, /Performance degraded in 1 of \d+ windows? \(accuracy\)\./);
  const report = JSON.parse(readFileSync(out, 'utf8')) as PerformanceReport;
  assert.equal(report.overall.labelled, 60);
  assert.deepEqual(report.baseline, { accuracy: 0.99, roc_auc: 0.5 });

  const lenient = await cli(['performance', '--endpoint', 'credit', '--max-change', '0.3', '--json'], { cwd: root });
  assert.equal(lenient.code, 0, lenient.stderr);
  const json = JSON.parse(lenient.stdout) as PerformanceReport;
  assert.equal(json.max_change, 0.3);
  assert.deepEqual(json.windows.map((w) => w.degraded), [[]]);

  const unjudged = await cli(['performance', '--endpoint', 'credit', '--min-labels', '61'], { cwd: root });
  assert.equal(unjudged.code, 0, unjudged.stderr);
  assert.match(unjudged.stdout, /not judged \(< 61 labels\)/);

  const future = await cli(['performance', '--endpoint', 'credit', '--since', '2999-01-01'], { cwd: root });
  assert.equal(future.code, 0, future.stderr);
  assert.match(future.stdout, /note: No predictions in the range\./);
});

void test('file: works outside a project; usage and input errors exit 2 with one clear sentence', async () => {
  const dir = tempDir('slipway-performance-cli-');
  const path = join(dir, 'scored.csv');
  writeFileSync(path, `p,y\n${Array.from({ length: 50 }, (_, i) => `${(i % 10) / 10},${i % 2}`).join('\n')}\n`);
  const ok = await cli(['performance', '--file', path, '--label', 'y', '--score', 'p', '--threshold', '0.45'], { cwd: dir });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^all\s+50\s+50\s+0\.6000\s+0\.6000\s+0\.6000\s+0\.6000\s+0\.4500\s+no baseline$/m);
  assert.match(ok.stdout, /baseline \(none\)/);
  assert.match(ok.stdout, /No degradation in 1 window\./);

  const cases: [string[], RegExp][] = [
    [[], /Give either --endpoint NAME .* or --file F --label COL --score COL/],
    [['--file', path, '--label', 'y'], /--file needs --label COL and --score COL/],
    [['--file', path, '--label', 'truth', '--score', 'p'], /scored\.csv has no column "truth"\. Its columns are: p, y\./],
    [['--file', path, '--label', 'y', '--score', 'p', '--window', '2 days'], /--window expects a positive duration such as 30m, 12h, 1d, 7d or 1w, got "2 days"/],
    [['--file', path, '--label', 'y', '--score', 'p', '--threshold', 'high'], /--threshold expects a number, got "high"/],
    [['--file', path, '--label', 'y', '--score', 'p', '--from', 'yesterday'], /--from expects an ISO date/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(['performance', ...args], { cwd: dir });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const root = tempProject(RISK_CONFIG);
  const none = await cli(['performance', '--endpoint', 'credit', '--json'], { cwd: root });
  assert.equal(none.code, 2, none.stderr);
  assert.match((JSON.parse(none.stderr) as { error: { message: string } }).error.message, /Endpoint credit has no logged predictions/);
  assert.equal(existsSync(join(root, 'perf.json')), false);
});

void test('flags to options: --since as a duration or a date, --from/--to, the file resolved', () => {
  const now = Date.UTC(2026, 11, 4, 12);
  const base = { file: 'x.csv', label: 'y', score: 'p' };
  assert.equal(performanceOptions({ ...base, since: '7d' }, '/p', now).fromMs, now - 7 * 86_400_000);
  assert.equal(performanceOptions({ ...base, since: '2026-12-01' }, '/p', now).fromMs, Date.UTC(2026, 11, 1));
  const ranged = performanceOptions({ ...base, from: '2026-12-01T06:00Z', to: '2026-12-02', window: '12h' }, '/p', now);
  assert.deepEqual([ranged.fromMs, ranged.toMs, ranged.windowMs], [Date.UTC(2026, 11, 1, 6), Date.UTC(2026, 11, 2), 43_200_000]);
  assert.deepEqual(ranged.source, { kind: 'file', path: resolve('x.csv'), label: 'y', score: 'p', timestamp: undefined, prediction: undefined });
  assert.throws(() => performanceOptions({ ...base, since: '7d', from: '2026-12-01' }, '/p', now), /--since or --from, not both/);
  assert.throws(() => performanceOptions({ ...base, endpoint: 'credit' }, '/p', now), /Give either --endpoint/);
});
