import { isScalar, isSeq, type Node } from 'yaml';
import type { ColumnSchema, ColumnSpec, ColumnType } from '../../shared/serving';
import { COLUMN_TYPES } from '../../shared/serving';
import { YamlFile, asMap, asNumber, asBoolean, asString, entries } from '../yaml';

const NUMERIC: readonly ColumnType[] = ['float32', 'float64', 'int32', 'int64'];
const COLUMN_KEYS = ['type', 'min', 'max', 'values', 'nullable', 'description'];
const TOP_KEYS = ['columns', 'description'];

/** True for types that pack into a numeric tensor (bool as 0/1). */
export function isNumericType(type: ColumnType): boolean {
  return NUMERIC.includes(type) || type === 'bool';
}

/**
 * Parses a column schema (`*.schema.yaml`). Problems are reported on `file` with the node's range and never thrown,
 * so the language server shows all of them; use {@link loadColumnSchema} to fail on the first load instead.
 */
export function parseColumnSchema(file: YamlFile): ColumnSchema {
  const schema: ColumnSchema = { file: file.path, columns: [] };
  if (file.hasErrors) return schema;
  const root = asMap(file, file.root, 'A column schema');
  if (!root) return schema;
  let sawColumns = false;
  for (const { key, keyNode, value } of entries(file, root)) {
    if (key === 'description') {
      asString(file, value, 'description');
    } else if (key === 'columns') {
      sawColumns = true;
      parseColumns(file, value, schema.columns);
    } else {
      file.report(keyNode, `Unknown key "${key}" in a column schema. Known keys: ${TOP_KEYS.join(', ')}.`, 'schema/unknown-key');
    }
  }
  if (!sawColumns) file.report(root, 'A column schema needs a `columns:` mapping (name: { type: ... }, in model input order).', 'schema/columns');
  else if (!schema.columns.length && !file.hasErrors) file.report(root, 'A column schema needs at least one column.', 'schema/columns');
  return schema;
}

function parseColumns(file: YamlFile, node: Node | null, out: ColumnSpec[]): void {
  const map = asMap(file, node, 'columns');
  if (!map) return;
  for (const { key, keyNode, value } of entries(file, map)) {
    const column = parseColumn(file, key, value);
    if (column) out.push({ ...column, range: file.rangeOf(keyNode) });
  }
}

function parseColumn(file: YamlFile, name: string, node: Node | null): Omit<ColumnSpec, 'range'> | null {
  const map = asMap(file, node, `Column "${name}"`);
  if (!map) return null;
  const column: Omit<ColumnSpec, 'range'> = { name, type: 'float64', nullable: false };
  let typeNode: Node | null = null;
  let valuesNode: Node | null = null;
  for (const { key, keyNode, value } of entries(file, map)) {
    if (key === 'type') {
      typeNode = value ?? keyNode;
      const type = asString(file, value, `${name}.type`);
      if (type !== null && !(COLUMN_TYPES as readonly string[]).includes(type)) {
        file.report(value, `Unknown column type "${type}" for ${name}. Types: ${COLUMN_TYPES.join(', ')}.`, 'schema/type');
        return null;
      }
      if (type !== null) column.type = type as ColumnType;
    } else if (key === 'min' || key === 'max') {
      const bound = asNumber(file, value, `${name}.${key}`);
      if (bound !== null) column[key] = bound;
    } else if (key === 'nullable') {
      const nullable = asBoolean(file, value, `${name}.nullable`);
      if (nullable !== null) column.nullable = nullable;
    } else if (key === 'values') {
      valuesNode = value;
      column.values = parseValues(file, name, value);
    } else if (key === 'description') {
      asString(file, value, `${name}.description`);
    } else {
      file.report(keyNode, `Unknown key "${key}" in column ${name}. Known keys: ${COLUMN_KEYS.join(', ')}.`, 'schema/unknown-key');
    }
  }
  if (!typeNode) {
    file.report(map, `Column ${name} needs a type (${COLUMN_TYPES.join(', ')}).`, 'schema/type');
    return null;
  }
  checkColumn(file, column, map, valuesNode);
  return column;
}

function parseValues(file: YamlFile, name: string, node: Node | null): string[] {
  if (!isSeq(node)) {
    file.report(node, `${name}.values must be a list of the category's values.`, 'yaml/type');
    return [];
  }
  const values: string[] = [];
  for (const item of node.items as (Node | null)[]) {
    if (!isScalar(item) || item.value === null || typeof item.value === 'object') {
      file.report(item, `Each of ${name}.values must be a plain value.`, 'yaml/type');
      continue;
    }
    const value = typeof item.value === 'string' ? item.value : JSON.stringify(item.value);
    if (values.includes(value)) file.report(item, `Value "${value}" is listed twice in ${name}.values.`, 'schema/values');
    else values.push(value);
  }
  return values;
}

function checkColumn(file: YamlFile, column: Omit<ColumnSpec, 'range'>, map: Node, valuesNode: Node | null): void {
  const numeric = NUMERIC.includes(column.type);
  if (!numeric && (column.min !== undefined || column.max !== undefined)) {
    file.report(map, `min and max apply to numeric columns; ${column.name} is ${column.type}.`, 'schema/bounds');
  }
  if (column.min !== undefined && column.max !== undefined && column.min > column.max) {
    file.report(map, `${column.name}: min (${column.min}) is greater than max (${column.max}).`, 'schema/bounds');
  }
  if (column.type === 'category' && !column.values?.length) {
    file.report(valuesNode ?? map, `Category column ${column.name} needs its values: values: [a, b, ...].`, 'schema/values');
  }
  if (column.type !== 'category' && column.values !== undefined) {
    file.report(valuesNode, `values applies to category columns; ${column.name} is ${column.type}.`, 'schema/values');
  }
}

/** Reads and parses a column schema file; throws CONFIG_INVALID listing each problem as `file:line:col: message`. */
export function loadColumnSchema(path: string): ColumnSchema {
  const file = YamlFile.read(path);
  const schema = parseColumnSchema(file);
  file.throwIfErrors();
  return schema;
}
