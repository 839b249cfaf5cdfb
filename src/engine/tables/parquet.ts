/**
 * Parquet reader over hyparquet (pure JS; every encoding and, with hyparquet-compressors, snappy/gzip/zstd/brotli/
 * lz4). Column chunks are copied straight into preallocated typed arrays; rows are never assembled.
 */
import { stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { ParquetParsers, SchemaElement } from 'hyparquet';
import type { Compressors } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ZSTDDecoder } from 'zstddec';
import { SlipwayError } from '../errors';
import { MAX_NUMERIC_CATEGORIES, parseDatetime, parseNumber } from './infer';
import { columnNotes } from './notes';
import { flatType, readFlatColumns } from './parquet-flat';
import { selectColumns } from './select';
import type { Column, ColumnKind, ReadOptions, Table, TableNote } from './types';

type Storage = 'number' | 'string' | 'boolean' | 'datetime' | 'unsupported';

function storageOf(element: SchemaElement, leaf: boolean): Storage {
  if (!leaf || element.repetition_type === 'REPEATED') return 'unsupported';
  const ctype = element.converted_type;
  const ltype = element.logical_type?.type;
  if (ctype === 'DATE' || ctype === 'TIMESTAMP_MILLIS' || ctype === 'TIMESTAMP_MICROS' || ltype === 'TIMESTAMP' || ltype === 'DATE' || element.type === 'INT96') return 'datetime';
  if (element.type === 'BOOLEAN') return 'boolean';
  if (element.type === 'BYTE_ARRAY' || element.type === 'FIXED_LEN_BYTE_ARRAY') return ctype === 'DECIMAL' ? 'number' : 'string';
  if (element.type === 'INT32' || element.type === 'INT64' || element.type === 'FLOAT' || element.type === 'DOUBLE') return 'number';
  return 'unsupported';
}

const isWholeType = (element: SchemaElement): boolean =>
  (element.type === 'INT32' || element.type === 'INT64') && element.converted_type !== 'DECIMAL' && element.logical_type?.type !== 'DECIMAL';

// Timestamps and dates as epoch milliseconds instead of one Date object per value.
const parsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => (Number(v) / 1e3),
  timestampFromNanoseconds: (v: bigint) => (Number(v) / 1e6),
  dateFromDays: (d: number) => (d * 86_400_000),
};

let zstd: ZSTDDecoder | undefined;

/**
 * hyparquet-compressors' codecs, with gzip on Node's native zlib and zstd on the reference C decoder compiled to
 * WASM (zstddec): both several times faster than the pure-JS decoders, and zstd is a common Parquet codec.
 */
async function codecs(): Promise<Compressors> {
  if (!zstd) {
    const decoder = new ZSTDDecoder();
    await decoder.init();
    zstd = decoder;
  }
  const z = zstd;
  return {
    ...compressors,
    GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
    ZSTD: (input: Uint8Array, outputLength: number) => z.decode(input, outputLength),
  };
}

interface Target {
  name: string;
  kind: ColumnKind;
  numbers?: Float64Array;
  codes?: Int32Array;
  dictionary: string[];
  index: Map<string, number>;
  invalid: number;
  write(data: ArrayLike<unknown>, at: number): void;
}

function makeTarget(name: string, kind: ColumnKind, rows: number): Target {
  const t: Target = { name, kind, dictionary: [], index: new Map(), invalid: 0, write: () => undefined };
  if (kind === 'numerical' || kind === 'datetime') {
    const out = (t.numbers = new Float64Array(rows));
    const fromString = kind === 'numerical' ? parseNumber : parseDatetime;
    t.write = (data, at) => {
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        let x: number;
        if (v === null || v === undefined) x = Number.NaN;
        else if (typeof v === 'number') x = v;
        else if (typeof v === 'bigint') x = Number(v);
        else if (typeof v === 'boolean') x = v ? 1 : 0;
        else if (typeof v === 'string') { x = fromString(v); if (Number.isNaN(x)) t.invalid++; }
        else if (v instanceof Date) x = v.getTime();
        else { x = Number.NaN; t.invalid++; }
        out[at + i] = x;
      }
    };
  } else {
    const out = (t.codes = new Int32Array(rows));
    t.write = (data, at) => {
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) { out[at + i] = -1; continue; }
        const key = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
        let code = t.index.get(key);
        if (code === undefined) { code = t.dictionary.length; t.index.set(key, code); t.dictionary.push(key); }
        out[at + i] = code;
      }
    };
  }
  return t;
}

/** Whole-number columns with few distinct values become categories (as in the CSV reader and Evidently). */
function asCategories(values: Float64Array): { codes: Int32Array; dictionary: string[] } | null {
  const distinct = new Set<number>();
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    distinct.add(v);
    if (distinct.size > MAX_NUMERIC_CATEGORIES) return null;
  }
  const dictionary = [...distinct].sort((a, b) => a - b);
  const lookup = new Map(dictionary.map((v, i) => [v, i]));
  const codes = Int32Array.from(values, (v) => (Number.isNaN(v) ? -1 : lookup.get(v)!));
  return { codes, dictionary: dictionary.map(String) };
}

function looksLikeText(dictionary: readonly string[], nonNull: number): boolean {
  if (nonNull < 20 || dictionary.length / nonNull <= 0.5) return false;
  let length = 0;
  let spaced = 0;
  const n = Math.min(dictionary.length, 1000);
  for (let i = 0; i < n; i++) { length += dictionary[i]!.length; if (dictionary[i]!.includes(' ')) spaced++; }
  return length / n >= 30 && spaced > 0;
}

function countNulls(column: Column): number {
  let nulls = 0;
  if ('values' in column) { for (const v of column.values) if (Number.isNaN(v)) nulls++; }
  else for (const c of column.codes) if (c < 0) nulls++;
  return nulls;
}

/** Reads a Parquet file into typed columns. Throws SlipwayError naming the file when it cannot be read. */
export async function readParquet(path: string, options: ReadOptions = {}): Promise<Table> {
  try {
    await stat(path);
  } catch {
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot read ${path}: no such file. Check the path.`);
  }
  const file = await asyncBufferFromFile(path);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is not a readable Parquet file (${(error as Error).message}). Check that the file is complete and really Parquet.`, { cause: error });
  }
  const rows = Number(metadata.num_rows);
  const top = parquetSchema(metadata).children;
  const names = top.map((c) => c.element.name);
  const picked = selectColumns(path, names, options.columns);
  const notes: TableNote[] = [];
  const targets: Target[] = [];
  const wholeNumbers = new Set<string>();
  for (const index of picked) {
    const node = top[index]!;
    const name = node.element.name;
    const storage = storageOf(node.element, node.children.length === 0);
    const forced = options.kinds?.[name];
    if (storage === 'unsupported') {
      if (options.columns) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}: column "${name}" is nested or repeated, which Slipway cannot compare; leave it out of the column list.`);
      notes.push({ column: name, code: 'unsupported_column', message: `${path}: column "${name}" is nested or repeated and was skipped.` });
      continue;
    }
    const kind: ColumnKind = forced ?? (storage === 'number' ? 'numerical' : storage === 'datetime' ? 'datetime' : storage === 'boolean' ? 'binary' : 'categorical');
    if (!forced && storage === 'number' && isWholeType(node.element)) wholeNumbers.add(name);
    targets.push(makeTarget(name, kind, rows));
  }
  const compressorSet = await codecs();
  // Flat numbers and strings read in bulk; anything else (and the flat columns, should the fast path fail) through
  // hyparquet's general reader.
  const elements = new Map(top.map((node) => [node.element.name, node.element]));
  const fits = (t: Target): boolean => {
    const flat = flatType(elements.get(t.name)!);
    return (flat === 'number' && t.numbers !== undefined && t.kind === 'numerical') || (flat === 'string' && t.codes !== undefined && t.kind !== 'binary');
  };
  let slow = targets.filter((t) => !fits(t));
  const fast = targets.filter(fits);
  if (fast.length) {
    try {
      await readFlatColumns(file, metadata, fast, compressorSet);
    } catch {
      for (const t of fast) { t.dictionary.length = 0; t.index.clear(); }
      slow = targets;
    }
  }
  const byName = new Map(slow.map((t) => [t.name, t]));
  if (slow.length) {
    try {
      await parquetRead({
        file,
        compressors: compressorSet,
        parsers,
        columns: slow.map((t) => t.name),
        onChunk(chunk) {
          const t = byName.get(chunk.columnName);
          if (!t) return;
          const end = Math.min(chunk.rowEnd, rows);
          const data = chunk.columnData.length > end - chunk.rowStart ? Array.prototype.slice.call(chunk.columnData, 0, end - chunk.rowStart) : chunk.columnData;
          t.write(data as ArrayLike<unknown>, chunk.rowStart);
        },
      });
    } catch (error) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}: Parquet data could not be decoded (${(error as Error).message}). The file may be truncated or use an unsupported feature.`, { cause: error });
    }
  }
  const columns: Column[] = targets.map((t) => {
    if (t.numbers) {
      if (wholeNumbers.has(t.name)) {
        const cats = asCategories(t.numbers);
        if (cats) { const c: Column = { name: t.name, kind: 'categorical', ...cats, nullCount: 0 }; c.nullCount = countNulls(c); return c; }
      }
      const c: Column = { name: t.name, kind: t.kind as 'numerical' | 'datetime', values: t.numbers, nullCount: 0 };
      c.nullCount = countNulls(c);
      return c;
    }
    let kind = t.kind as 'categorical' | 'binary' | 'text';
    const c: Column = { name: t.name, kind, codes: t.codes!, dictionary: t.dictionary, nullCount: 0 };
    c.nullCount = countNulls(c);
    if (kind === 'categorical' && !options.kinds?.[t.name] && looksLikeText(t.dictionary, rows - c.nullCount)) c.kind = kind = 'text';
    return c;
  });
  for (const t of targets) {
    if (t.invalid > 0) notes.push({ column: t.name, code: 'invalid_values', count: t.invalid, message: `${path}: column "${t.name}" has ${t.invalid} value(s) that do not fit kind ${t.kind}; they are read as nulls.` });
  }
  notes.push(...columnNotes(columns, rows));
  return { path, format: 'parquet', rowCount: rows, columns, notes };
}
