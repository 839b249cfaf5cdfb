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
}

/**
 * Reads a labelled CSV/TSV/Parquet file (through src/engine/tables) into typed arrays: the score column as numbers,
 * the label column compared with `positiveLabel` as text (booleans and 0/1 normalised), the timestamp as epoch ms.
 * Missing columns fail naming the file and the columns it has.
 */
export async function readLabelledFile(columns: FileColumns, positiveLabel: string): Promise<{ data: LabelledScores; notes: string[] }> {
  const { path, label, score, timestamp } = columns;
  const available = await tableColumnNames(path);
  const wanted = [label, score, ...(timestamp ? [timestamp] : [])];
  const missing = wanted.filter((name) => !available.includes(name));
  if (missing.length) {
    throw new SlipwayError(
      'INVALID_PARAMETER_VALUE',
      `${path} has no column ${missing.map((m) => `"${m}"`).join(' or ')}. Its columns are: ${available.slice(0, 50).join(', ')}${available.length > 50 ? ', …' : ''}. Name them with --label, --score and --timestamp.`,
    );
  }
  const table = await readTable(path, {
    columns: [...new Set(wanted)],
    kinds: { [label]: 'categorical', [score]: 'numerical', ...(timestamp ? { [timestamp]: 'datetime' } : {}) },
  });
  const byName = (name: string): Column => table.columns.find((c) => c.name === name)!;
  const n = table.rowCount;
  const scoreColumn = byName(score);
  if (scoreColumn.kind !== 'numerical' && scoreColumn.kind !== 'datetime') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}: the score column "${score}" is not numeric.`);
  const labelColumn = byName(label);
  const coder = new LabelCoder();
  const codes = new Int32Array(n);
  if ('values' in labelColumn) {
    for (let i = 0; i < n; i++) codes[i] = coder.code(labelColumn.values[i]);
  } else {
    const mapped = labelColumn.dictionary.map((value) => coder.code(value));
    for (let i = 0; i < n; i++) {
      const c = labelColumn.codes[i]!;
      codes[i] = c < 0 ? -1 : mapped[c]!;
    }
  }
  const labels = binaryLabels(codes, n, coder.keys, positiveLabel, path);
  const notes = table.notes.filter((note) => note.column === score || note.column === timestamp).map((note) => `${path}: ${note.message}`);
  let ts: Float64Array | undefined;
  if (timestamp) {
    const column = byName(timestamp);
    if (column.kind !== 'datetime' && column.kind !== 'numerical') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path}: the timestamp column "${timestamp}" does not hold dates or times.`);
    ts = column.values;
  }
  return { data: { scores: scoreColumn.values, labels, ts, length: n }, notes };
}
