/** Tables: CSV and Parquet files read into typed columns, shared by drift, validation and features. */
export type { CodedColumn, Column, ColumnKind, NumericColumn, ReadOptions, Table, TableNote } from './types';
export { readTable } from './read';
export { readCsv } from './csv';
export { readParquet } from './parquet';
export { tableColumnNames } from './names';
export { readTables } from './parallel';
export type { TableRequest } from './parallel';
