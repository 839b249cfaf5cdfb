/**
 * Drift report contract (JSON, schema version 1). Field names are snake_case because the report is a file format
 * read by other tools; docs/drift-report.md documents every field. Additive changes keep the version; anything else
 * bumps `schema_version`.
 */

/** How a column is tested: Evidently's "num" and "cat" column types. */
export type DriftColumnType = 'numerical' | 'categorical';

/** Statistical tests, by Evidently's names. */
export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi' | 'kl_div';

/** A p-value drifts when it is below the threshold (KS: at or below); a distance when it is at or above it. */
export type DriftScoreKind = 'p_value' | 'distance';

/** Role of a column in the model's data. Dataset drift is decided on features only. */
export type DriftColumnRole = 'feature' | 'prediction' | 'target';

/** Counts on shared bins: `edges` (length counts + 1) for numerical columns, `categories` for categorical ones. */
export interface DriftHistogram {
  edges?: number[];
  categories?: string[];
  counts: number[];
}

/** One side (reference or current) of a tested column. */
export interface DriftColumnSide {
  /** Rows in the table. */
  rows: number;
  /** Rows without a usable value (null, NaN, ±Infinity), which the test ignores. */
  missing: number;
  /** Distinct values among the rest. */
  distinct: number;
  histogram: DriftHistogram;
}

export interface DriftColumnResult {
  column: string;
  role: DriftColumnRole;
  type: DriftColumnType;
  test: DriftTestName;
  /** Human label of the test, e.g. "Wasserstein distance (normed)". */
  test_label: string;
  score_kind: DriftScoreKind;
  /** The p-value or distance; null when it could not be computed (see notes). */
  score: number | null;
  threshold: number;
  drifted: boolean;
  /** True when the test or threshold came from an option rather than the defaults. */
  overridden: boolean;
  reference: DriftColumnSide;
  current: DriftColumnSide;
  notes: string[];
}

export type DriftSkipReason = 'missing_in_reference' | 'missing_in_current' | 'no_values' | 'unsupported_kind' | 'kind_mismatch';

/** A requested or common column that was not tested, and why. */
export interface DriftSkippedColumn {
  column: string;
  reason: DriftSkipReason;
  message: string;
}

export interface DriftDatasetRef {
  path: string;
  format: 'csv' | 'parquet' | 'memory';
  rows: number;
}

export interface DriftReport {
  schema_version: 1;
  /** ISO-8601 UTC time the report was made. */
  generated_at: string;
  reference: DriftDatasetRef;
  current: DriftDatasetRef;
  /** Share of drifted feature columns at which the dataset counts as drifted (default 0.5). */
  drift_share: number;
  /** True when number_of_drifted_columns >= drift_share × number_of_columns (features only, at least one tested). */
  dataset_drift: boolean;
  number_of_columns: number;
  number_of_drifted_columns: number;
  share_of_drifted_columns: number;
  /** Drift of the prediction column(s), when any were named; null otherwise. */
  prediction_drift: boolean | null;
  /** Drift of the target column, when one was named; null otherwise. */
  target_drift: boolean | null;
  columns: DriftColumnResult[];
  skipped: DriftSkippedColumn[];
  /** Notes about the inputs (from the table readers) and the run. */
  notes: string[];
}
