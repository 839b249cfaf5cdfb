import { SlipwayError } from '../../errors';
import { NEGATIVE, POSITIVE, UNLABELLED } from './windows';

/**
 * The text a label is compared by: booleans and true/false become 1/0, numbers (and numeric text) their shortest
 * decimal form, so `1`, `1.0`, `"1"` and `true` are one label. Null, undefined and blank text are no label.
 */
export function labelKey(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isNaN(Number(value)) ? null : String(Number(value));
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text) return null;
  const lower = text.toLowerCase();
  if (lower === 'true') return '1';
  if (lower === 'false') return '0';
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

/** Codes raw labels into small integers as rows stream past, remembering each distinct label once. */
export class LabelCoder {
  private readonly byRaw = new Map<unknown, number>();
  private readonly byKey = new Map<string, number>();
  readonly keys: string[] = [];

  /** The code of a raw label; −1 for no label. */
  code(raw: unknown): number {
    let code = this.byRaw.get(raw);
    if (code !== undefined) return code;
    const key = labelKey(raw);
    if (key === null) code = -1;
    else {
      code = this.byKey.get(key);
      if (code === undefined) {
        code = this.keys.length;
        this.keys.push(key);
        this.byKey.set(key, code);
      }
    }
    // Distinct raw values are few (labels), so the cache stays small.
    if (this.byRaw.size < 10_000) this.byRaw.set(raw, code);
    return code;
  }
}

/**
 * Turns label codes into 1 (positive) / 0 (negative) / −1 (no label). Binary metrics need at most two distinct labels,
 * one of them the positive label when there are two; anything else is refused, naming the labels seen and `source`.
 */
export function binaryLabels(codes: Int32Array, length: number, keys: readonly string[], positive: unknown, source: string): Int8Array {
  const positiveKey = labelKey(positive) ?? String(positive);
  const shown = (): string => keys.slice(0, 10).map((k) => JSON.stringify(k)).join(', ') + (keys.length > 10 ? `, … (${keys.length} distinct)` : '');
  if (keys.length > 2) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `The labels of ${source} are not binary: saw ${shown()}. Performance metrics need two classes; map the labels to 0/1 (or true/false) first.`);
  }
  const positiveCode = keys.indexOf(positiveKey);
  if (keys.length === 2 && positiveCode < 0) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `None of the labels of ${source} is the positive label ${JSON.stringify(positiveKey)}: saw ${shown()}. Name the positive class with --positive-label (or the endpoint's positive_label).`);
  }
  const out = new Int8Array(length);
  for (let i = 0; i < length; i++) {
    const c = codes[i]!;
    out[i] = c < 0 ? UNLABELLED : c === positiveCode ? POSITIVE : NEGATIVE;
  }
  return out;
}
