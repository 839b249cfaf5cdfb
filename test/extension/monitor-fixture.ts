import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerModelWithMetrics } from '../performance/helpers';
import { writeTable } from './drift-fixture';

const DAY = 86_400_000;
/** Closer than this to the end of the open window, another length is taken (see FIXTURE_WINDOW). */
const MARGIN_MS = 30 * 60_000;
const CANDIDATES: readonly { text: string; ms: number }[] = [
  { text: '1w', ms: 7 * DAY },
  { text: '6d', ms: 6 * DAY },
  { text: '8d', ms: 8 * DAY },
  { text: '5d', ms: 5 * DAY },
];

/**
 * The window length of the fixture's monitors: a length of several days whose open window (windows are aligned to the
 * epoch) ends at least half an hour from `now`. A test then never sees a window close while it runs, so neither a
 * terminal run nor the daemon finds a new window due and stores a report the test did not make.
 */
export function chooseWindow(now = Date.now()): { text: string; ms: number } {
  const left = (c: { ms: number }) => (Math.floor(now / c.ms) + 1) * c.ms - now;
  return CANDIDATES.find((c) => left(c) >= MARGIN_MS) ?? [...CANDIDATES].sort((a, b) => left(b) - left(a))[0]!;
}

/** Chosen once per test process: every monitor a test declares uses the same length. */
export const FIXTURE_WINDOW = chooseWindow();

/** Start of the closed window `back` windows before the open one (1: the last closed window). */
export function closedWindowStart(back = 1, now = Date.now()): number {
  return (Math.floor(now / FIXTURE_WINDOW.ms) - back) * FIXTURE_WINDOW.ms;
}

/**
 * A CSV of `rows` shifted rows (age and city drift, income does not) with a `ts` column inside the last closed
 * window.
 */
export function writeLive(path: string, rows: number, seed: number): void {
  writeTable(path, rows, true, seed);
  const start = closedWindowStart();
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const out = lines.map((line, i) => (i === 0 ? `ts,${line}` : `${new Date(start + 3_600_000 + i * 60_000).toISOString()},${line}`));
  writeFileSync(path, `${out.join('\n')}\n`);
}

/** Monitor entries the fixture's projects use; `live/<file>` against reference.csv. */
export function monitorEntry(name: string, file: string): string {
  return [`  ${name}:`, `    data: live/${file}`, '    timestamp: ts', '    reference: reference.csv', `    window: ${FIXTURE_WINDOW.text}`, ''].join('\n');
}

/**
 * slipway.yaml with two data monitors over the fixture's windows against reference.csv, both drifting in the last
 * closed window (2 of 3 columns), and an alert rule on drift. With `scored`, also the `scored` monitor of
 * writeScoredMonitor, which the alert rule leaves out.
 */
export function writeMonitorProject(dir: string, options: { scored?: boolean } = {}): void {
  writeTable(join(dir, 'reference.csv'), 400, false, 1);
  mkdirSync(join(dir, 'live'), { recursive: true });
  writeLive(join(dir, 'live', 'credit.csv'), 300, 2);
  writeLive(join(dir, 'live', 'batch.csv'), 300, 3);
  writeFileSync(
    join(dir, 'slipway.yaml'),
    [
      'version: 1',
      'monitors:',
      monitorEntry('credit-live', 'credit.csv') + monitorEntry('batch-scores', 'batch.csv') + (options.scored ? scoredEntry() : ''),
      'alerts:',
      '  on-drift:',
      ...(options.scored ? ['    monitors: [credit-live, batch-scores]'] : []),
      '    on: [drift, degraded, drift_and_degraded]',
      '',
    ].join('\n'),
  );
  if (options.scored) writeScoredMonitor(dir);
}

/** Accuracy the scored rows reach in each of the windows writeScoredMonitor fills, oldest first. */
export const SCORED_ACCURACY = [0.93, 0.9, 0.6];

function scoredEntry(): string {
  return [
    monitorEntry('scored', 'scored.csv').trimEnd(),
    '    target: label',
    '    prediction: score',
    '    model: scorer:1',
    '    min_rows: 50',
    '    performance: { max_change: 0.05, min_labels: 50 }',
    '',
  ].join('\n');
}

/**
 * live/scored.csv: 100 unshifted rows with a 0/1 `label` and a `score` in each of the last three closed windows, the
 * score agreeing with the label as often as SCORED_ACCURACY says (so only the newest window degrades), and model
 * `scorer` version 1 whose run logged accuracy 0.92 and roc_auc 0.95. Evaluate it with `monitor run scored --since
 * <scoredSince()>`.
 */
export function writeScoredMonitor(dir: string): void {
  const path = join(dir, 'live', 'scored.csv');
  const out = ['ts,age,income,city,label,score'];
  SCORED_ACCURACY.forEach((accuracy, w) => {
    writeTable(path, 100, false, 10 + w);
    const start = closedWindowStart(SCORED_ACCURACY.length - w);
    const rows = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
    rows.forEach((line, i) => {
      const label = (i * 7) % 10 < 3 ? 1 : 0;
      const right = i < Math.round(accuracy * 100);
      const score = right === (label === 1) ? 0.8 - (i % 5) * 0.05 : 0.2 + (i % 5) * 0.05;
      out.push(`${new Date(start + 3_600_000 + i * 60_000).toISOString()},${line},${label},${score.toFixed(2)}`);
    });
  });
  writeFileSync(path, `${out.join('\n')}\n`);
  registerModelWithMetrics(dir, 'scorer', { accuracy: 0.92, roc_auc: 0.95 });
}

/** `--since` for the scored monitor's first run: the start of its oldest window. */
export function scoredSince(): string {
  return new Date(closedWindowStart(SCORED_ACCURACY.length)).toISOString();
}
