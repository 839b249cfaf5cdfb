/**
 * Evidently's binning for PSI, KL divergence and Jensen–Shannon distance (evidently/calculations/stattests/utils.py,
 * `get_binned_data`): a numerical column whose reference has more than 20 distinct values is cut into NumPy's
 * Sturges bins over reference + current; anything else gets one bin per distinct value. Shares are count / size.
 * For PSI and KL an empty share is replaced, per side, by (smallest non-zero share) / 10^6 when that share is
 * at most 0.0001, else by 0.0001 — without renormalising. See docs/DECISIONS.md.
 */
import type { CountPair, SortedSample } from './samples';
import { countPairFromSorted, distinctCount } from './samples';

export interface Shares {
  reference: Float64Array;
  current: Float64Array;
}

/** NumPy's `histogram_bin_edges(x, bins='sturges')` for the values of two ascending samples together. */
export function sturgesEdges(a: SortedSample, b: SortedSample): Float64Array {
  const n = a.length + b.length;
  const lo = Math.min(a.length ? a[0]! : Infinity, b.length ? b[0]! : Infinity);
  const hi = Math.max(a.length ? a[a.length - 1]! : -Infinity, b.length ? b[b.length - 1]! : -Infinity);
  let first = lo;
  let last = hi;
  if (first === last) { first -= 0.5; last += 0.5; }
  const width = (hi - lo) / (Math.log2(n) + 1);
  const bins = width ? Math.ceil((last - first) / width) : 1;
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let i = 0; i < bins; i++) edges[i] = i * step + first;
  edges[bins] = last;
  return edges;
}

function lowerBound(a: SortedSample, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: SortedSample, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** NumPy's `histogram(a, edges)` counts: half-open bins, the last one closed. */
export function histogramCounts(a: SortedSample, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let prev = lowerBound(a, edges[0]!);
  for (let i = 0; i < bins; i++) {
    const next = i === bins - 1 ? upperBound(a, edges[bins]!) : lowerBound(a, edges[i + 1]!);
    counts[i] = next - prev;
    prev = next;
  }
  return counts;
}

function fillZeroes(shares: Float64Array): void {
  let smallest = Infinity;
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s;
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  for (let i = 0; i < shares.length; i++) if (shares[i] === 0) shares[i] = fill;
}

function sharesOf(counts: Float64Array, total: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
  return out;
}

/** Binned shares of a numerical column (two ascending samples), as Evidently bins them. */
export function numericShares(a: SortedSample, b: SortedSample, fill: boolean): Shares {
  let shares: Shares;
  if (distinctCount(a) > 20) {
    const edges = sturgesEdges(a, b);
    shares = { reference: sharesOf(histogramCounts(a, edges), a.length), current: sharesOf(histogramCounts(b, edges), b.length) };
  } else {
    shares = countShares(countPairFromSorted(a, b), false);
  }
  if (fill) { fillZeroes(shares.reference); fillZeroes(shares.current); }
  return shares;
}

/** One bin per category. */
export function countShares(pair: CountPair, fill: boolean): Shares {
  const shares = { reference: sharesOf(pair.reference, pair.referenceTotal), current: sharesOf(pair.current, pair.currentTotal) };
  if (fill) { fillZeroes(shares.reference); fillZeroes(shares.current); }
  return shares;
}
