import { distinctValues } from './builders';
import type { Column, TableNote } from './types';

/** Notes every reader adds: columns with no values, and columns with a single value. */
export function columnNotes(columns: readonly Column[], rowCount: number): TableNote[] {
  const notes: TableNote[] = [];
  if (rowCount === 0) notes.push({ code: 'empty_table', message: 'The table has no rows.' });
  for (const column of columns) {
    if (rowCount > 0 && column.nullCount === rowCount) {
      notes.push({ column: column.name, code: 'all_null', message: `Column "${column.name}" has no values (all ${rowCount} rows are null).`, count: rowCount });
    } else if (rowCount > 0 && distinctValues(column, 1) === 1) {
      notes.push({ column: column.name, code: 'constant', message: `Column "${column.name}" holds a single value.` });
    }
  }
  return notes;
}
