/** Compares two tables column by column and assembles the drift report (no I/O). */
import type { DriftColumnResult, DriftColumnRole, DriftDatasetRef, DriftReport, DriftSkippedColumn, DriftTestName } from '../../shared/drift';
import { SlipwayError } from '../errors';
import type { Column, Table } from '../tables/types';
import type { ColumnOptions, ColumnSettings } from './column';
import { testColumn } from './column';
import { runColumnJobs } from './parallel';
import { TEST_NAMES } from './tests';

export interface CompareOptions {
  /** Columns to compare (default: every column of either table; those missing on one side are reported as skipped). */
  columns?: readonly string[];
  /** Test for every column (default: Evidently's choice per column). */
  test?: DriftTestName;
  /** Threshold for every column (default: the test's own, 0.05 for p-values and 0.1 for distances). */
  threshold?: number;
  /** Per-column type, test and threshold, over the options above. */
  perColumn?: Readonly<Record<string, ColumnOptions>>;
  /** Share of drifted features at which the dataset drifts (default 0.5). */
  driftShare?: number;
  /** Categories kept per categorical column before the rest are merged (default 1000). */
  maxCategories?: number;
  /** Target column: tested and reported as target drift, not counted in dataset drift. */
  target?: string;
  /** Prediction columns: tested and reported as prediction drift, not counted in dataset drift. */
  prediction?: readonly string[];
}

const DEFAULT_DRIFT_SHARE = 0.5;
const DEFAULT_MAX_CATEGORIES = 1000;

function checkOptions(options: CompareOptions): void {
  const bad = (message: string): never => { throw new SlipwayError('INVALID_PARAMETER_VALUE', message); };
  const checkTest = (t: string | undefined, where: string): void => {
    if (t !== undefined && !TEST_NAMES.includes(t as DriftTestName)) bad(`Unknown drift test "${t}"${where}. Use one of: ${TEST_NAMES.join(', ')}.`);
  };
  const checkThreshold = (t: number | undefined, where: string): void => {
    if (t !== undefined && !(Number.isFinite(t) && t >= 0)) bad(`Threshold ${t}${where} must be a number of at least 0.`);
  };
  checkTest(options.test, '');
  checkThreshold(options.threshold, '');
  for (const [name, o] of Object.entries(options.perColumn ?? {})) {
    checkTest(o.test, ` for column "${name}"`);
    checkThreshold(o.threshold, ` for column "${name}"`);
    if (o.type !== undefined && o.type !== 'numerical' && o.type !== 'categorical') bad(`Column "${name}": type must be numerical or categorical, not "${String(o.type)}".`);
  }
  const share = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  if (!(share > 0 && share <= 1)) bad(`Drift share ${share} must be greater than 0 and at most 1.`);
  const cap = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  if (!(Number.isInteger(cap) && cap >= 2)) bad(`The category cap ${cap} must be a whole number of at least 2.`);
}

function dataset(table: Table | undefined, fallback: DriftDatasetRef): DriftDatasetRef {
  return table ? { path: table.path, format: table.format, rows: table.rowCount } : fallback;
}

/** One column to test, or the reason it cannot be. */
export type ColumnPlan = { job: ColumnJob } | { skip: DriftSkippedColumn };

/** Everything testColumn needs for one column; structured-cloneable so it can go to a worker thread. */
export interface ColumnJob {
  name: string;
  role: DriftColumnRole;
  reference: Column;
  current: Column;
  settings: ColumnSettings;
}

export type ColumnOutcome = DriftColumnResult | DriftSkippedColumn;

/** Runs one job (the unit of work the parallel path distributes). */
export function runColumnJob(job: ColumnJob): ColumnOutcome {
  return testColumn(job.name, job.role, job.reference, job.current, job.settings);
}

/** Which columns to test, with which settings, in report order. Validates the options. */
export function planColumns(reference: Table, current: Table, options: CompareOptions): ColumnPlan[] {
  checkOptions(options);
  const refColumns = new Map<string, Column>(reference.columns.map((c) => [c.name, c]));
  const curColumns = new Map<string, Column>(current.columns.map((c) => [c.name, c]));
  const names = options.columns ?? [...new Set([...refColumns.keys(), ...curColumns.keys()])];
  const roles = new Map<string, DriftColumnRole>();
  for (const p of options.prediction ?? []) roles.set(p, 'prediction');
  if (options.target) roles.set(options.target, 'target');
  const wanted = [...names, ...[...roles.keys()].filter((n) => !names.includes(n))];
  return wanted.map((name): ColumnPlan => {
    const r = refColumns.get(name);
    const c = curColumns.get(name);
    if (!r || !c) {
      const side = !r ? 'reference' : 'current';
      return { skip: { column: name, reason: !r ? 'missing_in_reference' : 'missing_in_current', message: `Column "${name}" is not in the ${side} data (${!r ? reference.path : current.path}).` } };
    }
    const own = options.perColumn?.[name] ?? {};
    const settings: ColumnSettings = {
      type: own.type, test: own.test ?? options.test, threshold: own.threshold ?? options.threshold,
      maxCategories: options.maxCategories ?? DEFAULT_MAX_CATEGORIES,
    };
    return { job: { name, role: roles.get(name) ?? 'feature', reference: r, current: c, settings } };
  });
}

/** Drift of `current` against `reference`, column by column, as a report (schema in src/shared/drift.ts). */
export function compareTables(reference: Table, current: Table, options: CompareOptions = {}): DriftReport {
  const plans = planColumns(reference, current, options);
  const outcomes = plans.map((p) => ('job' in p ? runColumnJob(p.job) : p.skip));
  return assembleReport(reference, current, options, outcomes);
}

/** As compareTables, with the columns tested on two threads when the input is large (see parallel.ts). */
export async function compareTablesParallel(reference: Table, current: Table, options: CompareOptions = {}): Promise<DriftReport> {
  const plans = planColumns(reference, current, options);
  const jobs = plans.flatMap((p) => ('job' in p ? [p.job] : []));
  const results = await runColumnJobs(jobs);
  let k = 0;
  const outcomes = plans.map((p) => ('job' in p ? results[k++]! : p.skip));
  return assembleReport(reference, current, options, outcomes);
}

/** The report from per-column outcomes (in report order). */
export function assembleReport(reference: Table, current: Table, options: CompareOptions, outcomes: readonly ColumnOutcome[]): DriftReport {
  const results: DriftColumnResult[] = [];
  const skipped: DriftSkippedColumn[] = [];
  for (const o of outcomes) {
    if ('reason' in o) skipped.push(o);
    else results.push(o);
  }

  const features = results.filter((x) => x.role === 'feature');
  const drifted = features.filter((x) => x.drifted).length;
  const share = features.length ? drifted / features.length : 0;
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  const byRole = (role: DriftColumnRole): boolean | null => {
    const of = results.filter((x) => x.role === role);
    return of.length ? of.some((x) => x.drifted) : null;
  };
  const notes = [
    ...reference.notes.map((n) => `reference: ${n.message}`),
    ...current.notes.map((n) => `current: ${n.message}`),
  ];
  if (features.length === 0) notes.push('No feature column could be tested, so dataset drift is false.');
  return {
    schema_version: 1,
    generated_at: new Date().toISOString(),
    reference: dataset(reference, { path: '', format: 'memory', rows: 0 }),
    current: dataset(current, { path: '', format: 'memory', rows: 0 }),
    drift_share: driftShare,
    dataset_drift: features.length > 0 && share >= driftShare,
    number_of_columns: features.length,
    number_of_drifted_columns: drifted,
    share_of_drifted_columns: share,
    prediction_drift: byRole('prediction'),
    target_drift: byRole('target'),
    columns: results,
    skipped,
    notes,
  };
}
