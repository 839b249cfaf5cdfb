/** Reads reference and current data and reports their drift: the entry point for the CLI, daemon and monitors. */
import type { DriftReport } from '../../shared/drift';
import { readTables, tableColumnNames } from '../tables';
import type { ColumnKind, Table, TableRequest } from '../tables';
import type { CompareOptions } from './compare';
import { compareTablesParallel } from './compare';

export interface RunDriftOptions extends CompareOptions {
  /** Reference data: a CSV/TSV/Parquet path, or a table already read. */
  reference: string | Table;
  /** Current data: a path or a table. */
  current: string | Table;
  /** Force how columns are read on both sides (otherwise inferred per file; a column is tested as the reference's type). */
  kinds?: Readonly<Record<string, ColumnKind>>;
}

export interface RunDriftResult {
  report: DriftReport;
  timings: { readMs: number; statisticsMs: number };
}

/**
 * Reads both sides (only the columns compared, both files at once on worker threads) and computes the drift report.
 * Throws SlipwayError for unreadable files and invalid options; columns missing on one side are reported, not fatal.
 */
export async function runDrift(options: RunDriftOptions): Promise<RunDriftResult> {
  const started = performance.now();
  const extra = [...(options.prediction ?? []), ...(options.target ? [options.target] : [])];
  const wanted = options.columns ? [...new Set([...options.columns, ...extra])] : undefined;
  const request = async (source: string): Promise<TableRequest> => {
    if (!wanted) return { path: source, options: { kinds: options.kinds } };
    const names = new Set(await tableColumnNames(source));
    return { path: source, options: { columns: wanted.filter((n) => names.has(n)), kinds: options.kinds } };
  };
  const paths = [options.reference, options.current].filter((s): s is string => typeof s === 'string');
  const tables = await readTables(await Promise.all(paths.map(request)));
  const reference = typeof options.reference === 'string' ? tables.shift()! : options.reference;
  const current = typeof options.current === 'string' ? tables.shift()! : options.current;
  const read = performance.now();
  const report = await compareTablesParallel(reference, current, options);
  return { report, timings: { readMs: read - started, statisticsMs: performance.now() - read } };
}
