import type { ColumnSchema, ColumnSpec } from '../../shared/serving';
import { SlipwayError } from '../errors';
import { isNumericType } from '../validation';
import type { OrtModule, OrtTensor } from './ort';
import type { RowBatch } from './rows';

/** What a model declares about one input (onnxruntime's metadata, reduced to what mapping needs). */
export interface InputMeta {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

const NUMERIC_TENSORS = ['float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'bool'];

/**
 * How request columns become model inputs, decided once when a model loads:
 * - `matrix`: the model has one 2-D input; numeric and bool columns are packed row by row in schema order and cast to
 *   the input's element type;
 * - `columns`: the model has one input per column, matched by name; each is fed as [N] or [N, 1].
 */
export type InputPlan =
  | { kind: 'matrix'; input: string; type: string }
  | { kind: 'columns'; inputs: { name: string; type: string; column: number; rank: number }[] };

/** Chooses the mapping of `schema` onto a model's inputs, or throws INVALID_PARAMETER_VALUE saying why none fits. */
export function planInputs(schema: ColumnSchema, inputs: readonly InputMeta[], model: string): InputPlan {
  const names = schema.columns.map((c) => c.name);
  const described = inputs.map((i) => `${i.name} ${i.type ?? '?'}[${(i.shape ?? []).join(', ')}]`).join('; ');
  const fail = (why: string) =>
    new SlipwayError('INVALID_PARAMETER_VALUE', `Cannot map the schema ${schema.file} onto ${model}: ${why} Model inputs: ${described}. Schema columns: ${names.join(', ')}.`);
  for (const input of inputs) {
    if (!input.isTensor || !input.type) throw fail(`input "${input.name}" is not a tensor.`);
  }
  const only = inputs[0];
  if (inputs.length === 1 && only && !names.includes(only.name)) {
    if (only.shape?.length !== 2) throw fail(`its one input "${only.name}" is not 2-D ([batch, ${names.length}]), and its name matches no column.`);
    const textual = schema.columns.filter((c) => !isNumericType(c.type));
    if (textual.length) {
      throw fail(`columns ${textual.map((c) => `${c.name} (${c.type})`).join(', ')} cannot be packed into one numeric matrix; export the model with one input per column, named after the columns.`);
    }
    if (!NUMERIC_TENSORS.includes(only.type!)) throw fail(`its input "${only.name}" has element type ${only.type}, not a numeric type.`);
    const width = only.shape[1];
    if (typeof width === 'number' && width !== names.length) throw fail(`its input "${only.name}" takes ${width} values per row, but the schema has ${names.length} columns.`);
    return { kind: 'matrix', input: only.name, type: only.type! };
  }
  const missing = names.filter((n) => !inputs.some((i) => i.name === n));
  const extra = inputs.filter((i) => !names.includes(i.name)).map((i) => i.name);
  if (missing.length || extra.length) {
    const parts = [missing.length ? `no model input for column(s) ${missing.join(', ')}` : '', extra.length ? `no column for model input(s) ${extra.join(', ')}` : ''];
    throw fail(`with one input per column, names must match: ${parts.filter(Boolean).join('; ')}.`);
  }
  return {
    kind: 'columns',
    inputs: inputs.map((input) => {
      const column = names.indexOf(input.name);
      const spec = schema.columns[column]!;
      const rank = input.shape?.length ?? 1;
      if (rank > 2 || (rank === 2 && typeof input.shape![1] === 'number' && input.shape![1] !== 1)) {
        throw fail(`input "${input.name}" must be [batch] or [batch, 1] to take one column.`);
      }
      if (!compatible(spec, input.type!)) throw fail(`column ${spec.name} (${spec.type}) cannot feed input "${input.name}" of type ${input.type}.`);
      return { name: input.name, type: input.type!, column, rank: Math.max(rank, 1) };
    }),
  };
}

function compatible(column: ColumnSpec, tensorType: string): boolean {
  if (column.type === 'string' || column.type === 'category') return tensorType === 'string';
  if (column.type === 'datetime') return tensorType === 'string' || tensorType === 'int64' || tensorType === 'float64';
  return NUMERIC_TENSORS.includes(tensorType);
}

type Typed = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array | BigUint64Array;

function allocate(type: string, length: number): Typed {
  switch (type) {
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
    case 'int8': return new Int8Array(length);
    case 'int16': return new Int16Array(length);
    case 'int32': return new Int32Array(length);
    case 'int64': return new BigInt64Array(length);
    case 'uint8': case 'bool': return new Uint8Array(length);
    case 'uint16': return new Uint16Array(length);
    case 'uint32': return new Uint32Array(length);
    case 'uint64': return new BigUint64Array(length);
    default: throw new SlipwayError('INVALID_PARAMETER_VALUE', `Unsupported input element type ${type}.`);
  }
}

/** Writes one value, cast as ONNX's Cast would (integers truncate toward zero). Null (NaN) has no integer form. */
function put(target: Typed, index: number, value: number, type: string, column: ColumnSpec): void {
  if (type === 'float32' || type === 'float64') {
    target[index] = value;
    return;
  }
  if (Number.isNaN(value)) {
    throw new SlipwayError('BAD_REQUEST', `"${column.name}" is null, but the model takes it as ${type}, which has no missing value; send a number.`);
  }
  if (type === 'bool') target[index] = value !== 0 ? 1 : 0;
  else if (target instanceof BigInt64Array || target instanceof BigUint64Array) target[index] = BigInt(Math.trunc(value));
  else target[index] = Math.trunc(value);
}

/** Builds the feeds for one validated batch according to `plan`. */
export function buildFeeds(ort: OrtModule, plan: InputPlan, schema: ColumnSchema, batch: RowBatch): Record<string, OrtTensor> {
  const n = batch.size;
  if (plan.kind === 'matrix') {
    const width = schema.columns.length;
    const data = allocate(plan.type, n * width);
    schema.columns.forEach((spec, c) => {
      const values = batch.columns[c] as Float64Array;
      for (let row = 0; row < n; row++) put(data, row * width + c, values[row]!, plan.type, spec);
    });
    return { [plan.input]: new ort.Tensor(plan.type as 'float32', data as Float32Array, [n, width]) };
  }
  const feeds: Record<string, OrtTensor> = {};
  for (const input of plan.inputs) {
    const spec = schema.columns[input.column]!;
    const values = batch.columns[input.column]!;
    const dims = input.rank === 2 ? [n, 1] : [n];
    if (input.type === 'string') {
      // A missing category or string is fed as the empty string, which an encoder treats as an unknown value.
      const strings = values instanceof Float64Array ? batch.rows.map((row) => (typeof row[spec.name] === 'string' ? (row[spec.name] as string) : '')) : values.map((v) => v ?? '');
      feeds[input.name] = new ort.Tensor('string', strings, dims);
      continue;
    }
    const data = allocate(input.type, n);
    for (let row = 0; row < n; row++) put(data, row, (values as Float64Array)[row]!, input.type, spec);
    feeds[input.name] = new ort.Tensor(input.type as 'float32', data as Float32Array, dims);
  }
  return feeds;
}
