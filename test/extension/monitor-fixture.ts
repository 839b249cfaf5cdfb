import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTable } from './drift-fixture';

/** Weekly windows: the daemon finds nothing new to evaluate unless a test runs across Thursday 00:00 UTC. */
const WEEK = 7 * 86_400_000;

/**
 * A CSV of `rows` shifted rows (age and city drift, income does not) with a `ts` column inside the last closed weekly
 * window (windows are aligned to the epoch, so they start on Thursdays).
 */
export function writeLive(path: string, rows: number, seed: number): void {
  writeTable(path, rows, true, seed);
  const start = Math.floor(Date.now() / WEEK) * WEEK - WEEK;
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const out = lines.map((line, i) => (i === 0 ? `ts,${line}` : `${new Date(start + 3_600_000 + i * 60_000).toISOString()},${line}`));
  writeFileSync(path, `${out.join('\n')}\n`);
}

/**
 * slipway.yaml with two data monitors over weekly windows against reference.csv, both drifting in the last closed
 * window (2 of 3 columns), and an alert rule on drift.
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
      '    window: 1w',
      '  batch-scores:',
      '    data: live/batch.csv',
      '    timestamp: ts',
      '    reference: reference.csv',
      '    window: 1w',
      'alerts:',
      '  on-drift:',
      '    on: [drift, degraded, drift_and_degraded]',
      '',
    ].join('\n'),
  );
}

/** A monitor entry to append under `monitors:` (before `alerts:`), watching `live/<file>`. */
export function monitorEntry(name: string, file: string): string {
  return [`  ${name}:`, `    data: live/${file}`, '    timestamp: ts', '    reference: reference.csv', '    window: 1w', ''].join('\n');
}
