/** Data monitors' input: a file, a folder or a `*` glob of CSV/Parquet files, read into one table and cut into windows. */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';
import { SlipwayError } from '../errors';
import { readTable } from '../tables';
import { CodeBuilder, NumberBuilder } from '../tables/builders';
import { columnNotes } from '../tables/notes';
import type { Column, ColumnKind, Table } from '../tables/types';

const TABLE_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.pq'];

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** The files a data path names, sorted: the file itself, a folder's tables, or the tables a `*`/`?` pattern matches in its folder. */
export function dataFiles(root: string, path: string): string[] {
  const abs = isAbsolute(path) ? path : join(root, path);
  const name = basename(abs);
  const isTable = (f: string) => TABLE_EXTENSIONS.includes(extname(f).toLowerCase());
  let files: string[];
  if (/[*?]/.test(name)) {
    const dir = dirname(abs);
    if (/[*?]/.test(dir)) throw new SlipwayError('CONFIG_INVALID', `Data path "${path}": a pattern may use * and ? in the file name only.`);
    const re = globToRegExp(name);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Data folder ${relative(root, dir) || '.'} of "${path}" does not exist.`);
    }
    files = names.filter((f) => re.test(f) && isTable(f)).map((f) => join(dir, f));
  } else {
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Data path ${path} does not exist (relative to ${root}).`);
    }
    files = stat.isDirectory() ? readdirSync(abs).filter(isTable).map((f) => join(abs, f)) : [abs];
  }
  if (!files.length) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Data path "${path}" matches no CSV or Parquet file.`);
  return files.sort();
}

/** Reads the files as one table; later files are read with the first one's column kinds. */
export async function readDataFiles(files: readonly string[], options: { columns?: readonly string[]; kinds?: Readonly<Record<string, ColumnKind>> }): Promise<Table> {
  const first = await readTable(files[0]!, options);
  if (files.length === 1) return first;
  const kinds: Record<string, ColumnKind> = Object.fromEntries(first.columns.map((c) => [c.name, c.kind]));
  const tables = [first];
  for (const file of files.slice(1)) tables.push(await readTable(file, { ...options, kinds: { ...kinds, ...options.kinds } }));
  return concatTables(`${dirname(files[0]!)}/{${files.map((f) => basename(f)).join(',')}}`, tables);
}

/** Concatenates tables by column name (the first table's columns; a column missing in a later table is null there). */
export function concatTables(path: string, tables: readonly Table[]): Table {
  const template = tables[0]!;
  const rowCount = tables.reduce((s, t) => s + t.rowCount, 0);
  const columns: Column[] = template.columns.map((c) => {
    if ('values' in c) {
      const b = new NumberBuilder();
      for (const t of tables) {
        const own = t.columns.find((x) => x.name === c.name);
        if (own && 'values' in own) b.pushAll(own.values);
        else for (let i = 0; i < t.rowCount; i++) b.push(Number.NaN);
      }
      return b.finish(c.name, c.kind);
    }
    const b = new CodeBuilder();
    for (const t of tables) {
      const own = t.columns.find((x) => x.name === c.name);
      if (own && 'codes' in own) {
        const map = own.dictionary.map((v) => b.codeOf(v));
        for (const code of own.codes) b.pushCode(code < 0 ? -1 : map[code]!);
      } else {
        for (let i = 0; i < t.rowCount; i++) b.pushCode(-1);
      }
    }
    return b.finish(c.name, c.kind);
  });
  return { path, format: template.format, rowCount, columns, notes: [...tables.flatMap((t) => t.notes.filter((n) => n.code !== 'empty_table' && n.code !== 'constant' && n.code !== 'all_null')), ...columnNotes(columns, rowCount)] };
}

/** Row indices whose `timestamp` value lies in [start, end). */
export function rowsInWindow(column: Column, start: number, end: number): Uint32Array {
  if (!('values' in column)) throw new SlipwayError('CONFIG_INVALID', `Timestamp column "${column.name}" holds ${column.kind} values; it must hold dates/times (ISO-8601) or epoch milliseconds.`);
  let n = 0;
  const v = column.values;
  for (let i = 0; i < v.length; i++) if (v[i]! >= start && v[i]! < end) n++;
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < v.length; i++) if (v[i]! >= start && v[i]! < end) out[k++] = i;
  return out;
}

/** The given rows of a table, without the named columns (e.g. the timestamp). */
export function takeRows(table: Table, rows: Uint32Array, path: string, drop: readonly string[] = []): Table {
  const columns: Column[] = table.columns.filter((c) => !drop.includes(c.name)).map((c) => {
    if ('values' in c) {
      const values = new Float64Array(rows.length);
      let nulls = 0;
      for (let i = 0; i < rows.length; i++) { const x = c.values[rows[i]!]!; values[i] = x; if (Number.isNaN(x)) nulls++; }
      return { name: c.name, kind: c.kind, values, nullCount: nulls };
    }
    const codes = new Int32Array(rows.length);
    let nulls = 0;
    for (let i = 0; i < rows.length; i++) { const x = c.codes[rows[i]!]!; codes[i] = x; if (x < 0) nulls++; }
    return { name: c.name, kind: c.kind, codes, dictionary: c.dictionary, nullCount: nulls };
  });
  return { path, format: table.format, rowCount: rows.length, columns, notes: columnNotes(columns, rows.length) };
}
