/**
 * The test registry and Evidently's default choice of test (evidently/calculations/stattests/registry.py,
 * `_get_default_stattest`): by column type, the number of distinct values in reference + current, and the
 * reference size (non-missing values):
 *
 *   reference ≤ 1000:  numerical → chisquare if ≤ 5 values and > 2, z if ≤ 2, else ks;  categorical → chisquare if > 2 values, else z
 *   reference > 1000:  numerical → jensenshannon if ≤ 5 values, else wasserstein;        categorical → jensenshannon
 */
import type { DriftColumnType, DriftScoreKind, DriftTestName } from '../../shared/drift';
import { countShares, numericShares } from './binning';
import { ksTwoSample } from './ks';
import type { CountPair, SortedSample } from './samples';
import { countPairFromSorted } from './samples';
import { chiSquareTest, jensenShannon, klDivergence, psi, wassersteinNormed, zTest } from './statistics';

/** Data of one column, both sides, in the shape its type needs. */
export type ColumnData =
  | { type: 'numerical'; reference: SortedSample; current: SortedSample }
  | { type: 'categorical'; counts: CountPair };

export interface TestDefinition {
  name: DriftTestName;
  label: string;
  scoreKind: DriftScoreKind;
  defaultThreshold: number;
  types: readonly DriftColumnType[];
  score(data: ColumnData): number;
  drifted(score: number, threshold: number): boolean;
}

const counts = (data: ColumnData): CountPair => (data.type === 'categorical' ? data.counts : countPairFromSorted(data.reference, data.current));
const numeric = (data: ColumnData): { a: SortedSample; b: SortedSample } => {
  if (data.type !== 'numerical') throw new TypeError('numerical test on categorical data');
  return { a: data.reference, b: data.current };
};
const shares = (data: ColumnData, fill: boolean) =>
  data.type === 'numerical' ? numericShares(data.reference, data.current, fill) : countShares(data.counts, fill);

const below = (s: number, t: number): boolean => s < t;
const atOrAbove = (s: number, t: number): boolean => s >= t;

export const TESTS: Readonly<Record<DriftTestName, TestDefinition>> = {
  ks: { name: 'ks', label: 'K-S p_value', scoreKind: 'p_value', defaultThreshold: 0.05, types: ['numerical'],
    score: (d) => { const { a, b } = numeric(d); return ksTwoSample(a, b).pvalue; }, drifted: (s, t) => s <= t },
  chisquare: { name: 'chisquare', label: 'chi-square p_value', scoreKind: 'p_value', defaultThreshold: 0.05, types: ['categorical', 'numerical'],
    score: (d) => chiSquareTest(counts(d)), drifted: below },
  z: { name: 'z', label: 'Z-test p_value', scoreKind: 'p_value', defaultThreshold: 0.05, types: ['categorical', 'numerical'],
    score: (d) => zTest(counts(d)), drifted: below },
  wasserstein: { name: 'wasserstein', label: 'Wasserstein distance (normed)', scoreKind: 'distance', defaultThreshold: 0.1, types: ['numerical'],
    score: (d) => { const { a, b } = numeric(d); return wassersteinNormed(a, b); }, drifted: atOrAbove },
  jensenshannon: { name: 'jensenshannon', label: 'Jensen-Shannon distance', scoreKind: 'distance', defaultThreshold: 0.1, types: ['categorical', 'numerical'],
    score: (d) => jensenShannon(shares(d, false)), drifted: atOrAbove },
  psi: { name: 'psi', label: 'PSI', scoreKind: 'distance', defaultThreshold: 0.1, types: ['categorical', 'numerical'],
    score: (d) => psi(shares(d, true)), drifted: atOrAbove },
  kl_div: { name: 'kl_div', label: 'Kullback-Leibler divergence', scoreKind: 'distance', defaultThreshold: 0.1, types: ['categorical', 'numerical'],
    score: (d) => klDivergence(shares(d, true)), drifted: atOrAbove },
};

export const TEST_NAMES = Object.keys(TESTS) as DriftTestName[];

/** Evidently's default test for a column. */
export function defaultTest(type: DriftColumnType, referenceSize: number, distinctValues: number): DriftTestName {
  if (referenceSize <= 1000) {
    if (type === 'numerical' && distinctValues > 5) return 'ks';
    return distinctValues > 2 ? 'chisquare' : 'z';
  }
  if (type === 'numerical' && distinctValues > 5) return 'wasserstein';
  return 'jensenshannon';
}
