// Every statistic against SciPy's values (test/fixtures/drift/scipy-reference.json, scripts/fixtures/drift-reference.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { countShares, numericShares } from '../../src/engine/drift/binning';
import { kolmogorovSf } from '../../src/engine/drift/kolmogorov';
import { ksTwoSample } from '../../src/engine/drift/ks';
import { countPairFromDictionaries, codeCounts, sortedFinite } from '../../src/engine/drift/samples';
import { chiSquareSurvival, normalTwoSided } from '../../src/engine/drift/special';
import { chiSquareTest, jensenShannon, klDivergence, psi, wassersteinNormed, zTest } from '../../src/engine/drift/statistics';

type Num = number | 'NaN' | 'Infinity' | '-Infinity';
interface Lattice { n: number; mul: number; add: number; mod: number; scale: number; shift: number }
interface Fixture {
  special: { chi2_sf: { x: number; df: number; p: Num }[]; norm_two_sided: { z: number; p: Num }[] };
  kstwo: { n: number; x: number; sf: Num }[];
  ks_2samp: { name: string; reference?: Num[]; current?: Num[]; referenceLattice?: Lattice; currentLattice?: Lattice; statistic: number; pvalue: number }[];
  numerical: { name: string; reference: Num[]; current: Num[]; wasserstein_norm: number; jensenshannon: number; psi: number; kl_div: number }[];
  categorical: { name: string; reference: string[]; current: string[]; jensenshannon: number; psi: number; kl_div: number; z?: number; chisquare?: number }[];
}

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'drift', 'scipy-reference.json'), 'utf8')) as Fixture;
const TOL = 1e-6;
const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const close = (actual: number, expected: Num, what: string): void => {
  const e = num(expected);
  if (Number.isNaN(e)) return assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
  assert.ok(Math.abs(actual - e) <= TOL || actual === e, `${what}: expected ${e}, got ${actual} (diff ${Math.abs(actual - e)})`);
};
const sample = (values: Num[]): Float64Array => sortedFinite(Float64Array.from(values, num));
const lattice = (s: Lattice): Float64Array => {
  const out = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) out[i] = (Number((BigInt(i) * BigInt(s.mul) + BigInt(s.add)) % BigInt(s.mod)) / s.mod) * s.scale + s.shift;
  return sortedFinite(out);
};
const categories = (values: string[]): { dictionary: string[]; counts: Float64Array } => {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(values, (v) => {
    let c = index.get(v);
    if (c === undefined) { c = dictionary.length; index.set(v, c); dictionary.push(v); }
    return c;
  });
  return { dictionary, counts: codeCounts(codes, dictionary.length) };
};

void describe('special functions', () => {
  void it('chi-square survival matches scipy.stats.chi2.sf', () => {
    for (const c of fixture.special.chi2_sf) close(chiSquareSurvival(c.x, c.df), c.p, `chi2.sf(${c.x}, ${c.df})`);
  });
  void it('two-sided normal p-value matches 2·(1 − norm.cdf(|z|))', () => {
    for (const c of fixture.special.norm_two_sided) close(normalTwoSided(c.z), c.p, `z=${c.z}`);
  });
  void it('Kolmogorov survival matches scipy.stats.kstwo.sf across all its methods', () => {
    assert.ok(fixture.kstwo.length > 100);
    for (const c of fixture.kstwo) close(kolmogorovSf(c.n, c.x), c.sf, `kstwo.sf(${c.x}, ${c.n})`);
  });
});

void describe('two-sample KS (method=auto)', () => {
  for (const c of fixture.ks_2samp) {
    void it(c.name, () => {
      const a = c.referenceLattice ? lattice(c.referenceLattice) : sample(c.reference!);
      const b = c.currentLattice ? lattice(c.currentLattice) : sample(c.current!);
      const r = ksTwoSample(a, b);
      close(r.statistic, c.statistic, 'statistic');
      close(r.pvalue, c.pvalue, 'p-value');
      assert.equal(r.method, Math.max(a.length, b.length) <= 10_000 ? 'exact' : 'asymptotic');
    });
  }
});

void describe('numerical distances with Evidently binning', () => {
  for (const c of fixture.numerical) {
    void it(c.name, () => {
      const a = sample(c.reference);
      const b = sample(c.current);
      close(wassersteinNormed(a, b), c.wasserstein_norm, 'wasserstein (normed)');
      close(jensenShannon(numericShares(a, b, false)), c.jensenshannon, 'jensen-shannon');
      close(psi(numericShares(a, b, true)), c.psi, 'psi');
      close(klDivergence(numericShares(a, b, true)), c.kl_div, 'kl');
    });
  }
});

void describe('categorical tests', () => {
  for (const c of fixture.categorical) {
    void it(c.name, () => {
      const r = categories(c.reference);
      const k = categories(c.current);
      const pair = countPairFromDictionaries(r.dictionary, r.counts, k.dictionary, k.counts);
      close(jensenShannon(countShares(pair, false)), c.jensenshannon, 'jensen-shannon');
      close(psi(countShares(pair, true)), c.psi, 'psi');
      close(klDivergence(countShares(pair, true)), c.kl_div, 'kl');
      if (c.z !== undefined) close(zTest(pair), c.z, 'z');
      if (c.chisquare !== undefined) close(chiSquareTest(pair), c.chisquare, 'chi-square');
    });
  }
});
