// Replays steps of the MLflow client transcripts (test/fixtures/mlflow-transcripts) and matches responses against
// their `expect` templates. See the `conventions` block of each transcript for the placeholder language.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TranscriptStep {
  id: string;
  python: string;
  request: { method: string; path: string; query?: Record<string, unknown>; json?: unknown; upload?: { file: string; text: string; contentType: string } };
  response: { status: number; expect?: unknown };
}

export interface Transcript {
  clientVersion: string;
  headers: Record<string, string>;
  steps: TranscriptStep[];
}

export function loadTranscript(name: 'mlflow-2.x.json' | 'mlflow-3.x.json'): Transcript {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'mlflow-transcripts', name), 'utf8')) as Transcript;
}

const PLACEHOLDER = /\{\{([^}]+)\}\}/g;

/** Substitutes `{{name}}` (and `{{ms}}`) in every string of a request template. */
export function substitute<T>(template: T, vars: Record<string, string>): T {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value === '{{ms}}') return Date.now();
      return value.replace(PLACEHOLDER, (whole, name: string) => {
        if (name === 'ms') return String(Date.now());
        const found = vars[name];
        if (found === undefined) throw new Error(`transcript uses {{${name}}} before it was captured`);
        return found;
      });
    }
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    return value;
  };
  return visit(template) as T;
}

/** Matches `actual` against an expect template as a subset, capturing `{{capture:name}}` values into `vars`. */
export function matchExpect(actual: unknown, expected: unknown, vars: Record<string, string>, at = '$'): void {
  if (typeof expected === 'string') {
    const capture = /^\{\{capture:(\w+)\}\}$/.exec(expected);
    if (capture) {
      assert.ok(actual !== undefined && actual !== null, `${at}: expected a value to capture as ${capture[1]}`);
      vars[capture[1]!] = typeof actual === 'string' ? actual : JSON.stringify(actual);
      return;
    }
    if (expected === '{{string}}') return assert.equal(typeof actual, 'string', `${at}: expected a string`);
    if (expected === '{{number}}') return assert.equal(typeof actual, 'number', `${at}: expected a number`);
    if (expected === '{{any}}') return;
    assert.equal(actual, substitute(expected, vars), `${at}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected an array, got ${JSON.stringify(actual)}`);
    const used = new Set<number>();
    expected.forEach((item, i) => {
      const index = actual.findIndex((candidate, j) => {
        if (used.has(j)) return false;
        try {
          matchExpect(candidate, item, { ...vars }, `${at}[${i}]`);
          return true;
        } catch {
          return false;
        }
      });
      assert.ok(index >= 0, `${at}: no element matches ${JSON.stringify(item)} in ${JSON.stringify(actual)}`);
      used.add(index);
      matchExpect(actual[index], item, vars, `${at}[${index}]`);
    });
    return;
  }
  if (expected && typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object' && !Array.isArray(actual), `${at}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [key, value] of Object.entries(expected)) matchExpect((actual as Record<string, unknown>)[key], value, vars, `${at}.${key}`);
    return;
  }
  assert.deepEqual(actual, expected, at);
}
