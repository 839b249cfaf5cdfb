/**
 * Streaming CSV reader (RFC 4180 quoting, CRLF or LF, a header row) into typed columns. Memory beyond the output
 * columns is one read chunk plus the rows used for kind inference.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { SlipwayError } from '../errors';
import { CodeBuilder, NumberBuilder } from './builders';
import { inferKind, isNullToken, parseBoolean, parseDatetime, parseNumber } from './infer';
import { columnNotes } from './notes';
import type { Column, ColumnKind, ReadOptions, Table, TableNote } from './types';
import { selectColumns } from './select';

const CHUNK = 1 << 20;

interface Sink {
  append(value: string, line: number): void;
  finish(): Column;
  notes(): TableNote[];
}

function makeSink(path: string, name: string, kind: ColumnKind): Sink {
  let invalid = 0;
  let firstLine = 0;
  let firstValue = '';
  const bad = (value: string, line: number): void => {
    if (invalid++ === 0) { firstLine = line; firstValue = value; }
  };
  const notes = (what: string): TableNote[] =>
    invalid === 0 ? [] : [{
      column: name, code: 'invalid_values', count: invalid, line: firstLine,
      message: `${path}:${firstLine}: column "${name}" has ${invalid} value(s) that are not ${what} (first: ${JSON.stringify(firstValue.slice(0, 40))}); they are read as nulls. Set the column's kind to categorical to keep them.`,
    }];
  if (kind === 'numerical' || kind === 'datetime') {
    const b = new NumberBuilder();
    const parse = kind === 'numerical' ? parseNumber : parseDatetime;
    return {
      append(value, line) {
        // Numbers first: null tokens are rare, and a failed parse tells them apart.
        const x = parse(value);
        if (Number.isNaN(x) && !isNullToken(value)) bad(value, line);
        b.push(x);
      },
      finish: () => b.finish(name, kind),
      notes: () => notes(kind === 'numerical' ? 'numbers' : 'ISO-8601 dates or timestamps'),
    };
  }
  const b = new CodeBuilder();
  const normalise = (value: string): string | null => {
    if (isNullToken(value)) return null;
    if (kind === 'text') return value;
    const flag = parseBoolean(value);
    if (flag !== undefined) return String(flag);
    // Spellings of one number ("1", "1.0", "01") are one category.
    const x = parseNumber(value);
    return Number.isNaN(x) ? value : String(x);
  };
  // Categorical columns repeat few spellings: remember each spelling's code (bounded, for huge cardinalities).
  const seen = new Map<string, number>();
  return {
    append(value) {
      let code = seen.get(value);
      if (code === undefined) {
        code = b.codeOf(normalise(value));
        if (seen.size < 100_000) seen.set(value, code);
      }
      b.pushCode(code);
    },
    finish: () => b.finish(name, kind),
    notes: () => [],
  };
}

function parseError(path: string, line: number, message: string): SlipwayError {
  return new SlipwayError('INVALID_PARAMETER_VALUE', `${path}:${line}: ${message}`);
}

/** Reads a CSV file with a header row into typed columns. Throws SlipwayError naming the file and line on bad input. */
export async function readCsv(path: string, options: ReadOptions = {}): Promise<Table> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid CSV delimiter ${JSON.stringify(delimiter)}: use one character other than a quote or newline.`);
  const inferRows = Math.max(1, options.inferRows ?? 10_000);
  const decoder = new StringDecoder('utf8');
  const fields: string[] = [];
  let header: string[] | null = null;
  let picked: number[] = [];
  // Inference window, column-major (one array per picked column), so no object is made per row.
  let sample: string[][] | null = null;
  let sampleLines: number[] = [];
  let sinks: Sink[] | null = null;
  const inferenceNotes: TableNote[] = [];
  let rows = 0;
  let buf = '';
  let line = 1;

  const startColumns = (): void => {
    const h = header!;
    const sampled = sampleLines.length;
    const kinds = picked.map((index, k) => {
      const name = h[index]!;
      const forced = options.kinds?.[name];
      if (forced) return forced;
      const values = sample![k]!.filter((v) => !isNullToken(v));
      const inferred = inferKind(values);
      if (inferred.mixed) {
        inferenceNotes.push({ column: name, code: 'mixed_types', message: `${path}: column "${name}" mixes numbers and other values in its first ${sampled} rows; it is read as categorical.` });
      }
      return inferred.kind;
    });
    sinks = picked.map((index, k) => makeSink(path, h[index]!, kinds[k]!));
    for (let r = 0; r < sampled; r++) for (let k = 0; k < picked.length; k++) sinks[k]!.append(sample![k]![r]!, sampleLines[r]!);
    sample = null;
    sampleLines = [];
  };

  const onRecord = (recordLine: number): void => {
    if (header === null) {
      if (fields[0]?.charCodeAt(0) === 0xfeff) fields[0] = fields[0].slice(1);
      header = fields.map((name, i) => name.trim() || `column_${i + 1}`);
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) throw parseError(path, recordLine, `the header names column "${name}" twice; rename one of them.`);
        seen.add(name);
      }
      picked = selectColumns(path, header, options.columns);
      sample = picked.map(() => []);
      return;
    }
    if (fields.length !== header.length) {
      throw parseError(path, recordLine, `expected ${header.length} fields as in the header, found ${fields.length}. Check the delimiter and that fields containing "${delimiter}" are quoted.`);
    }
    rows++;
    if (sinks === null) {
      for (let k = 0; k < picked.length; k++) sample![k]!.push(fields[picked[k]!]!);
      sampleLines.push(recordLine);
      if (sampleLines.length >= inferRows) startColumns();
      return;
    }
    for (let k = 0; k < picked.length; k++) sinks[k]!.append(fields[picked[k]!]!, recordLine);
  };

  // Parses complete records from `buf`; returns the offset of the first unconsumed character.
  const consume = (final: boolean): number => {
    let pos = 0;
    let nextQuote = buf.indexOf('"');
    while (pos < buf.length) {
      const nl = buf.indexOf('\n', pos);
      if (nl === -1 && !final) return pos;
      const lineEnd = nl === -1 ? buf.length : nl;
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf('"', pos);
      if (nextQuote === -1 || nextQuote > lineEnd) {
        let end = lineEnd;
        if (end > pos && buf.charCodeAt(end - 1) === 13) end--;
        const recordLine = line;
        line++;
        if (end > pos) {
          fields.length = 0;
          let start = pos;
          for (let d = buf.indexOf(delimiter, start); d !== -1 && d < end; d = buf.indexOf(delimiter, start)) {
            fields.push(buf.slice(start, d));
            start = d + 1;
          }
          fields.push(buf.slice(start, end));
          onRecord(recordLine);
        }
        pos = lineEnd + 1;
        continue;
      }
      const next = quotedRecord(pos, final);
      if (next === -1) return pos;
      pos = next;
    }
    return pos;
  };

  // Slow path for a record with quotes; returns the offset after it, or -1 when the buffer ends inside it.
  const quotedRecord = (from: number, final: boolean): number => {
    const recordLine = line;
    let newlines = 0;
    fields.length = 0;
    let pos = from;
    for (;;) {
      if (buf.charCodeAt(pos) === 34) {
        let value = '';
        let start = pos + 1;
        let i = start;
        for (;;) {
          const q = buf.indexOf('"', i);
          if (q === -1) {
            if (!final) return -1;
            throw parseError(path, recordLine, 'a quoted field is never closed. Close the quote or escape a quote inside a field as "".');
          }
          if (q + 1 >= buf.length && !final) return -1;
          if (buf.charCodeAt(q + 1) === 34) { value += buf.slice(start, q + 1); i = start = q + 2; continue; }
          value += buf.slice(start, q);
          pos = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k !== -1; k = value.indexOf('\n', k + 1)) newlines++;
        fields.push(value);
        const c = buf.charCodeAt(pos);
        if (c === 13 && buf.charCodeAt(pos + 1) === 10) pos++;
        else if (c === 13 && pos + 1 >= buf.length && !final) return -1;
        if (pos >= buf.length || buf.charCodeAt(pos) === 10) break;
        if (buf[pos] !== delimiter) throw parseError(path, recordLine + newlines, `unexpected ${JSON.stringify(buf[pos])} after a closing quote. Quote the whole field and write a quote inside it as "".`);
        pos++;
        if (pos >= buf.length) { if (!final) return -1; fields.push(''); break; }
        continue;
      }
      let end = pos;
      while (end < buf.length) {
        const c = buf.charCodeAt(end);
        if (c === 10 || buf[end] === delimiter) break;
        end++;
      }
      if (end >= buf.length && !final) return -1;
      let valueEnd = end;
      if (buf.charCodeAt(end) === 10 || end >= buf.length) if (valueEnd > pos && buf.charCodeAt(valueEnd - 1) === 13) valueEnd--;
      fields.push(buf.slice(pos, valueEnd));
      pos = end;
      if (pos >= buf.length || buf.charCodeAt(pos) === 10) break;
      pos++;
    }
    line += newlines + 1;
    onRecord(recordLine);
    return pos + 1;
  };

  const stream = createReadStream(path, { highWaterMark: CHUNK });
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        const probe = chunk.subarray(0, 8192);
        if (probe.subarray(0, 4).toString('latin1') === 'PAR1') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is a Parquet file, not CSV: give it a .parquet extension.`);
        if (probe.includes(0)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is not a CSV text file (it contains NUL bytes). Export it as UTF-8 CSV or Parquet.`);
      }
      buf += decoder.write(chunk);
      buf = buf.slice(consume(false));
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof SlipwayError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot read ${path}: no such file. Check the path.`);
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  buf += decoder.end();
  buf = buf.slice(consume(true));
  if (header === null) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is empty: a CSV file needs a header row naming its columns.`);
  if (sinks === null) startColumns();
  const columns = sinks!.map((s) => s.finish());
  const notes = [...inferenceNotes, ...sinks!.flatMap((s) => s.notes()), ...columnNotes(columns, rows)];
  return { path, format: 'csv', rowCount: rows, columns, notes };
}
