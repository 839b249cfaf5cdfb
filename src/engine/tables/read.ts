import { extname } from 'node:path';
import { readCsv } from './csv';
import { readParquet } from './parquet';
import type { ReadOptions, Table } from './types';

/** Reads a `.parquet`/`.pq` file as Parquet and anything else as CSV (`.tsv` with a tab delimiter). */
export function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return readParquet(path, options);
  if (ext === '.tsv' && options.delimiter === undefined) return readCsv(path, { ...options, delimiter: '\t' });
  return readCsv(path, options);
}
