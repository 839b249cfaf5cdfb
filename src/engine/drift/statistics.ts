/**
 * The drift statistics, defined as Evidently defines them and computed as SciPy computes them (see
 * test/fixtures/drift/scipy-reference.json, made by scripts/fixtures/drift-reference.py).
 */
import { standardDeviation } from 'simple-statistics';
import type { Shares } from './binning';
import type { CountPair, SortedSample } from './samples';
import { chiSquareSurvival, normalTwoSided } from './special';

/** First Wasserstein distance between two ascending samples (area between their ECDFs). */
export function wassersteinDistance(a: SortedSample, b: SortedSample): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let prev = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    total += Math.abs(i / n1 - j / n2) * (v - prev);
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    prev = v;
  }
  return total;
}

/** Wasserstein distance divided by the reference's population standard deviation (floored at 0.001). */
export function wassersteinNormed(a: SortedSample, b: SortedSample): number {
  // simple-statistics reads only .length and indices, so a typed array can stand in for number[].
  const std = standardDeviation(a as unknown as number[]);
  return wassersteinDistance(a, b) / Math.max(std, 0.001);
}

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalised(p: Float64Array): Float64Array {
  let sum = 0;
  for (const v of p) sum += v;
  return p.map((v) => v / sum);
}

/** Jensen–Shannon distance with log base 2 (scipy.spatial.distance.jensenshannon; inputs are renormalised). */
export function jensenShannon(shares: Shares): number {
  const p = normalised(shares.reference);
  const q = normalised(shares.current);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    left += relEntr(p[i]!, m);
    right += relEntr(q[i]!, m);
  }
  return Math.sqrt((left + right) / Math.LN2 / 2);
}

/** Population stability index, Σ (r − c)·ln(r / c), on zero-filled shares. */
export function psi(shares: Shares): number {
  let total = 0;
  for (let i = 0; i < shares.reference.length; i++) {
    const r = shares.reference[i]!;
    const c = shares.current[i]!;
    total += (r - c) * Math.log(r / c);
  }
  return total;
}

/** Kullback–Leibler divergence of reference from current (scipy.stats.entropy: both renormalised first). */
export function klDivergence(shares: Shares): number {
  const p = normalised(shares.reference);
  const q = normalised(shares.current);
  let total = 0;
  for (let i = 0; i < p.length; i++) total += relEntr(p[i]!, q[i]!);
  return total;
}

/**
 * Chi-square goodness-of-fit p-value of current counts against reference proportions × current size
 * (Evidently's chisquare test). A category absent from the reference makes the statistic infinite (p = 0).
 */
export function chiSquareTest(pair: CountPair): number {
  const scale = pair.currentTotal / pair.referenceTotal;
  let stat = 0;
  for (let i = 0; i < pair.keys.length; i++) {
    const expected = pair.reference[i]! * scale;
    const diff = pair.current[i]! - expected;
    stat += (diff * diff) / expected;
  }
  return chiSquareSurvival(stat, pair.keys.length - 1);
}

function compareKeys(x: string | number, y: string | number): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Two-proportion Z test p-value (Evidently's `z`): the smallest category against all others, pooled variance,
 * two-sided. Both sides holding the same single value gives p = 1.
 */
export function zTest(pair: CountPair): number {
  const present = (counts: Float64Array): number[] => pair.keys.map((_, i) => i).filter((i) => counts[i]! > 0);
  const refKeys = present(pair.reference);
  const curKeys = present(pair.current);
  if (refKeys.length === 1 && curKeys.length === 1 && refKeys[0] === curKeys[0]) return 1;
  let first = 0;
  for (let i = 1; i < pair.keys.length; i++) if (compareKeys(pair.keys[i]!, pair.keys[first]!) < 0) first = i;
  const n1 = pair.referenceTotal;
  const n2 = pair.currentTotal;
  const p1 = (n1 - pair.reference[first]!) / n1;
  const p2 = (n2 - pair.current[first]!) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return normalTwoSided(z);
}
