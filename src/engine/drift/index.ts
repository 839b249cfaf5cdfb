/** Drift: Evidently-equivalent statistics, default test selection and reports over tables. */
export { runDrift } from './run';
export type { RunDriftOptions, RunDriftResult } from './run';
export { compareTables, compareTablesParallel } from './compare';
export type { CompareOptions } from './compare';
export type { ColumnOptions } from './column';
export { OTHER_CATEGORY } from './column';
export { TESTS, TEST_NAMES, defaultTest } from './tests';
export { renderDriftHtml } from './html';
