import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortedFiniteValues } from '../../src/engine/drift/sort';
import { rng } from './helpers';

void describe('radix sort of finite values', () => {
  void it('matches Float64Array.prototype.sort bit for bit, dropping NaN and ±Infinity', () => {
    const r = rng(3);
    const n = 50_000;
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = r();
      v[i] = u < 0.05 ? Number.NaN : u < 0.07 ? (u < 0.06 ? Infinity : -Infinity) : u < 0.1 ? -0 : u < 0.13 ? 0 : u < 0.2 ? 5e-324 * Math.floor(r() * 10) : u < 0.5 ? Math.round((r() - 0.5) * 100) : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    }
    const expected = v.filter((x) => Number.isFinite(x)).sort();
    const actual = sortedFiniteValues(v);
    assert.equal(actual.length, expected.length);
    for (let i = 0; i < expected.length; i++) assert.ok(Object.is(actual[i], expected[i]), `index ${i}: ${actual[i]} vs ${expected[i]}`);
  });

  void it('handles small and constant inputs', () => {
    assert.deepEqual(Array.from(sortedFiniteValues(Float64Array.of(3, NaN, -1, 2))), [-1, 2, 3]);
    assert.deepEqual(Array.from(sortedFiniteValues(new Float64Array(10_000).fill(7))).slice(0, 3), [7, 7, 7]);
    assert.equal(sortedFiniteValues(new Float64Array(10_000).fill(NaN)).length, 0);
  });
});
