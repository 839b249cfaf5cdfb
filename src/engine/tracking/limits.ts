import { SlipwayError } from '../errors';

/** MLflow's limits (mlflow/utils/validation.py), so a script that works against MLflow works here and vice versa. */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  runNameLength: 250,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  searchMaxResults: 50000,
  searchDefaultResults: 1000,
} as const;

const KEY_CHARS = /^[\w\-./ :]+$/u;

function invalid(message: string): SlipwayError {
  return new SlipwayError('INVALID_PARAMETER_VALUE', message);
}

/** Checks a metric, param or tag key as MLflow does: non-empty, ≤ 250 characters, no path escapes. */
export function checkKey(kind: 'metric' | 'param' | 'tag', key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw invalid(`A ${kind} key must be a non-empty string.`);
  if (key.length > LIMITS.keyLength) throw invalid(`The ${kind} key "${key.slice(0, 40)}…" has ${key.length} characters; the limit is ${LIMITS.keyLength}.`);
  if (!KEY_CHARS.test(key)) {
    throw invalid(`Invalid ${kind} key "${key}": keys may contain only letters, digits, underscores, dashes, periods, spaces, colons and slashes.`);
  }
  if (key.split('/').some((part) => part === '..' || part === '.') || key.startsWith('/')) {
    throw invalid(`Invalid ${kind} key "${key}": it must be a relative path without "." or ".." parts.`);
  }
  return key;
}

export function checkValue(kind: 'param' | 'tag', key: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(`The value of ${kind} "${key}" must be a string.`);
  const limit = kind === 'param' ? LIMITS.paramValueLength : LIMITS.tagValueLength;
  if (value.length > limit) throw invalid(`The value of ${kind} "${key}" has ${value.length} characters; the limit is ${limit}.`);
  return value;
}

/** Accepts an int64 given as a number or a decimal string (MLflow's JSON allows both). */
export function toInt64(name: string, value: unknown, fallback?: number): number {
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw invalid(`Missing value for '${name}'.`);
  }
  const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw invalid(`'${name}' must be an integer, got ${JSON.stringify(value)}.`);
  return n;
}

/** Accepts an id given as a string or an integer (JSON clients send experiment ids either way). */
export function toId(name: string, value: unknown): string {
  if (typeof value === 'string' && value) return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  throw invalid(`'${name}' must be an id string, got ${JSON.stringify(value)}.`);
}

/** An optional string field of a request. */
export function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`'${name}' must be a string, got ${JSON.stringify(value)}.`);
  return value;
}

/** An optional list of strings (a single string counts as a list of one, as query strings send it). */
export function stringList(name: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.some((v) => typeof v !== 'string')) throw invalid(`'${name}' must be a list of strings.`);
  return list as string[];
}

/** Accepts a metric value: a finite number, NaN/±Infinity, or those as MLflow's JSON strings. */
export function toMetricValue(key: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === 'NaN' || text === 'nan') return NaN;
    if (text === 'Infinity' || text === 'inf' || text === '+Infinity') return Infinity;
    if (text === '-Infinity' || text === '-inf') return -Infinity;
    if (text !== '' && Number.isFinite(Number(text))) return Number(text);
  }
  throw invalid(`The value of metric "${key}" must be a number, got ${JSON.stringify(value)}.`);
}

/**
 * Normalises an artifact path to a relative POSIX path and rejects anything that could escape the run's artifact
 * root: `..`, absolute paths, drive letters, NUL bytes, backslashes.
 */
export function normalizeArtifactPath(path: unknown, options: { allowEmpty?: boolean } = {}): string {
  if (path === undefined || path === null) path = '';
  if (typeof path !== 'string') throw invalid('An artifact path must be a string.');
  if (path.includes('\0')) throw invalid('An artifact path must not contain NUL bytes.');
  if (path.includes('\\')) throw invalid(`Invalid artifact path "${path}": use "/" as the separator.`);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw invalid(`Invalid artifact path "${path}": it must be relative to the run's artifact root.`);
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..')) throw invalid(`Invalid artifact path "${path}": ".." is not allowed.`);
  const normal = parts.join('/');
  if (!normal && !options.allowEmpty) throw invalid('An artifact path must not be empty.');
  return normal;
}
