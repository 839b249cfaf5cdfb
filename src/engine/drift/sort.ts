/**
 * Sorting of finite float64 values. Sorting dominates the drift statistics (two sorts per numerical column), and an
 * LSD radix sort on the IEEE-754 bit patterns (6 passes of 11 bits over two 32-bit halves) is ~20% faster than
 * Float64Array.prototype.sort on a million values, with identical output (−0 sorts before +0, as there).
 */

const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
const RADIX_MIN = 4096;

/** The finite values of `values` (NaN/±∞ dropped), ascending, in a new array. */
export function sortedFiniteValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  if (n < RADIX_MIN) {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) out[k++] = values[i]!;
    return out.sort();
  }
  // Map each value's bits to an unsigned key that orders like the value: flip all bits of negatives, the sign of the rest.
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  const counts = new Uint32Array(6 * BUCKETS);
  for (let i = 0, k = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) continue;
    const l = words[2 * i]!;
    const h = words[2 * i + 1]!;
    const kl = h & 0x80000000 ? ~l >>> 0 : l;
    const kh = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[k] = kl;
    hi[k] = kh;
    k++;
    counts[kl & MASK]!++;
    counts[BUCKETS + ((kl >>> 11) & MASK)]!++;
    counts[2 * BUCKETS + (kl >>> 22)]!++;
    counts[3 * BUCKETS + (kh & MASK)]!++;
    counts[4 * BUCKETS + ((kh >>> 11) & MASK)]!++;
    counts[5 * BUCKETS + (kh >>> 22)]!++;
  }
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * BUCKETS;
    let sum = 0;
    let trivial = false;
    for (let d = 0; d < BUCKETS; d++) {
      const c = counts[base + d]!;
      if (c === n) trivial = true;
      counts[base + d] = sum;
      sum += c;
    }
    if (trivial) continue; // every key has the same digit here
    const shift = (pass % 3) * BITS;
    const digits = pass < 3 ? lo : hi;
    for (let i = 0; i < n; i++) {
      const at = counts[base + ((digits[i]! >>> shift) & MASK)]!++;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  const out = new Float64Array(n);
  const outWords = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    outWords[2 * i] = h & 0x80000000 ? l : ~l >>> 0;
    outWords[2 * i + 1] = h & 0x80000000 ? (h & 0x7fffffff) >>> 0 : ~h >>> 0;
  }
  return out;
}
