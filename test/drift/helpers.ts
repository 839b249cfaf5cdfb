// Builds in-memory tables for drift tests.
import type { Column, Table } from '../../src/engine/tables';

export function numeric(name: string, values: ArrayLike<number>): Column {
  const v = Float64Array.from(values);
  return { name, kind: 'numerical', values: v, nullCount: v.reduce((n, x) => n + (Number.isNaN(x) ? 1 : 0), 0) };
}

export function coded(name: string, values: readonly (string | null)[], kind: 'categorical' | 'binary' | 'text' = 'categorical'): Column {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let c = index.get(v);
    if (c === undefined) { c = dictionary.length; index.set(v, c); dictionary.push(v); }
    return c;
  });
  return { name, kind, codes, dictionary, nullCount: values.filter((v) => v === null).length };
}

export function table(path: string, columns: Column[]): Table {
  const rows = columns.length ? ('values' in columns[0]! ? columns[0].values.length : columns[0]!.codes.length) : 0;
  return { path, format: 'csv', rowCount: rows, columns, notes: [] };
}

/** Deterministic pseudo-random numbers (mulberry32) so tests do not depend on Math.random. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(random: () => number, n: number, mean = 0, sd = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return out;
}

export function pick(random: () => number, n: number, labels: readonly string[], weights: readonly number[]): string[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return Array.from({ length: n }, () => {
    let u = random() * total;
    for (let i = 0; i < labels.length; i++) { u -= weights[i]!; if (u < 0) return labels[i]!; }
    return labels[labels.length - 1]!;
  });
}
