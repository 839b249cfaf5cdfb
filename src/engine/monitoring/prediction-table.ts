/**
 * A window of an endpoint's prediction log as a typed Table: inputs by column, model outputs, the endpoint's score,
 * post-processed fields and the latest feedback label. SQLite extracts each value from the JSON (json_extract), rows
 * come back as arrays from a streaming cursor, and values go straight into typed builders: no object per row is kept.
 *
 * Column names: every input by its own name; `score` (the endpoint's positive-class score); each post-processed field
 * by its name; `label` (the latest feedback label, null when none); other outputs as `output.<name>` (scalars) and
 * `output.<name>.<i>` (per-row arrays).
 */
import type { EndpointSettings } from '../serving/config';
import type { Store } from '../store';
import { CodeBuilder, NumberBuilder } from '../tables/builders';
import { inferKind, parseDatetime, parseNumber } from '../tables/infer';
import { columnNotes } from '../tables/notes';
import type { Column, ColumnKind, Table } from '../tables/types';

const SAMPLE_ROWS = 1000;
const PROBABILITY_OUTPUTS = ['probabilities', 'probability', 'output_probability'];
const MAX_ARRAY_COLUMNS = 20;

export interface PredictionWindow {
  endpoint: string;
  /** Window bounds in epoch ms, [start, end). */
  startMs: number;
  endMs: number;
  /** The endpoint's serving settings (score output, positive label, classes). */
  settings: EndpointSettings;
  /** Kinds to read columns as (e.g. the reference's), over inference from the values. */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /** Names of the score and feedback-label columns (default `score` and `label`). */
  scoreColumn?: string;
  labelColumn?: string;
}

interface Spec {
  name: string;
  /** SQL expression yielding the value; `?` placeholders take `args`. */
  sql: string;
  args: string[];
}

const jsonKey = (key: string): string => `$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const WHERE = 'FROM prediction_log p WHERE p.endpoint = ? AND p.ts_ms >= ? AND p.ts_ms < ?';

/** Which columns the window has, from its first rows. */
function discover(store: Store, w: PredictionWindow): Spec[] {
  const sample = `(SELECT inputs, outputs ${WHERE} ORDER BY p.ts_ms LIMIT ${SAMPLE_ROWS})`;
  const keys = (from: string, path: string): { key: string; type: string; width: number }[] => {
    const rows = store.db.prepare(`SELECT j.key, j.type, CASE WHEN j.type = 'array' THEN json_array_length(j.value) ELSE 0 END FROM ${sample} s, json_each(s.${from}, '${path}') j`).raw(true);
    const found = new Map<string, { key: string; type: string; width: number }>();
    for (const [key, type, width] of rows.iterate(w.endpoint, w.startMs, w.endMs) as Iterable<[string, string, number]>) {
      const seen = found.get(key);
      if (!seen) found.set(key, { key, type, width });
      else {
        if (seen.type === 'null') seen.type = type;
        seen.width = Math.max(seen.width, width);
      }
    }
    return [...found.values()];
  };
  const specs: Spec[] = [];
  const taken = new Set<string>();
  const add = (name: string, sql: string, args: string[]) => {
    if (taken.has(name)) return;
    taken.add(name);
    specs.push({ name, sql, args });
  };
  for (const k of keys('inputs', '$')) add(k.key, 'json_extract(p.inputs, ?)', [jsonKey(k.key)]);
  const outputs = keys('outputs', '$');
  const scoreOutput = w.settings.scoreOutput ?? outputs.find((o) => PROBABILITY_OUTPUTS.includes(o.key))?.key;
  const classes = w.settings.classes ?? [];
  const scoreIndex = classes.length ? classes.map(String).indexOf(String(w.settings.positiveLabel)) : Number(w.settings.positiveLabel);
  const score = outputs.find((o) => o.key === scoreOutput);
  if (score && (score.type !== 'array' || (Number.isInteger(scoreIndex) && scoreIndex >= 0 && scoreIndex < score.width))) {
    add(w.scoreColumn ?? 'score', 'json_extract(p.outputs, ?)', [score.type === 'array' ? `${jsonKey(score.key)}[${scoreIndex}]` : jsonKey(score.key)]);
  }
  if (outputs.some((o) => o.key === 'postprocessed' && o.type === 'object')) {
    for (const k of keys('outputs', '$.postprocessed')) add(k.key, 'json_extract(p.outputs, ?)', [`$.postprocessed.${jsonKey(k.key).slice(2)}`]);
  }
  add(w.labelColumn ?? 'label', '(SELECT f.label FROM prediction_feedback f WHERE f.id = p.id ORDER BY f.seq DESC LIMIT 1)', []);
  for (const o of outputs) {
    if (o.key === 'postprocessed') continue;
    if (o.type === 'array') {
      for (let i = 0; i < Math.min(o.width, MAX_ARRAY_COLUMNS); i++) add(`output.${o.key}.${i}`, 'json_extract(p.outputs, ?)', [`${jsonKey(o.key)}[${i}]`]);
    } else if (o.type !== 'object') {
      add(`output.${o.key}`, 'json_extract(p.outputs, ?)', [jsonKey(o.key)]);
    }
  }
  return specs;
}

type Value = string | number | bigint | null | Buffer;

const text = (v: Value): string | null => (v === null || Buffer.isBuffer(v) ? null : String(v));

/** Kinds of the columns: the caller's, else inferred from the sampled values as the CSV reader would. */
function kindsOf(store: Store, w: PredictionWindow, specs: Spec[], select: string): ColumnKind[] {
  const samples: string[][] = specs.map(() => []);
  const rows = store.db.prepare(`SELECT ${select} ${WHERE} ORDER BY p.ts_ms LIMIT ${SAMPLE_ROWS}`).raw(true);
  for (const row of rows.iterate(...specs.flatMap((s) => s.args), w.endpoint, w.startMs, w.endMs) as Iterable<Value[]>) {
    row.forEach((v, i) => { const t = text(v); if (t !== null) samples[i]!.push(t); });
  }
  return specs.map((s, i) => w.kinds?.[s.name] ?? inferKind(samples[i]!).kind);
}

/** Reads one window of an endpoint's prediction log (see the file comment for the column names). */
export function readPredictionWindow(store: Store, w: PredictionWindow): Table {
  const path = `prediction_log:${w.endpoint}[${new Date(w.startMs).toISOString()}, ${new Date(w.endMs).toISOString()})`;
  return store.read(() => {
    const specs = discover(store, w);
    const select = specs.map((s) => s.sql).join(', ');
    const kinds = kindsOf(store, w, specs, select);
    const builders = kinds.map((k) => (k === 'numerical' || k === 'datetime' ? new NumberBuilder() : new CodeBuilder()));
    let rowCount = 0;
    let invalid = 0;
    const statement = store.db.prepare(`SELECT ${select} ${WHERE}`).raw(true);
    for (const row of statement.iterate(...specs.flatMap((s) => s.args), w.endpoint, w.startMs, w.endMs) as Iterable<Value[]>) {
      for (let i = 0; i < row.length; i++) {
        const v = row[i]!;
        const b = builders[i]!;
        if (b instanceof NumberBuilder) {
          const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v !== 'string' ? Number.NaN : kinds[i] === 'datetime' ? parseDatetime(v) : parseNumber(v);
          if (Number.isNaN(x) && v !== null) invalid++;
          b.push(x);
        } else {
          b.push(text(v));
        }
      }
      rowCount++;
    }
    const columns: Column[] = specs.map((s, i) => {
      const b = builders[i]!;
      const k = kinds[i]!;
      return b instanceof NumberBuilder ? b.finish(s.name, k as 'numerical' | 'datetime') : b.finish(s.name, k as 'categorical' | 'binary' | 'text');
    });
    const notes = columnNotes(columns, rowCount);
    if (invalid) notes.push({ code: 'invalid_values', message: `${invalid} logged values did not fit their column's kind and were read as nulls.`, count: invalid });
    return { path, format: 'memory', rowCount, columns, notes };
  });
}
