import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDatetime, parseNumber } from '../../src/engine/tables/infer';
import { rng } from '../drift/helpers';

void describe('number parsing', () => {
  void it('equals Number() on decimal spellings, including the fast path edges', () => {
    const r = rng(17);
    const samples = ['0', '-0', '+5', '007', '1.', '.5', '-.25', '123456789012345', '1234567890123456', '0.1', '0.30000000000000004', '1e5', '-2.5E-3', '9007199254740993', '3.14159265358979', '-0.000000000000000001'];
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(r() * 18);
      let s = '';
      for (let d = 0; d < digits; d++) s += String(Math.floor(r() * 10));
      const dot = Math.floor(r() * (digits + 1));
      samples.push(`${r() < 0.3 ? '-' : ''}${s.slice(0, dot)}${dot < digits ? '.' : ''}${s.slice(dot)}`);
    }
    for (const s of samples) assert.ok(Object.is(parseNumber(s), Number(s)), `${s}: ${parseNumber(s)} vs ${Number(s)}`);
  });

  void it('rejects what a CSV number is not, and reads infinities', () => {
    for (const s of ['', ' 1', '1 ', '0x10', '0b1', '1_000', 'abc', '.', '-', '1.2.3']) assert.ok(Number.isNaN(parseNumber(s)), s);
    assert.equal(parseNumber('inf'), Infinity);
    assert.equal(parseNumber('-Infinity'), -Infinity);
  });

  void it('reads ISO-8601 dates and timestamps as UTC epoch milliseconds', () => {
    assert.equal(parseDatetime('2024-03-01'), Date.UTC(2024, 2, 1));
    assert.equal(parseDatetime('2024-03-01T12:30:15.250Z'), Date.UTC(2024, 2, 1, 12, 30, 15, 250));
    assert.equal(parseDatetime('2024-03-01 12:30:15+02:00'), Date.UTC(2024, 2, 1, 10, 30, 15));
    assert.ok(Number.isNaN(parseDatetime('2024-13-01')));
    assert.ok(Number.isNaN(parseDatetime('03/01/2024')));
  });
});
