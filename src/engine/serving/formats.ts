/**
 * Request and response shapes of the three protocols a serve process speaks, as pure functions:
 * - native `POST /predict`: one object, or an array of objects, keyed by column;
 * - MLflow's scoring server `POST /invocations`: `dataframe_split`, `dataframe_records`, `instances` or `inputs`
 *   (MLflow docs, "Deploy MLflow models: local REST API"), or `text/csv`, answered with `{ "predictions": [...] }`;
 * - KServe's Open Inference Protocol (V2) `POST /v2/models/{name}/infer` with named tensors.
 */
import type { ColumnSchema, ColumnType, OutputValue, PredictionResult } from '../../shared/serving';
import { SlipwayError } from '../errors';
import type { OutputMeta, RowPrediction } from './model';
import { rowsFromArrays } from './rows';

function bad(message: string): SlipwayError {
  return new SlipwayError('BAD_REQUEST', message);
}

/** Native body: an object is one row (answered as one), an array is a batch. */
export function nativeRows(body: unknown): { rows: unknown[]; single: boolean } {
  if (Array.isArray(body)) return { rows: body, single: false };
  if (body !== null && typeof body === 'object') return { rows: [body], single: true };
  throw bad('The body must be one JSON object keyed by column, or an array of them.');
}

const MLFLOW_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

/** Rows of an MLflow scoring request. */
export function mlflowRows(schema: ColumnSchema, body: unknown): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad(`The body must be a JSON object with one of ${MLFLOW_KEYS.join(', ')}.`);
  const record = body as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => k !== 'params');
  if (keys.length !== 1 || !MLFLOW_KEYS.includes(keys[0]!)) {
    throw bad(`The body must have exactly one of ${MLFLOW_KEYS.join(', ')} (got ${keys.length ? keys.join(', ') : 'none'}).`);
  }
  if (record.params !== undefined && (typeof record.params !== 'object' || record.params === null || Object.keys(record.params).length)) {
    throw bad('This model takes no params; remove "params" from the request.');
  }
  const key = keys[0]!;
  const value = record[key];
  if (key === 'dataframe_split') return splitRows(schema, value);
  if (key === 'dataframe_records') {
    if (!Array.isArray(value)) throw bad('dataframe_records must be an array of objects keyed by column.');
    return value;
  }
  return tensorRows(schema, value, key);
}

function splitRows(schema: ColumnSchema, value: unknown): unknown[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('dataframe_split must be an object with "columns" and "data".');
  const { columns, data } = value as { columns?: unknown; data?: unknown };
  if (!Array.isArray(data)) throw bad('dataframe_split.data must be an array of rows (arrays of values).');
  if (columns === undefined) return rowsFromArrays(schema, data, 'dataframe_split.data');
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw bad('dataframe_split.columns must be an array of column names.');
  return data.map((row, index) => {
    if (!Array.isArray(row) || row.length !== columns.length) throw bad(`dataframe_split.data[${index}] must be an array of ${columns.length} values, one per listed column.`);
    return Object.fromEntries(columns.map((c, i) => [c, row[i] as unknown]));
  });
}

/** `instances` / `inputs`: a list of row objects, a list of positional rows, or an object of columns. */
function tensorRows(schema: ColumnSchema, value: unknown, key: string): unknown[] {
  if (Array.isArray(value)) {
    if (value.length && value.every((row) => Array.isArray(row))) return rowsFromArrays(schema, value, key);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const columns = Object.entries(value as Record<string, unknown>);
    const lengths = new Set(columns.map(([, v]) => (Array.isArray(v) ? v.length : 1)));
    if (lengths.size > 1) throw bad(`Every column of ${key} must have the same number of values.`);
    const n = lengths.values().next().value ?? 0;
    return Array.from({ length: n }, (_, i) => Object.fromEntries(columns.map(([c, v]) => [c, Array.isArray(v) ? (v[i] as unknown) : v])));
  }
  throw bad(`${key} must be a list of rows or an object of columns.`);
}

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/**
 * Rows of an MLflow `text/csv` request (a header row of column names, as pandas writes it). Cells are typed by the
 * schema: numbers for numeric columns, true/false for bool, an empty cell is null.
 */
export function csvRows(schema: ColumnSchema, text: string): unknown[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (!lines.length) throw bad('The CSV body is empty; send a header row of column names, then one line per row.');
  const header = csvCells(lines[0]!).map((h) => h.trim());
  const types = new Map(schema.columns.map((c) => [c.name, c.type]));
  return lines.slice(1).map((line, index) => {
    const cells = csvCells(line);
    if (cells.length !== header.length) throw bad(`CSV line ${index + 2} has ${cells.length} cells; the header has ${header.length}.`);
    return Object.fromEntries(header.map((name, i): [string, unknown] => {
      const cell = cells[i]!;
      const type = types.get(name);
      if (cell === '') return [name, null];
      if (type === 'bool') return [name, cell === 'true' || cell === 'True' ? true : cell === 'false' || cell === 'False' ? false : cell];
      if (type && ['float32', 'float64', 'int32', 'int64'].includes(type)) return [name, Number.isNaN(Number(cell)) ? cell : Number(cell)];
      return [name, cell];
    }));
  });
}

/** MLflow's answer: one record per row with every output, plus post-processed fields. */
export function mlflowResponse(results: readonly RowPrediction[]): { predictions: Record<string, OutputValue>[] } {
  return { predictions: results.map((r) => ({ ...r.outputs, ...(r.postprocessed ?? {}) })) };
}

/** A V2 tensor, in requests and responses. */
export interface V2Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

export interface V2Request {
  id?: string;
  inputs: V2Tensor[];
  outputs?: { name: string }[];
}

const V2_TYPES: Record<string, string> = { float32: 'FP32', float64: 'FP64', int8: 'INT8', int16: 'INT16', int32: 'INT32', int64: 'INT64', uint8: 'UINT8', uint16: 'UINT16', uint32: 'UINT32', uint64: 'UINT64', bool: 'BOOL', string: 'BYTES' };

/** V2 datatype of a schema column. */
export function v2ColumnType(type: ColumnType): string {
  if (type === 'string' || type === 'category' || type === 'datetime') return 'BYTES';
  if (type === 'bool') return 'BOOL';
  return V2_TYPES[type]!;
}

export function v2TensorType(type: string): string {
  return V2_TYPES[type] ?? type.toUpperCase();
}

function flatten(data: unknown[]): unknown[] {
  return data.some((v) => Array.isArray(v)) ? data.flat(Infinity) : data;
}

/**
 * Rows of a V2 inference request: one tensor per column ([N] or [N, 1], named after the column), or one [N, C]
 * tensor whose columns are in schema order (the model's own 2-D input).
 */
export function v2Rows(schema: ColumnSchema, body: unknown): { rows: unknown[]; request: V2Request } {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as V2Request).inputs)) throw bad('The body must be an inference request with an "inputs" array of tensors.');
  const request = body as V2Request;
  if (request.id !== undefined && typeof request.id !== 'string') throw bad('"id" must be a string.');
  if (!request.inputs.length) throw bad('"inputs" is empty; send one tensor per column.');
  const tensors = request.inputs.map((t, i) => {
    if (t === null || typeof t !== 'object' || typeof t.name !== 'string' || !Array.isArray(t.shape) || !Array.isArray(t.data) || typeof t.datatype !== 'string') {
      throw bad(`inputs[${i}] must have name, shape, datatype and data.`);
    }
    const data = flatten(t.data);
    const count = t.shape.reduce((a, b) => a * Number(b), 1);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || count !== data.length) throw bad(`inputs[${i}] ("${t.name}"): shape [${t.shape.join(', ')}] does not match its ${data.length} values.`);
    return { ...t, data };
  });
  const names = schema.columns.map((c) => c.name);
  if (tensors.length === 1 && !names.includes(tensors[0]!.name) && names.length > 1) {
    const t = tensors[0]!;
    if (t.shape.length !== 2 || t.shape[1] !== names.length) throw bad(`Tensor "${t.name}" must be [N, ${names.length}] with columns in schema order (${names.join(', ')}), or send one tensor per column.`);
    const rows = Array.from({ length: t.shape[0]! }, (_, r) => t.data.slice(r * names.length, (r + 1) * names.length));
    return { rows: rowsFromArrays(schema, rows, t.name), request };
  }
  const n = tensors[0]!.shape[0] ?? 0;
  for (const t of tensors) {
    const column = schema.columns.find((c) => c.name === t.name);
    if (!column) throw bad(`Unknown input "${t.name}"; the inputs are ${names.join(', ')}.`);
    if (t.shape[0] !== n || t.data.length !== n) throw bad(`Input "${t.name}" must be [${n}] or [${n}, 1] like the other inputs.`);
    const want = v2ColumnType(column.type);
    const numeric = want !== 'BYTES' && want !== 'BOOL';
    if (t.datatype !== want && !(numeric && /^(FP|INT|UINT)\d+$/.test(t.datatype))) throw bad(`Input "${t.name}" has datatype ${t.datatype}; column ${column.name} (${column.type}) takes ${want}.`);
  }
  const rows = Array.from({ length: n }, (_, r) => Object.fromEntries(tensors.map((t) => [t.name, t.data[r]])));
  return { rows, request };
}

/** The V2 response's output tensors: every model output, `score`, and each post-processed field (BYTES). */
export function v2Outputs(outputs: readonly OutputMeta[], results: readonly RowPrediction[], requested?: { name: string }[]): V2Tensor[] {
  const n = results.length;
  const tensors: V2Tensor[] = outputs.map((o) => {
    const values = results.map((r) => r.outputs[o.name]);
    const width = Array.isArray(values[0]) ? values[0].length : 0;
    return { name: o.name, datatype: v2TensorType(o.type), shape: width ? [n, width] : [n], data: width ? values.flat() : values };
  });
  if (results.some((r) => r.score !== undefined)) tensors.push({ name: 'score', datatype: 'FP64', shape: [n], data: results.map((r) => r.score ?? null) });
  for (const field of Object.keys(results[0]?.postprocessed ?? {})) tensors.push({ name: field, datatype: 'BYTES', shape: [n], data: results.map((r) => r.postprocessed?.[field] ?? '') });
  if (!requested?.length) return tensors;
  return requested.map((want) => {
    const found = tensors.find((t) => t.name === want?.name);
    if (!found) throw bad(`Unknown output "${String(want?.name)}"; the outputs are ${tensors.map((t) => t.name).join(', ')}.`);
    return found;
  });
}

/** Native answer rows with their ids. */
export function nativeResults(ids: readonly string[], results: readonly RowPrediction[]): PredictionResult[] {
  return results.map((r, i) => {
    const out: PredictionResult = { id: ids[i]!, outputs: r.outputs };
    if (r.score !== undefined) out.score = r.score;
    if (r.postprocessed) out.postprocessed = r.postprocessed;
    return out;
  });
}
