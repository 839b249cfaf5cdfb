/** Tests one column of reference against current: prepare the data, choose the test, score, histogram. */
import type { DriftColumnResult, DriftColumnRole, DriftColumnSide, DriftColumnType, DriftSkippedColumn, DriftTestName } from '../../shared/drift';
import { SlipwayError } from '../errors';
import { parseNumber } from '../tables/infer';
import type { Column } from '../tables/types';
import { histogramCounts, sturgesEdges } from './binning';
import type { CountPair } from './samples';
import { capCategories, codeCounts, countPairFromDictionaries, distinctCount, distinctCountUnion, sortedFinite } from './samples';
import type { ColumnData } from './tests';
import { TESTS, defaultTest } from './tests';

export interface ColumnOptions {
  /** Test this column as numerical or categorical regardless of how it was read. */
  type?: DriftColumnType;
  test?: DriftTestName;
  threshold?: number;
}

export interface ColumnSettings extends ColumnOptions {
  /** Categories kept per column before the rest are merged into OTHER_CATEGORY. */
  maxCategories: number;
}

/** Label of the bucket that holds the categories beyond the cap. */
export const OTHER_CATEGORY = '(other)';

function numbersOf(column: Column): Float64Array {
  if ('values' in column) return column.values;
  const parsed = column.dictionary.map(parseNumber);
  return Float64Array.from(column.codes, (c) => (c < 0 ? Number.NaN : parsed[c]!));
}

function categoriesOf(column: Column): { dictionary: string[]; counts: Float64Array } {
  if ('codes' in column) return { dictionary: column.dictionary, counts: codeCounts(column.codes, column.dictionary.length) };
  const index = new Map<number, number>();
  const counts: number[] = [];
  for (const v of column.values) {
    if (!Number.isFinite(v)) continue;
    const k = index.get(v);
    if (k === undefined) { index.set(v, counts.length); counts.push(1); } else counts[k]!++;
  }
  return { dictionary: [...index.keys()].map(String), counts: Float64Array.from(counts) };
}

function typeOf(column: Column): DriftColumnType | null {
  if (column.kind === 'numerical') return 'numerical';
  if (column.kind === 'categorical' || column.kind === 'binary') return 'categorical';
  return null;
}

const positive = (counts: Float64Array): number => counts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0);

/** Tests one column; returns a skip record when it cannot be tested. Throws on an impossible option. */
export function testColumn(name: string, role: DriftColumnRole, reference: Column, current: Column, settings: ColumnSettings): DriftColumnResult | DriftSkippedColumn {
  const notes: string[] = [];
  const type = settings.type ?? typeOf(reference);
  if (type === null) {
    const hint = reference.kind === 'text' ? ' Text drift is not computed; set its kind or type to categorical to compare it as categories.' : ' Datetime columns are not tested, as in Evidently.';
    return { column: name, reason: 'unsupported_kind', message: `Column "${name}" is ${reference.kind}.${hint}` };
  }
  if (!settings.type && typeOf(current) !== type) notes.push(`Read as ${reference.kind} in the reference and ${current.kind} in the current data; tested as ${type}.`);

  let data: ColumnData;
  let sides: [DriftColumnSide, DriftColumnSide];
  let distinctAll: number;
  let referenceSize: number;
  if (type === 'numerical') {
    const a = sortedFinite(numbersOf(reference));
    const b = sortedFinite(numbersOf(current));
    if (a.length === 0 || b.length === 0) return noValues(name, a.length === 0 ? 'reference' : 'current');
    const edges = sturgesEdges(a, b);
    const edgeList = Array.from(edges);
    const side = (s: Float64Array, rowCount: number): DriftColumnSide => ({
      rows: rowCount, missing: rowCount - s.length, distinct: distinctCount(s), histogram: { edges: edgeList, counts: Array.from(histogramCounts(s, edges)) },
    });
    sides = [side(a, lengthOf(reference)), side(b, lengthOf(current))];
    distinctAll = distinctCountUnion(a, b);
    referenceSize = a.length;
    data = { type, reference: a, current: b };
  } else {
    const r = categoriesOf(reference);
    const c = categoriesOf(current);
    let pair: CountPair = countPairFromDictionaries(r.dictionary, r.counts, c.dictionary, c.counts);
    if (pair.referenceTotal === 0 || pair.currentTotal === 0) return noValues(name, pair.referenceTotal === 0 ? 'reference' : 'current');
    distinctAll = pair.keys.length;
    const distinct = [positive(pair.reference), positive(pair.current)];
    const capped = capCategories(pair, settings.maxCategories, OTHER_CATEGORY);
    if (capped) {
      pair = capped.pair;
      notes.push(`${distinctAll} categories: the ${settings.maxCategories - 1} most frequent are kept and ${capped.merged} others are merged into "${OTHER_CATEGORY}" for the test and histogram.`);
    }
    const categories = pair.keys.map(String);
    const side = (counts: Float64Array, total: number, rowCount: number, d: number): DriftColumnSide => ({
      rows: rowCount, missing: rowCount - total, distinct: d, histogram: { categories, counts: Array.from(counts) },
    });
    sides = [side(pair.reference, pair.referenceTotal, lengthOf(reference), distinct[0]!), side(pair.current, pair.currentTotal, lengthOf(current), distinct[1]!)];
    referenceSize = pair.referenceTotal;
    data = { type, counts: pair };
  }

  const chosen = settings.test ?? defaultTest(type, referenceSize, distinctAll);
  const test = TESTS[chosen];
  if (!test.types.includes(type)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Test "${chosen}" applies to ${test.types.join(' or ')} columns, but column "${name}" is ${type}. Choose another test or set the column's type.`);
  }
  const threshold = settings.threshold ?? test.defaultThreshold;
  const score = test.score(data);
  const valid = Number.isFinite(score);
  if (!valid) notes.push(`The ${test.label} could not be computed for these values (${String(score)}); the column is not counted as drifted.`);
  return {
    column: name, role, type, test: chosen, test_label: test.label, score_kind: test.scoreKind,
    score: valid ? score : null, threshold, drifted: valid && test.drifted(score, threshold),
    overridden: settings.test !== undefined || settings.threshold !== undefined,
    reference: sides[0], current: sides[1], notes,
  };
}

function lengthOf(column: Column): number {
  return 'values' in column ? column.values.length : column.codes.length;
}

function noValues(name: string, side: 'reference' | 'current'): DriftSkippedColumn {
  return { column: name, reason: 'no_values', message: `Column "${name}" has no values in the ${side} data (all empty, null or NaN), so it cannot be compared.` };
}
