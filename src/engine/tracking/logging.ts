import type Database from 'better-sqlite3';
import type { GetMetricHistoryResponse, KeyValue } from '../../shared/mlflow';
import { SlipwayError } from '../errors';
import type { Store } from '../store';
import type { TrackingContext } from './context';
import { checkKey, checkValue, LIMITS, toInt64, toMetricValue } from './limits';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { activeRun, RUN_NAME_TAG } from './runs';
import { metricToJson, type MetricRow } from './shapes';

export interface MetricInput {
  key: unknown;
  value: unknown;
  timestamp?: unknown;
  step?: unknown;
}

export interface LogBatchRequest {
  run_id?: unknown;
  metrics?: unknown;
  params?: unknown;
  tags?: unknown;
}

interface Point {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Prepared statements per store, made once: logging is the hot path. */
class Statements {
  readonly insertMetric: Database.Statement;
  readonly upsertLatest: Database.Statement;
  readonly insertParam: Database.Statement;
  readonly getParam: Database.Statement;
  readonly upsertTag: Database.Statement;
  readonly renameRun: Database.Statement;

  constructor(db: Database.Database) {
    this.insertMetric = db.prepare('INSERT INTO metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)');
    // MLflow's "latest" value is the point with the greatest (step, timestamp, value); NaN counts as the smallest value.
    this.upsertLatest = db.prepare(`
      INSERT INTO latest_metrics (run_uuid, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, step = excluded.step
      WHERE (excluded.step, excluded.timestamp, coalesce(excluded.value, -1e308)) >= (step, timestamp, coalesce(value, -1e308))`);
    this.insertParam = db.prepare('INSERT INTO params (run_uuid, key, value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO NOTHING');
    this.getParam = db.prepare('SELECT value FROM params WHERE run_uuid = ? AND key = ?');
    this.upsertTag = db.prepare('INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value');
    this.renameRun = db.prepare('UPDATE runs SET run_name = ? WHERE run_uuid = ?');
  }
}

const statementCache = new WeakMap<Store, Statements>();
function statements(store: Store): Statements {
  let s = statementCache.get(store);
  if (!s) statementCache.set(store, (s = new Statements(store.db)));
  return s;
}

function list(name: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `'${name}' must be a list.`);
  return value;
}

function parsePoints(metrics: unknown[], now: number): Point[] {
  return metrics.map((m) => {
    const { key, value, timestamp, step } = (m ?? {}) as MetricInput;
    const k = checkKey('metric', key);
    return { key: k, value: toMetricValue(k, value), timestamp: toInt64('timestamp', timestamp, now), step: toInt64('step', step, 0) };
  });
}

function parsePairs(kind: 'param' | 'tag', items: unknown[]): KeyValue[] {
  return items.map((item) => {
    const { key, value } = (item ?? {}) as { key?: unknown; value?: unknown };
    const k = checkKey(kind, key);
    const text = value === undefined || value === null ? '' : typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    return { key: k, value: checkValue(kind, k, text) };
  });
}

/**
 * log-batch with MLflow's semantics and limits: up to 1000 metrics, 100 params, 100 tags, 1000 entities in all;
 * a param logged again with the same value is a no-op and with a different value an error; all or nothing.
 */
export function logBatch(ctx: TrackingContext, request: LogBatchRequest): void {
  const metrics = list('metrics', request.metrics);
  const params = list('params', request.params);
  const tags = list('tags', request.tags);
  if (metrics.length > LIMITS.batchMetrics || params.length > LIMITS.batchParams || tags.length > LIMITS.batchTags || metrics.length + params.length + tags.length > LIMITS.batchTotal) {
    throw new SlipwayError(
      'INVALID_PARAMETER_VALUE',
      `A batch may hold at most ${LIMITS.batchMetrics} metrics, ${LIMITS.batchParams} params, ${LIMITS.batchTags} tags and ${LIMITS.batchTotal} entities in all; got ${metrics.length} metrics, ${params.length} params and ${tags.length} tags.`,
    );
  }
  const points = parsePoints(metrics, Date.now());
  const paramPairs = parsePairs('param', params);
  const tagPairs = parsePairs('tag', tags);
  const duplicate = firstDuplicateWithDifferentValue(paramPairs);
  if (duplicate) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Duplicate parameter key "${duplicate}" with different values in one batch.`);
  writeBatch(ctx, request.run_id, points, paramPairs, tagPairs);
}

function firstDuplicateWithDifferentValue(pairs: KeyValue[]): string | null {
  const seen = new Map<string, string>();
  for (const { key, value } of pairs) {
    const previous = seen.get(key);
    if (previous !== undefined && previous !== value) return key;
    seen.set(key, value);
  }
  return null;
}

function writeBatch(ctx: TrackingContext, runId: unknown, points: Point[], params: KeyValue[], tags: KeyValue[]): void {
  const s = statements(ctx.store);
  ctx.store.write((changed) => {
    const run = activeRun(ctx, runId);
    const id = run.run_uuid;
    for (const { key, value } of params) {
      const existing = s.getParam.get(id, key) as { value: string } | undefined;
      if (existing && existing.value !== value) {
        throw new SlipwayError(
          'INVALID_PARAMETER_VALUE',
          `Changing param values is not allowed. Param with key='${key}' was already logged with value='${existing.value}' for run ID='${id}'. Attempted logging new value '${value}'.`,
        );
      }
      if (!existing) s.insertParam.run(id, key, value);
    }
    const latest = new Map<string, Point>();
    for (const p of points) {
      const nan = Number.isNaN(p.value);
      s.insertMetric.run(id, p.key, nan ? null : p.value, nan ? 1 : 0, p.timestamp, p.step);
      const best = latest.get(p.key);
      if (!best || isLater(p, best)) latest.set(p.key, p);
    }
    for (const p of latest.values()) {
      const nan = Number.isNaN(p.value);
      s.upsertLatest.run(id, p.key, nan ? null : p.value, nan ? 1 : 0, p.timestamp, p.step);
    }
    for (const { key, value } of tags) {
      s.upsertTag.run(id, key, value);
      if (key === RUN_NAME_TAG) s.renameRun.run(value, id);
    }
    if (points.length) changed('metrics', id);
    if (params.length || tags.length) changed('runs', id);
  });
}

function isLater(a: Point, b: Point): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  const av = Number.isNaN(a.value) ? -Infinity : a.value;
  const bv = Number.isNaN(b.value) ? -Infinity : b.value;
  return av >= bv;
}

export function logMetric(ctx: TrackingContext, runId: unknown, metric: MetricInput): void {
  logBatch(ctx, { run_id: runId, metrics: [metric] });
}

export function logParam(ctx: TrackingContext, runId: unknown, key: unknown, value: unknown): void {
  logBatch(ctx, { run_id: runId, params: [{ key, value }] });
}

export function setTag(ctx: TrackingContext, runId: unknown, key: unknown, value: unknown): void {
  logBatch(ctx, { run_id: runId, tags: [{ key, value }] });
}

export function deleteTag(ctx: TrackingContext, runId: unknown, key: unknown): void {
  const k = checkKey('tag', key);
  ctx.store.write((changed) => {
    const run = activeRun(ctx, runId);
    const result = ctx.store.db.prepare('DELETE FROM tags WHERE run_uuid = ? AND key = ?').run(run.run_uuid, k);
    if (result.changes === 0) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${k} in run with id ${run.run_uuid}`);
    changed('runs', run.run_uuid);
  });
}

/** Every point of one metric of one run, by step then timestamp, paged. */
export function getMetricHistory(ctx: TrackingContext, request: { run_id?: unknown; run_uuid?: unknown; metric_key?: unknown; max_results?: unknown; page_token?: unknown }): GetMetricHistoryResponse {
  const runId = request.run_id ?? request.run_uuid;
  const key = checkKey('metric', request.metric_key);
  const limit = pageSize(request.max_results, 25000, 25000);
  const offset = decodePageToken(typeof request.page_token === 'string' ? request.page_token : undefined);
  return ctx.store.read(() => {
    const run = ctx.store.db.prepare('SELECT run_uuid FROM runs WHERE run_uuid = ?').get(runId) as { run_uuid: string } | undefined;
    if (!run) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${String(runId)} not found.`);
    const rows = ctx.store.db
      .prepare('SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp, rowid LIMIT ? OFFSET ?')
      .all(run.run_uuid, key, limit + 1, offset) as MetricRow[];
    const response: GetMetricHistoryResponse = { metrics: rows.slice(0, limit).map(metricToJson) };
    if (rows.length > limit) response.next_page_token = encodePageToken(offset + limit);
    return response;
  });
}
