import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../drift/helpers';
import { cli, tempDir } from '../helpers';

export const DAY = 86_400_000;

/** Start of today (UTC), in ms: windows of `1d` end here or earlier. */
export function todayUtc(now = Date.now()): number {
  return Math.floor(now / DAY) * DAY;
}

/**
 * Resolves once the next UTC midnight is more than `marginMs` away (at once, unless it is that close). Tests with daily
 * windows call it first, so the day they compute their windows from does not end while they run and make another
 * window due.
 */
export function clearOfMidnight(marginMs = 60_000, now = Date.now()): Promise<void> {
  const left = todayUtc(now) + DAY - now;
  return left > marginMs ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, left + 1000));
}

export function gauss(rand: () => number, mean: number, sd: number): number {
  const u = Math.max(rand(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const PURPOSES = ['car', 'home', 'education', 'business'];

/** Training-like reference rows: income ~ N(50, 10), a purpose, a 0/1 label. */
export function referenceCsv(rows = 1500, seed = 1): string {
  const r = rng(seed);
  const out = ['income,debt_ratio,purpose,label'];
  for (let i = 0; i < rows; i++) out.push(`${gauss(r, 50, 10).toFixed(3)},${r().toFixed(4)},${PURPOSES[Math.floor(r() * 4)]},${r() < 0.3 ? 1 : 0}`);
  return `${out.join('\n')}\n`;
}

/** Current rows with an `event_time`, `perDay` rows per day from `firstDay` on; days in `shifted` have income ~ N(80, 10). */
export function currentCsv(firstDay: number, days: number, perDay: number, shifted: number[], seed = 2): string {
  const r = rng(seed);
  const out = ['event_time,income,debt_ratio,purpose,label'];
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < perDay; i++) {
      const t = new Date(firstDay + d * DAY + Math.floor((i * DAY) / perDay)).toISOString();
      const mean = shifted.includes(d) ? 80 : 50;
      out.push(`${t},${gauss(r, mean, 10).toFixed(3)},${r().toFixed(4)},${PURPOSES[Math.floor(r() * 4)]},${r() < 0.3 ? 1 : 0}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * `slipway.yaml` with the `live` data monitor most tests watch: current.csv (stamped by `event_time`) against
 * train.csv, with a label, at least 50 rows, and drift when 30% of the columns drift. `extra` is more of the monitor's
 * keys (indented lines, e.g. `    window: 1d\n`); append further monitors or `alerts:` to the result.
 */
export function liveConfig(extra = ''): string {
  return `version: 1
monitors:
  live:
    data: current.csv
    timestamp: event_time
    reference: train.csv
${extra}    target: label
    min_rows: 50
    drift_share: 0.3
`;
}

/** An initialised project with the given files. */
export async function project(files: Record<string, string>): Promise<string> {
  const dir = tempDir('slipway-monitor-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const init = await cli(['init'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  return dir;
}
