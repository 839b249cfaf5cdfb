/**
 * The two-sided one-sample Kolmogorov distribution, Pr(D_n >= x), as SciPy's `kstwo.sf` computes it: the
 * Simard & L'Ecuyer (2011) choice among exact and asymptotic methods by n and n·x². ks_2samp's asymptotic branch
 * evaluates it at n = round(m·n / (m + n)), so matching its branches keeps p-values within 1e-6 of SciPy's.
 *
 * Methods: Ruben–Gambino closed forms at the ends, Durbin's matrix (Marsaglia–Tsang–Wang), Pomeranz's recursion,
 * the Pelz–Good series, and twice the exact one-sided Smirnov tail (Birnbaum–Tingey sum).
 */
import { logFactorial } from './special';

const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;

const clip = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** x · 2^e without intermediate overflow. */
function ldexp(x: number, e: number): number {
  let out = x;
  let rest = e;
  while (rest > 1000) { out *= 2 ** 1000; rest -= 1000; }
  while (rest < -1000) { out *= 2 ** -1000; rest += 1000; }
  return out * 2 ** rest;
}

/** Exact one-sided tail Pr(D+_n >= x) (Birnbaum–Tingey), summed in log space. */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.floor(n * (1 - x));
  let logBinom = 0;
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logBinom += Math.log((n - j + 1) / j);
    const a = 1 - x - j / n;
    const b = x + j / n;
    const powA = n - j === 0 ? 0 : a <= 0 ? Number.NEGATIVE_INFINITY : (n - j) * Math.log(a);
    sum += Math.exp(logBinom + powA + (j - 1) * Math.log(b));
  }
  return clip(x * sum);
}

/** Durbin's matrix method (MTW variant): Pr(D_n <= d), exact to ~1e-13. */
function cdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H: Float64Array = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2) { P = matmul(P, H, m); exponent += hExponent; }
    H = matmul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > SCALE_UP) {
      for (let i = 0; i < H.length; i++) H[i]! /= SCALE_UP;
      hExponent += SCALE_EXP;
    }
  }
  let p = P[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) { p *= SCALE_UP; exponent -= SCALE_EXP; }
  }
  return clip(exponent !== 0 ? ldexp(p, exponent) : p);
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return out;
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) { j1 = n - ll - ceilf - 1; j2 = n + ll + ceilf - 1; }
      else { j1 = half - 1 - ll - roundf - 1; j2 = half + ll - 1 + ceilf - 1; }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pomeranz's recursion: Pr(D_n <= x). */
function cdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gp = new Float64Array(size);
  const twoGp = new Float64Array(size);
  const oneMinusTwoGp = new Float64Array(size);
  gp[0] = twoGp[0] = oneMinusTwoGp[0] = 1;
  for (let m = 1; m < size; m++) {
    gp[m] = (gp[m - 1]! * (g / n)) / m;
    twoGp[m] = (twoGp[m - 1]! * ((2 * g) / n)) / m;
    oneMinusTwoGp[m] = (oneMinusTwoGp[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pw = i === 1 || i === 2 * n + 1 ? gp : i % 2 ? twoGp : oneMinusTwoGp;
    const len = j2 - k1 + 1;
    if (len <= 0) continue;
    const start = k1 - v0s;
    const aLen = Math.min(len, size - start);
    const bLen = Math.min(len, size);
    const convStart = j1 - k1;
    const convLen = j2 - j1 + 1;
    let max = 0;
    for (let o = 0; o < convLen; o++) {
      const t2 = convStart + o;
      let s = 0;
      for (let a = Math.max(0, t2 - bLen + 1); a <= Math.min(t2, aLen - 1); a++) s += v0[start + a]! * pw[t2 - a]!;
      v1[o] = s;
      if (s > max) max = s;
    }
    if (max > 0 && max < SCALE_DOWN) {
      for (let o = 0; o < convLen; o++) v1[o]! *= SCALE_UP;
      exponent -= SCALE_EXP;
    }
    v1s = v0s + j1 - k1;
  }
  let ans = v1[n - v1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > SCALE_UP) { ans *= SCALE_DOWN; exponent += SCALE_EXP; }
    ans *= m;
  }
  return clip(exponent !== 0 ? ldexp(ans, exponent) : ans);
}

/** Pelz–Good asymptotic series for Pr(D_n <= x). */
function cdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const pi2 = Math.PI ** 2, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * pi2) / 4, k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64, k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const qp = q ** (8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qp + c[i]!;
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const denominators = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * sqrt2pi) / denominators[i]!;
  q = Math.exp(-pi2 / 2 / z2);
  let extra2 = 0;
  let extra3 = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    extra2 += k2 * qk;
    extra3 += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qk;
  }
  K[2]! += (extra2 * pi2 * sqrt2pi) / (-36 * z3);
  K[3]! += (extra3 * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

/** Survival function of the two-sided Kolmogorov statistic D_n: Pr(D_n >= x), n a positive integer. */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorial(n) - n * Math.log(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - cdfDurbin(n, x));
    if (nx2 <= 4) return clip(1 - cdfPomeranz(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? cdfDurbin(n, x) : cdfPelzGood(n, x);
  return clip(1 - cdf);
}
