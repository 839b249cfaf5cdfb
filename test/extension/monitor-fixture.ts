import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTable } from './drift-fixture';

const DAY = 86_400_000;

/** A CSV of `rows` shifted rows (age and city drift, income does not) with a `ts` column inside yesterday (UTC). */
function writeLive(path: string, rows: number, seed: number): void {
  writeTable(path, rows, true, seed);
  const start = Math.floor(Date.now() / DAY) * DAY - DAY;
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const out = lines.map((line, i) => (i === 0 ? `ts,${line}` : `${new Date(start + 3_600_000 + i * 60_000).toISOString()},${line}`));
  writeFileSync(path, `${out.join('\n')}\n`);
}

/**
 * slipway.yaml with two data monitors over daily windows against reference.csv, both drifting in yesterday's window
 * (2 of 3 columns), and an alert rule on drift.
 */
export function writeMonitorProject(dir: string): void {
  writeTable(join(dir, 'reference.csv'), 400, false, 1);
  mkdirSync(join(dir, 'live'), { recursive: true });
  writeLive(join(dir, 'live', 'credit.csv'), 300, 2);
  writeLive(join(dir, 'live', 'batch.csv'), 300, 3);
  writeFileSync(
    join(dir, 'slipway.yaml'),
    [
      'version: 1',
      'monitors:',
      '  credit-live:',
      '    data: live/credit.csv',
      '    timestamp: ts',
      '    reference: reference.csv',
      '    window: 1d',
      '  batch-scores:',
      '    data: live/batch.csv',
      '    timestamp: ts',
      '    reference: reference.csv',
      '    window: 1d',
      'alerts:',
      '  on-drift:',
      '    on: [drift, degraded, drift_and_degraded]',
      '',
    ].join('\n'),
  );
}
