/**
 * Kind inference from text values, shared by the CSV reader (on its first rows) and overrides.
 *
 * Rules (docs/DECISIONS.md, "Column kinds"): empty/null tokens are nulls; all values true/false → binary; all values
 * numbers → numerical, except whole numbers with at most 5 distinct values, which are categorical (binary when
 * exactly 0/1) — Evidently's NUMBER_UNIQUE_AS_CATEGORICAL rule; all values ISO-8601 dates/timestamps → datetime;
 * otherwise strings: text when most values are distinct and long, else categorical.
 */
import type { ColumnKind } from './types';

const NULL_TOKENS = new Set(['', 'NA', 'N/A', 'n/a', 'NULL', 'null', 'None', 'none', 'NaN', 'nan', '-NaN', '-nan', '#N/A', '<NA>', 'nil']);

export function isNullToken(s: string): boolean {
  // Every null token is at most 4 characters; most fields are longer, so the set lookup is rarely needed.
  return s.length <= 4 && NULL_TOKENS.has(s);
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Plain decimals ("-12.345") with at most 15 digits: the digits as an integer (exact below 2^53) divided by an exact
 * power of ten is correctly rounded, so the result equals Number(s) — and is several times faster to get.
 */
function parseSimpleDecimal(s: string): number {
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 45 || first === 43) { negative = first === 45; i = 1; }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); digits++; if (fraction >= 0) fraction++; }
    else if (c === 46 && fraction < 0) fraction = 0;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const value = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
  return negative ? -value : value;
}

/**
 * A decimal number (optional sign, fraction, exponent; or ±inf/infinity) as a JS number, else NaN. The fast path
 * leans on Number(), after ruling out what Number() accepts and a CSV should not: surrounding blanks and 0x/0b/0o.
 */
export function parseNumber(s: string): number {
  const simple = parseSimpleDecimal(s);
  if (!Number.isNaN(simple)) return simple;
  const c = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) && last > 32) {
    if (c === 48 && s.length > 1) {
      const second = s.charCodeAt(1) | 32;
      if (second === 120 || second === 98 || second === 111) return Number.NaN;
    }
    const x = Number(s);
    if (!Number.isNaN(x)) return x;
  }
  if (s.length < 3 || s.length > 9) return Number.NaN;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number.NaN;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO-8601 date or timestamp as epoch milliseconds (UTC when no offset is given), else NaN. */
export function parseDatetime(s: string): number {
  const m = DATETIME.exec(s);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return Number.NaN;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

export function parseBoolean(s: string): boolean | undefined {
  if (s.length !== 4 && s.length !== 5) return undefined;
  return TRUE.has(s) ? true : FALSE.has(s) ? false : undefined;
}

/** Whole numbers with at most this many distinct values are categories (as in Evidently). */
export const MAX_NUMERIC_CATEGORIES = 5;

export interface Inference {
  kind: ColumnKind;
  /** Non-null values that did not fit the inferred kind (they are read as nulls). */
  mismatches: number;
  /** True when a mix of numbers and non-numbers made the column categorical. */
  mixed: boolean;
}

/** Infers a column's kind from sampled non-null text values. */
export function inferKind(values: readonly string[]): Inference {
  if (values.length === 0) return { kind: 'categorical', mismatches: 0, mixed: false };
  if (values.every((v) => parseBoolean(v) !== undefined)) return { kind: 'binary', mismatches: 0, mixed: false };
  let numbers = 0;
  let whole = true;
  const distinct = new Set<number>();
  for (const v of values) {
    const x = parseNumber(v);
    if (Number.isNaN(x)) continue;
    numbers++;
    if (!Number.isInteger(x)) whole = false;
    if (distinct.size <= MAX_NUMERIC_CATEGORIES) distinct.add(x);
  }
  if (numbers === values.length) {
    if (whole && distinct.size <= MAX_NUMERIC_CATEGORIES) {
      const zeroOne = [...distinct].every((x) => x === 0 || x === 1);
      return { kind: zeroOne && distinct.size === 2 ? 'binary' : 'categorical', mismatches: 0, mixed: false };
    }
    return { kind: 'numerical', mismatches: 0, mixed: false };
  }
  if (values.every((v) => !Number.isNaN(parseDatetime(v)))) return { kind: 'datetime', mismatches: 0, mixed: false };
  const unique = new Set(values).size;
  let length = 0;
  for (const v of values) length += v.length;
  const text = values.length >= 20 && unique / values.length > 0.5 && length / values.length >= 30 && values.some((v) => v.includes(' '));
  return { kind: text ? 'text' : 'categorical', mismatches: 0, mixed: numbers > 0 };
}
