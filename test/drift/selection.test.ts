// Evidently's default test choice, thresholds, overrides and the dataset-drift rule.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareTables, defaultTest } from '../../src/engine/drift';
import { SlipwayError } from '../../src/engine/errors';
import { coded, normal, numeric, pick, rng, table } from './helpers';

void describe('default test selection', () => {
  const cases: [Parameters<typeof defaultTest>, string][] = [
    [['numerical', 1000, 6], 'ks'], [['numerical', 1000, 5], 'chisquare'], [['numerical', 1000, 3], 'chisquare'],
    [['numerical', 1000, 2], 'z'], [['numerical', 1001, 6], 'wasserstein'], [['numerical', 1001, 5], 'jensenshannon'],
    [['categorical', 1000, 3], 'chisquare'], [['categorical', 1000, 2], 'z'], [['categorical', 1000, 1], 'z'],
    [['categorical', 1001, 2], 'jensenshannon'], [['categorical', 50_000, 40], 'jensenshannon'],
  ];
  for (const [args, expected] of cases) {
    void it(`${args.join(', ')} → ${expected}`, () => assert.equal(defaultTest(...args), expected));
  }
});

void describe('compareTables', () => {
  const r = rng(7);
  const big = 3000;
  const ref = table('ref.csv', [
    numeric('shifted', normal(r, big)), numeric('same', normal(r, big)), numeric('small', normal(r, 400)),
    numeric('few', Array.from({ length: big }, (_, i) => i % 4)),
    coded('colour', pick(r, big, ['red', 'green', 'blue'], [5, 3, 2])), coded('flag', pick(r, 600, ['y', 'n'], [1, 1])),
    coded('tri', pick(r, 600, ['a', 'b', 'c'], [1, 1, 1])),
    numeric('only_ref', [1, 2, 3]),
  ]);
  const cur = table('cur.csv', [
    numeric('shifted', normal(r, big, 0.5)), numeric('same', normal(r, big)), numeric('small', normal(r, 400, 1)),
    numeric('few', Array.from({ length: big }, (_, i) => i % 4)),
    coded('colour', pick(r, big, ['red', 'green', 'blue'], [2, 3, 5])), coded('flag', pick(r, 600, ['y', 'n'], [1, 1])),
    coded('tri', pick(r, 600, ['a', 'b', 'c'], [1, 1, 1])),
    numeric('only_cur', [1, 2, 3]),
  ]);

  void it('chooses tests and thresholds as Evidently does and decides drift per column', () => {
    const report = compareTables(ref, cur);
    const by = new Map(report.columns.map((c) => [c.column, c]));
    const expect = { shifted: ['wasserstein', 0.1, true], same: ['wasserstein', 0.1, false], small: ['ks', 0.05, true],
      few: ['jensenshannon', 0.1, false], colour: ['jensenshannon', 0.1, true], flag: ['z', 0.05, false], tri: ['chisquare', 0.05, false] } as const;
    for (const [name, [test, threshold, drifted]] of Object.entries(expect)) {
      const c = by.get(name);
      assert.ok(c, name);
      assert.deepEqual([c.test, c.threshold, c.drifted], [test, threshold, drifted], name);
      assert.equal(c.score_kind, test === 'wasserstein' || test === 'jensenshannon' ? 'distance' : 'p_value');
    }
    assert.equal(by.get('few')!.score, 0);
    assert.equal(report.number_of_columns, 7);
    assert.equal(report.number_of_drifted_columns, 3);
    assert.equal(report.dataset_drift, false);
    assert.deepEqual(report.skipped.map((s) => `${s.column}:${s.reason}`).sort(), ['only_cur:missing_in_reference', 'only_ref:missing_in_current']);
  });

  void it('applies the drift share: at or above it the dataset drifts', () => {
    const four = { columns: ['shifted', 'same', 'small', 'few'] };
    assert.equal(compareTables(ref, cur, four).dataset_drift, true);
    assert.equal(compareTables(ref, cur, { ...four, driftShare: 0.6 }).dataset_drift, false);
  });

  void it('honours global and per-column tests, thresholds and types', () => {
    const report = compareTables(ref, cur, { columns: ['shifted', 'same', 'few'], test: 'psi', perColumn: { same: { test: 'ks', threshold: 0.2 }, few: { type: 'categorical', test: 'chisquare' } } });
    const [shifted, same, few] = report.columns;
    assert.deepEqual([shifted!.test, shifted!.threshold, shifted!.overridden], ['psi', 0.1, true]);
    assert.deepEqual([same!.test, same!.threshold], ['ks', 0.2]);
    assert.deepEqual([few!.type, few!.test, few!.score], ['categorical', 'chisquare', 1]);
    assert.deepEqual(few!.reference.histogram.categories, ['0', '1', '2', '3']);
  });

  void it('rejects impossible options with a clear error', () => {
    assert.throws(() => compareTables(ref, cur, { test: 'nope' as never }), /Unknown drift test "nope"/);
    assert.throws(() => compareTables(ref, cur, { columns: ['colour'], test: 'ks' }), (e: unknown) => e instanceof SlipwayError && /applies to numerical columns, but column "colour" is categorical/.test(e.message));
    assert.throws(() => compareTables(ref, cur, { driftShare: 0 }), /Drift share 0/);
    assert.throws(() => compareTables(ref, cur, { perColumn: { same: { threshold: -1 } } }), /Threshold -1 for column "same"/);
  });

  void it('scores a column exactly as the SciPy fixture does', () => {
    type Case = { name: string; reference: number[]; current: number[]; wasserstein_norm: number };
    const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'drift', 'scipy-reference.json'), 'utf8')) as { numerical: Case[] };
    const c = fixture.numerical[0]!;
    const report = compareTables(table('r', [numeric('x', c.reference)]), table('c', [numeric('x', c.current)]));
    assert.equal(report.columns[0]!.test, 'wasserstein');
    assert.ok(Math.abs(report.columns[0]!.score! - c.wasserstein_norm) <= 1e-6);
  });
});
