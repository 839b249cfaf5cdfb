import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DriftWebviewPort } from '../../src/extension/drift-report/host';
import { Emitter } from '../../src/extension/util/emitter';
import type { MessageFromDriftPanel, MessageToDriftPanel } from '../../src/shared/drift-panel';
import { waitFor } from './fixture';

/** A small deterministic generator (mulberry32), so the data and its verdicts are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ['Lyon', 'Oslo', 'Porto', 'Riga'];

/**
 * A CSV with `rows` rows of age (numerical), income (numerical) and city (categorical). `shifted` moves age up and
 * makes city mostly "Riga": two of the three columns drift against an unshifted table, income does not.
 */
export function writeTable(path: string, rows: number, shifted: boolean, seed: number): void {
  const next = random(seed);
  const lines = ['age,income,city'];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(30 + next() * 20 + (shifted ? 15 : 0));
    const income = Math.round(40_000 + next() * 20_000);
    const city = shifted && next() < 0.7 ? 'Riga' : CITIES[Math.floor(next() * CITIES.length)]!;
    lines.push(`${age},${income},${city}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** reference.csv and current.csv in `dir`: the current one shifted (two of three columns drift) unless `same`. */
export function writeDriftPair(dir: string, same = false): { reference: string; current: string } {
  const reference = join(dir, 'reference.csv');
  const current = join(dir, 'current.csv');
  writeTable(reference, 400, false, 1);
  writeTable(current, 400, !same, 2);
  return { reference, current };
}

/** The webview side of the contract, as a plain object: what the host posts is collected and awaited by predicate. */
export function driftPanel() {
  const posted = new Emitter<MessageToDriftPanel>();
  const fromWebview = new Emitter<MessageFromDriftPanel>();
  let title = '';
  const port: DriftWebviewPort = { post: (m) => posted.fire(m), setTitle: (t) => (title = t), onMessage: (l) => fromWebview.event(l) };
  const next = <T extends MessageToDriftPanel['type']>(type: T, send?: MessageFromDriftPanel, ms?: number) => {
    const wait = waitFor(posted.event, (m) => m.type === type, `a ${type} message`, ms) as Promise<Extract<MessageToDriftPanel, { type: T }>>;
    if (send) fromWebview.fire(send);
    return wait;
  };
  return { port, next, title: () => title };
}

/**
 * A wide CSV: `columns` columns (every fourth categorical, the rest numerical) of `rows` rows; with `shifted`, the
 * first `columns / 2` columns move so that half of them drift.
 */
export function writeWideTable(path: string, columns: number, rows: number, shifted: boolean, seed: number): void {
  const next = random(seed);
  const names = Array.from({ length: columns }, (_, i) => (i % 4 === 3 ? `cat_${i}` : `num_${i}`));
  const lines = [names.join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = names.map((_, i) => {
      const moved = shifted && i < columns / 2;
      if (i % 4 === 3) return CITIES[moved && next() < 0.6 ? 3 : Math.floor(next() * CITIES.length)]!;
      return (next() * 100 + (moved ? 40 : 0)).toFixed(2);
    });
    lines.push(cells.join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
