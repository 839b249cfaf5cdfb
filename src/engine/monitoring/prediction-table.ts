/**
 * A window of an endpoint's prediction log as a typed Table: inputs by column, model outputs, the endpoint's score,
 * post-processed fields and the latest feedback label. Rows come back as arrays from a streaming cursor; each row's
 * JSON is parsed once and its values go straight into typed builders: no object per row is kept.
 *
 * Column names: every input by its own name; `score` (the endpoint's positive-class score, or the name given as
 * scoreColumn); each post-processed field by its name; `label` (the latest feedback label, null when none, or the
 * name given as labelColumn); other outputs as `output.<name>` (scalars) and `output.<name>.<i>` (per-row arrays).
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

type Json = Record<string, unknown>;

interface Spec {
  name: string;
  /** The column's value in one row, from its parsed inputs and outputs and its label. */
  get(inputs: Json, outputs: Json, label: unknown): unknown;
}

const WHERE = 'FROM prediction_log p WHERE p.endpoint = ? AND p.ts_ms >= ? AND p.ts_ms < ?';
const LABEL = '(SELECT f.label FROM prediction_feedback f WHERE f.id = p.id ORDER BY f.seq DESC LIMIT 1)';

interface Key { key: string; type: string; width: number }

const typeOf = (v: unknown): string => (v === null || v === undefined ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Keys of a JSON object over sampled rows, in first-seen order, with their type and (arrays) widest length. */
function collectKeys(objects: readonly Json[]): Key[] {
  const found = new Map<string, Key>();
  for (const o of objects) {
    for (const [key, v] of Object.entries(o)) {
      const type = typeOf(v);
      const width = Array.isArray(v) ? v.length : 0;
      const seen = found.get(key);
      if (!seen) found.set(key, { key, type, width });
      else {
        if (seen.type === 'null') seen.type = type;
        seen.width = Math.max(seen.width, width);
      }
    }
  }
  return [...found.values()];
}

const parse = (text: unknown): Json => {
  if (typeof text !== 'string') return {};
  const v: unknown = JSON.parse(text);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
};

/** Which columns the window has, from its first rows. */
function discover(store: Store, w: PredictionWindow): Spec[] {
  const sample = store.db.prepare(`SELECT inputs, outputs ${WHERE} ORDER BY p.ts_ms LIMIT ${SAMPLE_ROWS}`).raw(true).all(w.endpoint, w.startMs, w.endMs) as [string, string][];
  const inputs = collectKeys(sample.map((r) => parse(r[0])));
  const outputObjects = sample.map((r) => parse(r[1]));
  const outputs = collectKeys(outputObjects);
  const specs: Spec[] = [];
  const taken = new Set<string>();
  const add = (name: string, get: Spec['get']) => {
    if (taken.has(name)) return;
    taken.add(name);
    specs.push({ name, get });
  };
  for (const { key } of inputs) add(key, (i) => i[key]);
  const scoreOutput = w.settings.scoreOutput ?? outputs.find((o) => PROBABILITY_OUTPUTS.includes(o.key))?.key;
  const classes = w.settings.classes ?? [];
  const scoreIndex = classes.length ? classes.map(String).indexOf(String(w.settings.positiveLabel)) : Number(w.settings.positiveLabel);
  const score = outputs.find((o) => o.key === scoreOutput);
  if (score && score.type !== 'array') add(w.scoreColumn ?? 'score', (_i, o) => o[score.key]);
  else if (score && Number.isInteger(scoreIndex) && scoreIndex >= 0 && scoreIndex < score.width) add(w.scoreColumn ?? 'score', (_i, o) => (o[score.key] as unknown[] | undefined)?.[scoreIndex]);
  if (outputs.some((o) => o.key === 'postprocessed' && o.type === 'object')) {
    for (const { key } of collectKeys(outputObjects.map((o) => (typeOf(o.postprocessed) === 'object' ? (o.postprocessed as Json) : {})))) {
      add(key, (_i, o) => (o.postprocessed as Json | undefined)?.[key]);
    }
  }
  add(w.labelColumn ?? 'label', (_i, _o, label) => label);
  for (const o of outputs) {
    if (o.key === 'postprocessed') continue;
    if (o.type === 'array') {
      for (let i = 0; i < Math.min(o.width, MAX_ARRAY_COLUMNS); i++) add(`output.${o.key}.${i}`, (_i, out) => (out[o.key] as unknown[] | undefined)?.[i]);
    } else if (o.type !== 'object') {
      add(`output.${o.key}`, (_i, out) => out[o.key]);
    }
  }
  return specs;
}

/** A logged value as text (booleans as true/false), or null. */
function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/** Rows of the window as [inputs JSON, outputs JSON, label], streamed. */
function rows(store: Store, w: PredictionWindow, limit?: number): Iterable<[string, string, unknown]> {
  return store.db.prepare(`SELECT p.inputs, p.outputs, ${LABEL} ${WHERE}${limit ? ` ORDER BY p.ts_ms LIMIT ${limit}` : ''}`).raw(true).iterate(w.endpoint, w.startMs, w.endMs) as Iterable<[string, string, unknown]>;
}

/** Kinds of the columns: the caller's, else inferred from the sampled values as the CSV reader would. */
function kindsOf(store: Store, w: PredictionWindow, specs: Spec[]): ColumnKind[] {
  const samples: string[][] = specs.map(() => []);
  for (const [i, o, label] of rows(store, w, SAMPLE_ROWS)) {
    const inputs = parse(i);
    const outputs = parse(o);
    specs.forEach((s, k) => { const t = text(s.get(inputs, outputs, label)); if (t !== null) samples[k]!.push(t); });
  }
  return specs.map((s, i) => w.kinds?.[s.name] ?? inferKind(samples[i]!).kind);
}

/** Reads one window of an endpoint's prediction log (see the file comment for the column names). */
export function readPredictionWindow(store: Store, w: PredictionWindow): Table {
  const path = `prediction_log:${w.endpoint}[${new Date(w.startMs).toISOString()}, ${new Date(w.endMs).toISOString()})`;
  return store.read(() => {
    const specs = discover(store, w);
    const kinds = kindsOf(store, w, specs);
    const numeric = kinds.map((k) => k === 'numerical' || k === 'datetime');
    const numbers = specs.map((_, k) => (numeric[k] ? new NumberBuilder() : null));
    const codes = specs.map((_, k) => (numeric[k] ? null : new CodeBuilder()));
    let rowCount = 0;
    let invalid = 0;
    for (const [i, o, label] of rows(store, w)) {
      const inputs = parse(i);
      const outputs = parse(o);
      for (let k = 0; k < specs.length; k++) {
        const v = specs[k]!.get(inputs, outputs, label);
        const nb = numbers[k];
        if (nb) {
          const x = typeof v === 'number' ? v : typeof v !== 'string' ? (typeof v === 'boolean' ? Number(v) : Number.NaN) : kinds[k] === 'datetime' ? parseDatetime(v) : parseNumber(v);
          if (Number.isNaN(x) && v !== null && v !== undefined) invalid++;
          nb.push(x);
        } else {
          codes[k]!.push(text(v));
        }
      }
      rowCount++;
    }
    const columns: Column[] = specs.map((s, k) => {
      const kind = kinds[k]!;
      return numbers[k] ? numbers[k].finish(s.name, kind as 'numerical' | 'datetime') : codes[k]!.finish(s.name, kind as 'categorical' | 'binary' | 'text');
    });
    const notes = columnNotes(columns, rowCount);
    if (invalid) notes.push({ code: 'invalid_values', message: `${invalid} logged values did not fit their column's kind and were read as nulls.`, count: invalid });
    return { path, format: 'memory', rowCount, columns, notes };
  });
}
