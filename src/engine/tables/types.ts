/** Tables read into typed columns: one typed array per column, never one object per row. */

/**
 * What a column holds. `numerical` and `datetime` are Float64Array values (datetime as epoch milliseconds, UTC);
 * `categorical`, `binary` and `text` are dictionary-encoded (Int32Array codes into a string dictionary).
 */
export type ColumnKind = 'numerical' | 'categorical' | 'binary' | 'datetime' | 'text';

interface ColumnBase {
  name: string;
  /** Rows with no value (empty, a null token, NaN, or a value that did not fit the column's kind). */
  nullCount: number;
}

/** Numbers or datetimes; a null is NaN. */
export interface NumericColumn extends ColumnBase {
  kind: 'numerical' | 'datetime';
  values: Float64Array;
}

/** Dictionary-encoded strings; a null is code −1. */
export interface CodedColumn extends ColumnBase {
  kind: 'categorical' | 'binary' | 'text';
  codes: Int32Array;
  dictionary: string[];
}

export type Column = NumericColumn | CodedColumn;

/** Something about the input a caller should hear about, with where it was first seen. */
export interface TableNote {
  column?: string;
  code: 'mixed_types' | 'invalid_values' | 'all_null' | 'constant' | 'unsupported_column' | 'empty_table';
  message: string;
  count?: number;
  /** 1-based line of the first occurrence (CSV), when known. */
  line?: number;
}

export interface Table {
  path: string;
  /** `memory`: built from something other than a file (e.g. a window of the prediction log). */
  format: 'csv' | 'parquet' | 'memory';
  rowCount: number;
  columns: Column[];
  notes: TableNote[];
}

export interface ReadOptions {
  /** Read only these columns (all when omitted). A name that is missing is an error. */
  columns?: readonly string[];
  /** Force a column's kind instead of inferring it. */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /** CSV: rows looked at before kinds are fixed (default 10,000). Later values that do not fit become nulls, counted. */
  inferRows?: number;
  /** CSV: field delimiter (default ','). */
  delimiter?: string;
}
