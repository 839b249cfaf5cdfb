// Data paths (folders and patterns), and a reference taken from a git revision's .dvc file through the data cache.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, test } from 'node:test';
import type { MonitorReport, MonitorRunOutput } from '../../src/shared/monitoring';
import { cli, git } from '../helpers';
import { DAY, currentCsv, project, referenceCsv, clearOfMidnight, todayUtc } from './helpers';

// Daily windows: a test must not run across 00:00 UTC (see clearOfMidnight).
beforeEach(() => clearOfMidnight());

test('data: a * pattern reads every matching file as one table; a folder works the same', async () => {
  const first = todayUtc() - 2 * DAY;
  const both = currentCsv(first, 2, 200, [1]).split('\n');
  const header = both[0]!;
  const dir = await project({ 'train.csv': referenceCsv() });
  mkdirSync(join(dir, 'incoming'));
  writeFileSync(join(dir, 'incoming', 'day1.csv'), `${[header, ...both.slice(1, 201)].join('\n')}\n`);
  writeFileSync(join(dir, 'incoming', 'day2.csv'), `${[header, ...both.slice(201, 401)].join('\n')}\n`);
  writeFileSync(join(dir, 'incoming', 'notes.txt'), 'not a table\n');
  for (const data of ['incoming/day*.csv', 'incoming']) {
    writeFileSync(join(dir, 'slipway.yaml'), `version: 1\nmonitors:\n  m:\n    data: ${data}\n    timestamp: event_time\n    reference: train.csv\n    target: label\n    drift_share: 0.3\n    min_rows: 50\n`);
    const run = await cli(['monitor', 'run', '--since', new Date(first).toISOString(), '--force', '--json'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as MonitorRunOutput).reports.map((r) => [r.rows, r.status]), [[200, 'ok'], [200, 'drift']], data);
  }
  writeFileSync(join(dir, 'slipway.yaml'), 'version: 1\nmonitors:\n  m:\n    data: incoming/*.parquet\n    reference: train.csv\n');
  const none = await cli(['monitor', 'run', '--force', '--json'], { cwd: dir });
  assert.equal(none.code, 3);
  assert.match((JSON.parse(none.stdout) as MonitorRunOutput).reports[0]!.summary, /matches no CSV or Parquet file/);
});

test('reference { path, rev }: the version the revision tracked, read from the cache, even after the file changed', async () => {
  const dir = await project({ 'train.csv': referenceCsv(1500, 1) });
  git(dir, 'init', '-q', '-b', 'main');
  assert.equal((await cli(['add', 'train.csv'], { cwd: dir })).code, 0);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'v1 of the training data');
  git(dir, 'tag', 'v1');
  // The working copy moves on to data that looks like the shifted current data.
  writeFileSync(join(dir, 'train.csv'), currentCsv(0, 1, 1500, [0], 5).split('\n').map((l) => l.slice(l.indexOf(',') + 1)).join('\n'));
  assert.equal((await cli(['add', 'train.csv'], { cwd: dir })).code, 0);
  writeFileSync(join(dir, 'current.csv'), currentCsv(todayUtc() - DAY, 1, 300, [0]));
  const config = (ref: string) => `version: 1\nmonitors:\n  m:\n    data: current.csv\n    timestamp: event_time\n    reference: ${ref}\n    target: label\n    drift_share: 0.3\n    min_rows: 50\n`;

  writeFileSync(join(dir, 'slipway.yaml'), config('{ path: train.csv, rev: v1 }'));
  const atV1 = await cli(['monitor', 'run', '--json'], { cwd: dir });
  assert.equal(atV1.code, 1, atV1.stderr);
  const id = (JSON.parse(atV1.stdout) as MonitorRunOutput).reports[0]!.id;
  const report = (JSON.parse((await cli(['monitor', 'show', 'm', '--report', id, '--json'], { cwd: dir })).stdout) as { report: MonitorReport }).report;
  assert.equal(report.status, 'drift');
  assert.deepEqual([report.reference.path, report.reference.rev], ['train.csv', 'v1']);
  assert.match(report.reference.md5!, /^[0-9a-f]{32}$/);

  writeFileSync(join(dir, 'slipway.yaml'), config('train.csv'));
  const working = await cli(['monitor', 'run', '--force', '--json'], { cwd: dir });
  assert.equal(working.code, 0, working.stdout);
  assert.equal((JSON.parse(working.stdout) as MonitorRunOutput).reports[0]!.status, 'ok', 'the working copy matches the current data');

  writeFileSync(join(dir, 'slipway.yaml'), config('{ path: other.csv, rev: v1 }'));
  const untracked = await cli(['monitor', 'run', '--force', '--json'], { cwd: dir });
  assert.equal(untracked.code, 3);
  assert.match((JSON.parse(untracked.stdout) as MonitorRunOutput).reports[0]!.summary, /other\.csv is not tracked at git revision v1/);
});
