import { SlipwayError } from '../../errors';
import { readTable, tableColumnNames, type Column } from '../../tables';
import { binaryLabels, LabelCoder } from './labels';
import type { LabelledScores } from './windows';

/** Columns of a labelled predictions file. */
export interface FileColumns {
  path: string;
  label: string;
  score: string;
  timestamp?: string;
  /** Column holding the model's predicted label, used instead of the score threshold for accuracy, precision, recall, F1. */
  prediction?: string;
}

/**
 * Reads a labelled CSV/TSV/Parquet file (through src/engine/tables) into typed arrays: the score column as numbers,
 * the label column compared with `positiveLabel` as text (booleans and 0/1 normalised), the timestamp as epoch ms.
 * Missing columns fail naming the file and the columns it has.
 */
export async function readLabelledFile(columns: FileColumns, positiveLabel: string): Promise<{ data: LabelledScores; notes: string[] }> {
  const { path, label, score, timestamp, prediction } = columns;
  const available = await tableColumnNames(path);
  const wanted = [label, score, ...(timestamp ? [timestamp] : []), ...(prediction ? [prediction] : [])];
  const missing = wanted.filter((name) => !available.includes(name));
  if (missing.length) {
    throw new SlipwayError(
      'INVALID_PARAMETER_VALUE',
      `${path} has no column ${missing.map((m) => `"${m}"`).join(' or ')}. Its columns are: ${available.slice(0, 50).join(', ')}${available.length > 50 ? ', …' : ''}. Name them with --label, --score, --timestamp and --prediction.`,
    );
  }
  const table = await readTable(path, {
    columns: [...new Set(wanted)],
    kinds: { [label]: 'categorical', [score]: 'numerical', ...(timestamp ? { [timestamp]: 'datetime' } : {}), ...(prediction ? { [prediction]: 'categorical' } : {}) },
  });
  const byName = (name: string): Column => table.columns.find((c) => c.name === name)!;
  const n = table.rowCount;
  const scoreColumn = byName(score);
  if (scoreColumn.kind !== 'numerical' && scoreColumn.kind !== 'datetime') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}: the score column "${score}" is not numeric.`);
  const labels = binaryColumn(byName(label), n, positiveLabel, path);
  const predicted = prediction ? binaryColumn(byName(prediction), n, positiveLabel, `the predictions of ${path}`) : undefined;
  const notes = table.notes.filter((note) => note.column === score || note.column === timestamp).map((note) => `${path}: ${note.message}`);
  let ts: Float64Array | undefined;
  if (timestamp) {
    const column = byName(timestamp);
    if (column.kind !== 'datetime' && column.kind !== 'numerical') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}: the timestamp column "${timestamp}" does not hold dates or times.`);
    ts = column.values;
  }
  return { data: { scores: scoreColumn.values, labels, ts, predicted, length: n }, notes };
}

/** A label-like column as 1 (the positive label) / 0 / −1 (empty). */
function binaryColumn(column: Column, n: number, positiveLabel: string, source: string): Int8Array {
  const coder = new LabelCoder();
  const codes = new Int32Array(n);
  if ('values' in column) {
    for (let i = 0; i < n; i++) codes[i] = coder.code(column.values[i]);
  } else {
    const mapped = column.dictionary.map((value) => coder.code(value));
    for (let i = 0; i < n; i++) {
      const c = column.codes[i]!;
      codes[i] = c < 0 ? -1 : mapped[c]!;
    }
  }
  return binaryLabels(codes, n, coder.keys, positiveLabel, source);
}
