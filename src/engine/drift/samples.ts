/**
 * Column data in the two shapes the drift tests consume: sorted finite numbers, or counts per category over the
 * union of both sides' categories. Evidently drops NaN and ±∞ before testing; so do these.
 */

import { sortedFiniteValues } from './sort';

/** Ascending, finite values of one side. */
export type SortedSample = Float64Array;

/** Counts per key over the union of reference and current keys (same order on both sides). */
export interface CountPair {
  keys: (string | number)[];
  reference: Float64Array;
  current: Float64Array;
  referenceTotal: number;
  currentTotal: number;
}

/** Finite values of `values` (NaN marks a null), sorted ascending into a new array. */
export function sortedFinite(values: Float64Array): SortedSample {
  return sortedFiniteValues(values);
}

/** Number of distinct values in an ascending sample. */
export function distinctCount(sorted: SortedSample): number {
  let count = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  return count;
}

/** Number of distinct values over two ascending samples together. */
export function distinctCountUnion(a: SortedSample, b: SortedSample): number {
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    count++;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
  }
  return count;
}

/** Value counts of two ascending samples over their union of values (ascending). */
export function countPairFromSorted(a: SortedSample, b: SortedSample): CountPair {
  const keys: number[] = [];
  const ra: number[] = [];
  const ca: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    const i0 = i;
    const j0 = j;
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    keys.push(v);
    ra.push(i - i0);
    ca.push(j - j0);
  }
  return { keys, reference: Float64Array.from(ra), current: Float64Array.from(ca), referenceTotal: a.length, currentTotal: b.length };
}

/** Category counts of dictionary-encoded codes (negative code = null, not counted). */
export function codeCounts(codes: Int32Array, dictionarySize: number): Float64Array {
  const counts = new Float64Array(dictionarySize);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) counts[c]!++;
  }
  return counts;
}

/** Joins two sides' category counts by category name; categories with zero count on both sides are dropped. */
export function countPairFromDictionaries(
  refDictionary: readonly string[], refCounts: Float64Array,
  curDictionary: readonly string[], curCounts: Float64Array,
): CountPair {
  const index = new Map<string, number>();
  const keys: string[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  const slot = (key: string): number => {
    let k = index.get(key);
    if (k === undefined) {
      k = keys.length;
      index.set(key, k);
      keys.push(key);
      ref.push(0);
      cur.push(0);
    }
    return k;
  };
  refDictionary.forEach((key, i) => { if (refCounts[i]! > 0) ref[slot(key)]! += refCounts[i]!; });
  curDictionary.forEach((key, i) => { if (curCounts[i]! > 0) cur[slot(key)]! += curCounts[i]!; });
  const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
  return { keys, reference: Float64Array.from(ref), current: Float64Array.from(cur), referenceTotal: sum(ref), currentTotal: sum(cur) };
}

/**
 * Keeps the `limit − 1` most frequent categories (reference + current) and merges the rest into `otherKey`, so a
 * column with a huge number of categories stays testable and its histogram stays small. Returns null when the
 * pair already fits.
 */
export function capCategories(pair: CountPair, limit: number, otherKey: string): { pair: CountPair; merged: number } | null {
  if (pair.keys.length <= limit) return null;
  const order = pair.keys.map((_, i) => i).sort((x, y) => pair.reference[y]! + pair.current[y]! - (pair.reference[x]! + pair.current[x]!));
  const keep = order.slice(0, limit - 1).sort((x, y) => x - y);
  const keys: (string | number)[] = keep.map((i) => pair.keys[i]!);
  const reference = new Float64Array(limit);
  const current = new Float64Array(limit);
  keep.forEach((i, k) => { reference[k] = pair.reference[i]!; current[k] = pair.current[i]!; });
  let otherRef = pair.referenceTotal;
  let otherCur = pair.currentTotal;
  for (let k = 0; k < keep.length; k++) { otherRef -= reference[k]!; otherCur -= current[k]!; }
  keys.push(otherKey);
  reference[limit - 1] = otherRef;
  current[limit - 1] = otherCur;
  return { pair: { ...pair, keys, reference, current }, merged: pair.keys.length - keep.length };
}
