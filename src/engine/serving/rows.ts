import type { ColumnSchema, ColumnSpec } from '../../shared/serving';
import { SlipwayError } from '../errors';

/** A column's validated values: numbers (NaN for null; bool as 0/1; datetime as epoch ms) or strings (null for null). */
export type ColumnValues = Float64Array | (string | null)[];

/** Request rows checked against a schema, kept both as the caller's objects (for the log) and as typed columns. */
export interface RowBatch {
  size: number;
  rows: Record<string, unknown>[];
  /** One entry per schema column, in schema order. */
  columns: ColumnValues[];
}

/** Most rows one request may carry; larger batches are split by the caller. */
export const MAX_BATCH_ROWS = 10_000;

const INT_LIMITS = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] } as const;

function bad(message: string): SlipwayError {
  return new SlipwayError('BAD_REQUEST', message);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : JSON.stringify(value) ?? typeof value;
}

/**
 * Validates request rows (objects keyed by column name) against a schema: every column present (null only where
 * nullable), no unknown fields, values of the declared type, within min/max and the category's values.
 * Throws BAD_REQUEST naming the row and column.
 */
export function validateRows(schema: ColumnSchema, rows: readonly unknown[]): RowBatch {
  if (!rows.length) throw bad('The request has no rows; send at least one.');
  if (rows.length > MAX_BATCH_ROWS) throw bad(`The request has ${rows.length} rows; at most ${MAX_BATCH_ROWS} are accepted per request.`);
  const names = new Set(schema.columns.map((c) => c.name));
  const columns: ColumnValues[] = schema.columns.map((c) => (isTextual(c) ? new Array<string | null>(rows.length) : new Float64Array(rows.length)));
  const objects: Record<string, unknown>[] = [];
  rows.forEach((row, index) => {
    const where = rows.length === 1 ? 'The input' : `Row ${index}`;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw bad(`${where} must be an object with one field per column (${[...names].join(', ')}).`);
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!names.has(key)) throw bad(`${where} has an unknown field "${key}"; the schema's columns are ${[...names].join(', ')}.`);
    }
    schema.columns.forEach((column, c) => {
      const target = columns[c]!;
      const value = record[column.name];
      if (value === undefined || value === null) {
        if (!column.nullable) throw bad(`${where} is missing "${column.name}" (${column.type}), which is not nullable.`);
        if (target instanceof Float64Array) target[index] = NaN;
        else target[index] = null;
        return;
      }
      if (target instanceof Float64Array) target[index] = toNumber(column, value, where);
      else target[index] = toText(column, value, where);
    });
    objects.push(record);
  });
  return { size: rows.length, rows: objects, columns };
}

function isTextual(column: ColumnSpec): boolean {
  return column.type === 'string' || column.type === 'category';
}

function toNumber(column: ColumnSpec, value: unknown, where: string): number {
  const name = `"${column.name}"`;
  if (column.type === 'bool') {
    if (typeof value !== 'boolean') throw bad(`${where}: ${name} must be true or false, not ${describe(value)}.`);
    return value ? 1 : 0;
  }
  if (column.type === 'datetime') {
    const ms = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) throw bad(`${where}: ${name} must be an ISO 8601 date-time string (e.g. 2024-05-01T12:00:00Z), not ${describe(value)}.`);
    return ms;
  }
  if (typeof value !== 'number') {
    const hint = typeof value === 'string' && /^[+-]?(nan|inf)/i.test(value) ? ' NaN and Infinity are not accepted; send null for a missing value of a nullable column.' : '';
    throw bad(`${where}: ${name} must be a number (${column.type}), not ${describe(value)}.${hint}`);
  }
  if (!Number.isFinite(value)) throw bad(`${where}: ${name} is not a finite number; NaN and Infinity are not accepted (send null for a missing value of a nullable column).`);
  if (column.type === 'int32' || column.type === 'int64') {
    const [low, high] = INT_LIMITS[column.type];
    if (!Number.isInteger(value) || value < low || value > high) throw bad(`${where}: ${name} must be an integer (${column.type}), not ${value}.`);
  }
  if (column.type === 'float32' && Math.abs(value) > 3.4028234663852886e38) throw bad(`${where}: ${name} is outside the float32 range.`);
  if (column.min !== undefined && value < column.min) throw bad(`${where}: ${name} is ${value}, below its minimum ${column.min}.`);
  if (column.max !== undefined && value > column.max) throw bad(`${where}: ${name} is ${value}, above its maximum ${column.max}.`);
  return value;
}

function toText(column: ColumnSpec, value: unknown, where: string): string {
  if (column.type === 'category') {
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    if (text === null || !column.values!.includes(text)) {
      throw bad(`${where}: "${column.name}" is ${describe(value)}; expected one of ${column.values!.join(', ')}${column.nullable ? ' or null' : ''}.`);
    }
    return text;
  }
  if (typeof value !== 'string') throw bad(`${where}: "${column.name}" must be a string, not ${describe(value)}.`);
  return value;
}

/** Turns positional rows (arrays in schema order) into objects keyed by column name. */
export function rowsFromArrays(schema: ColumnSchema, rows: readonly unknown[], what: string): Record<string, unknown>[] {
  return rows.map((row, index) => {
    if (!Array.isArray(row)) throw bad(`${what}[${index}] must be an array of ${schema.columns.length} values in schema order.`);
    if (row.length !== schema.columns.length) {
      throw bad(`${what}[${index}] has ${row.length} values; the schema has ${schema.columns.length} columns (${schema.columns.map((c) => c.name).join(', ')}).`);
    }
    return Object.fromEntries(schema.columns.map((c, i) => [c.name, row[i] as unknown]));
  });
}

/** One batch holding the rows of several, in order (for running concurrent requests together). */
export function concatBatches(batches: readonly RowBatch[]): RowBatch {
  const size = batches.reduce((n, b) => n + b.size, 0);
  const columns = batches[0]!.columns.map((first, c): ColumnValues => {
    if (first instanceof Float64Array) {
      const out = new Float64Array(size);
      let offset = 0;
      for (const b of batches) {
        out.set(b.columns[c] as Float64Array, offset);
        offset += b.size;
      }
      return out;
    }
    return batches.flatMap((b) => b.columns[c] as (string | null)[]);
  });
  return { size, rows: batches.flatMap((b) => b.rows), columns };
}
