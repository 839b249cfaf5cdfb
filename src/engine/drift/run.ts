/** Reads reference and current data and reports their drift: the entry point for the CLI, daemon and monitors. */
import type { DriftReport } from '../../shared/drift';
import { readTable, tableColumnNames } from '../tables';
import type { ColumnKind, Table } from '../tables';
import type { CompareOptions } from './compare';
import { compareTables } from './compare';

export interface RunDriftOptions extends CompareOptions {
  /** Reference data: a CSV/TSV/Parquet path, or a table already read. */
  reference: string | Table;
  /** Current data: a path or a table. */
  current: string | Table;
  /** Force how columns are read (otherwise inferred from the reference, and the current data is read the same way). */
  kinds?: Readonly<Record<string, ColumnKind>>;
}

export interface RunDriftResult {
  report: DriftReport;
  timings: { readMs: number; statisticsMs: number };
}

/**
 * Reads both sides (only the columns compared) and computes the drift report. The current data is read with the
 * reference's column kinds so a column is typed the same way on both sides. Throws SlipwayError for unreadable
 * files and invalid options; columns missing on one side are reported, not fatal.
 */
export async function runDrift(options: RunDriftOptions): Promise<RunDriftResult> {
  const started = performance.now();
  const extra = [...(options.prediction ?? []), ...(options.target ? [options.target] : [])];
  const wanted = options.columns ? [...new Set([...options.columns, ...extra])] : undefined;
  const within = async (source: string): Promise<string[] | undefined> => {
    if (!wanted) return undefined;
    const names = new Set(await tableColumnNames(source));
    return wanted.filter((n) => names.has(n));
  };
  const reference = typeof options.reference === 'string'
    ? await readTable(options.reference, { columns: await within(options.reference), kinds: options.kinds })
    : options.reference;
  const kinds: Record<string, ColumnKind> = Object.fromEntries(reference.columns.map((c) => [c.name, c.kind]));
  Object.assign(kinds, options.kinds ?? {});
  const current = typeof options.current === 'string'
    ? await readTable(options.current, { columns: await within(options.current), kinds })
    : options.current;
  const read = performance.now();
  const report = compareTables(reference, current, options);
  return { report, timings: { readMs: read - started, statisticsMs: performance.now() - read } };
}
