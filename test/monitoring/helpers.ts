import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Deterministic pseudo-random numbers (mulberry32) so the data, and thus the verdicts, never change. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gauss(rand: () => number, mean: number, sd: number): number {
  const u = Math.max(rand(), 1e-12);
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

const PURPOSES = ['car', 'home', 'education', 'business'];

/** Training-like reference rows: income ~ N(50, 10), a purpose, a 0/1 label. */
export function referenceCsv(rows = 1500, seed = 1): string {
  const r = random(seed);
  const out = ['income,debt_ratio,purpose,label'];
  for (let i = 0; i < rows; i++) out.push(`${gauss(r, 50, 10).toFixed(3)},${r().toFixed(4)},${PURPOSES[Math.floor(r() * 4)]},${r() < 0.3 ? 1 : 0}`);
  return `${out.join('\n')}\n`;
}

/** Current rows with an `event_time`, `perDay` rows per day from `firstDay` on; days in `shifted` have income ~ N(80, 10). */
export function currentCsv(firstDay: number, days: number, perDay: number, shifted: number[], seed = 2): string {
  const r = random(seed);
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

/** An initialised project with the given files. */
export async function project(files: Record<string, string>): Promise<string> {
  const dir = tempDir('slipway-monitor-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const init = await cli(['init'], { cwd: dir });
  assert.equal(init.code, 0, init.stderr);
  return dir;
}
