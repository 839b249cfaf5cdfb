/** Growable typed columns that readers append to, value by value, without per-row objects. */
import type { Column, ColumnKind } from './types';

export class NumberBuilder {
  private data = new Float64Array(1024);
  length = 0;
  nullCount = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length++] = v;
    if (Number.isNaN(v)) this.nullCount++;
  }

  /** Appends a whole chunk at once. */
  pushAll(values: ArrayLike<number>): void {
    if (this.length + values.length > this.data.length) this.grow(Math.max(this.length * 2, this.length + values.length));
    const start = this.length;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      this.data[start + i] = v;
      if (Number.isNaN(v)) this.nullCount++;
    }
    this.length += values.length;
  }

  private grow(size: number): void {
    const next = new Float64Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  finish(name: string, kind: 'numerical' | 'datetime'): Column {
    return { name, kind, values: this.data.slice(0, this.length), nullCount: this.nullCount };
  }
}

export class CodeBuilder {
  private data = new Int32Array(1024);
  private readonly index = new Map<string, number>();
  readonly dictionary: string[] = [];
  length = 0;
  nullCount = 0;

  push(v: string | null | undefined): void {
    this.pushCode(this.codeOf(v));
  }

  /** The code of a value (−1 for null), adding it to the dictionary when new. */
  codeOf(v: string | null | undefined): number {
    if (v === null || v === undefined) return -1;
    let code = this.index.get(v);
    if (code === undefined) {
      code = this.dictionary.length;
      this.index.set(v, code);
      this.dictionary.push(v);
    }
    return code;
  }

  pushCode(code: number): void {
    if (this.length === this.data.length) this.grow(this.length * 2);
    this.data[this.length++] = code;
    if (code < 0) this.nullCount++;
  }

  private grow(size: number): void {
    const next = new Int32Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  finish(name: string, kind: 'categorical' | 'binary' | 'text'): Column {
    return { name, kind, codes: this.data.slice(0, this.length), dictionary: this.dictionary, nullCount: this.nullCount };
  }
}

export function isNumericKind(kind: ColumnKind): kind is 'numerical' | 'datetime' {
  return kind === 'numerical' || kind === 'datetime';
}

/** Number of distinct non-null values, stopping early once it exceeds `limit`. */
export function distinctValues(column: Column, limit: number): number {
  if ('values' in column) {
    const seen = new Set<number>();
    for (const v of column.values) {
      if (!Number.isNaN(v)) seen.add(v);
      if (seen.size > limit) break;
    }
    return seen.size;
  }
  const used = new Uint8Array(column.dictionary.length);
  let count = 0;
  for (const c of column.codes) {
    if (c >= 0 && !used[c]) { used[c] = 1; count++; if (count > limit) break; }
  }
  return count;
}
