import { randomBytes } from 'node:crypto';
import type { KeyValue } from '../../shared/mlflow';
import type { LoggedModel, LoggedModelStatus, SearchLoggedModelsResponse } from '../../shared/mlflow-logged-models';
import { SlipwayError } from '../errors';
import type { TrackingContext } from './context';
import { checkKey, checkValue, LIMITS, optionalString, stringList, toId } from './limits';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { parseFilter } from './filter';
import { textCondition } from './experiments';

interface ModelRow {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_location: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: LoggedModelStatus;
  status_message: string | null;
  lifecycle_stage: string;
  model_type: string | null;
  source_run_id: string | null;
}

const STATUSES: readonly LoggedModelStatus[] = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'];

function pairs(kind: 'param' | 'tag', value: unknown): KeyValue[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `'${kind}s' must be a list of {key, value}.`);
  return value.map((item) => {
    const { key, value: v } = (item ?? {}) as { key?: unknown; value?: unknown };
    const k = checkKey(kind, key);
    return { key: k, value: checkValue(kind, k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v ?? '') };
  });
}

function row(ctx: TrackingContext, modelId: unknown): ModelRow {
  if (typeof modelId !== 'string' || !modelId) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'model_id'.");
  const found = ctx.store.db.prepare('SELECT * FROM logged_models WHERE model_id = ?').get(modelId) as ModelRow | undefined;
  if (!found || found.lifecycle_stage === 'deleted') throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found.`);
  return found;
}

function toJson(ctx: TrackingContext, r: ModelRow): LoggedModel {
  const tags = ctx.store.db.prepare('SELECT key, value FROM logged_model_tags WHERE model_id = ? ORDER BY key').all(r.model_id) as KeyValue[];
  const params = ctx.store.db.prepare('SELECT key, value FROM logged_model_params WHERE model_id = ? ORDER BY key').all(r.model_id) as KeyValue[];
  const metrics = r.source_run_id
    ? (ctx.store.db.prepare('SELECT key, value, timestamp, step FROM latest_metrics WHERE run_uuid = ? ORDER BY key').all(r.source_run_id) as { key: string; value: number | null; timestamp: number; step: number }[])
    : [];
  return {
    info: {
      model_id: r.model_id,
      experiment_id: r.experiment_id,
      name: r.name,
      artifact_uri: r.artifact_location,
      creation_timestamp_ms: r.creation_timestamp_ms,
      last_updated_timestamp_ms: r.last_updated_timestamp_ms,
      status: r.status,
      ...(r.status_message ? { status_message: r.status_message } : {}),
      ...(r.model_type ? { model_type: r.model_type } : {}),
      ...(r.source_run_id ? { source_run_id: r.source_run_id } : {}),
      tags,
    },
    data: { params, metrics: metrics.map((m) => ({ ...m, value: m.value ?? 'NaN', model_id: r.model_id, run_id: r.source_run_id ?? '' })) },
  };
}

/** Creates a PENDING logged model (MLflow 3 `log_model` starts here). */
export function createLoggedModel(ctx: TrackingContext, request: Record<string, unknown>): LoggedModel {
  const experimentId = toId('experiment_id', request.experiment_id);
  const name = optionalString('name', request.name) ?? 'model';
  if (name.length > LIMITS.runNameLength) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Model names are limited to ${LIMITS.runNameLength} characters.`);
  const modelType = optionalString('model_type', request.model_type) ?? null;
  const sourceRunId = optionalString('source_run_id', request.source_run_id) ?? null;
  const params = pairs('param', request.params);
  const tags = pairs('tag', request.tags);
  const modelId = `m-${randomBytes(16).toString('hex')}`;
  const now = Date.now();
  ctx.store.write((changed) => {
    const exp = ctx.store.db.prepare('SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?').get(experimentId) as { lifecycle_stage: string } | undefined;
    if (!exp) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists.`);
    if (sourceRunId && !ctx.store.db.prepare('SELECT 1 FROM runs WHERE run_uuid = ?').get(sourceRunId)) {
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${sourceRunId} not found.`);
    }
    ctx.store.db
      .prepare(`INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, model_type, source_run_id)
                VALUES (?, ?, ?, ?, ?, ?, 'LOGGED_MODEL_PENDING', ?, ?)`)
      .run(modelId, experimentId, name, `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`, now, now, modelType, sourceRunId);
    const p = ctx.store.db.prepare('INSERT OR REPLACE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)');
    for (const x of params) p.run(modelId, x.key, x.value);
    const t = ctx.store.db.prepare('INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)');
    for (const x of tags) t.run(modelId, x.key, x.value);
    changed('models', modelId);
  });
  return getLoggedModel(ctx, modelId);
}

export function getLoggedModel(ctx: TrackingContext, modelId: unknown): LoggedModel {
  return ctx.store.read(() => toJson(ctx, row(ctx, modelId)));
}

/** Finalizes a logged model: READY once its files are uploaded, or UPLOAD_FAILED. */
export function finalizeLoggedModel(ctx: TrackingContext, modelId: unknown, status: unknown): LoggedModel {
  if (!STATUSES.includes(status as LoggedModelStatus)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid logged model status ${JSON.stringify(status)}; use ${STATUSES.join(', ')}.`);
  ctx.store.write((changed) => {
    const r = row(ctx, modelId);
    ctx.store.db.prepare('UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?').run(status, Date.now(), r.model_id);
    changed('models', r.model_id);
  });
  return getLoggedModel(ctx, modelId);
}

export function deleteLoggedModel(ctx: TrackingContext, modelId: unknown): void {
  ctx.store.write((changed) => {
    const r = row(ctx, modelId);
    ctx.store.db.prepare("UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE model_id = ?").run(Date.now(), r.model_id);
    changed('models', r.model_id);
  });
}

export function setLoggedModelTags(ctx: TrackingContext, modelId: unknown, tags: unknown): void {
  const list = pairs('tag', tags);
  ctx.store.write((changed) => {
    const r = row(ctx, modelId);
    const t = ctx.store.db.prepare('INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)');
    for (const x of list) t.run(r.model_id, x.key, x.value);
    changed('models', r.model_id);
  });
}

export function deleteLoggedModelTag(ctx: TrackingContext, modelId: unknown, key: unknown): void {
  const k = checkKey('tag', key);
  ctx.store.write((changed) => {
    const r = row(ctx, modelId);
    const result = ctx.store.db.prepare('DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?').run(r.model_id, k);
    if (!result.changes) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No tag with key '${k}' on logged model '${r.model_id}'.`);
    changed('models', r.model_id);
  });
}

export function logLoggedModelParams(ctx: TrackingContext, modelId: unknown, params: unknown): void {
  const list = pairs('param', params);
  ctx.store.write((changed) => {
    const r = row(ctx, modelId);
    const get = ctx.store.db.prepare('SELECT value FROM logged_model_params WHERE model_id = ? AND key = ?');
    const put = ctx.store.db.prepare('INSERT INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)');
    for (const x of list) {
      const existing = get.get(r.model_id, x.key) as { value: string } | undefined;
      if (existing && existing.value !== x.value) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Param '${x.key}' of logged model '${r.model_id}' already has value '${existing.value}'.`);
      if (!existing) put.run(r.model_id, x.key, x.value);
    }
    changed('models', r.model_id);
  });
}

/** logged-models/search: by experiment, with name/status/source_run_id and tag filters, newest first. */
export function searchLoggedModels(ctx: TrackingContext, request: Record<string, unknown>): SearchLoggedModelsResponse {
  const ids = stringList('experiment_ids', request.experiment_ids);
  if (!ids.length) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'logged-models/search needs at least one experiment id.');
  const limit = pageSize(request.max_results, 100, LIMITS.searchMaxResults);
  const offset = decodePageToken(optionalString('page_token', request.page_token));
  const where = [`experiment_id IN (${ids.map(() => '?').join(', ')})`, "lifecycle_stage = 'active'"];
  const args: (string | number)[] = [...ids];
  for (const clause of parseFilter(optionalString('filter', request.filter), { strings: ['name', 'status', 'source_run_id', 'model_type', 'model_id'], numbers: ['creation_timestamp_ms', 'last_updated_timestamp_ms'] })) {
    if (clause.type === 'tag') {
      const { sql, values } = textCondition('value', clause.comparator, clause.value);
      where.push(`model_id IN (SELECT model_id FROM logged_model_tags WHERE key = ? AND ${sql})`);
      args.push(clause.key, ...values);
    } else if (clause.type === 'attribute' && typeof clause.value === 'number') {
      where.push(`${clause.key} ${clause.comparator} ?`);
      args.push(clause.value);
    } else if (clause.type === 'attribute') {
      const { sql, values } = textCondition(clause.key, clause.comparator, clause.value);
      where.push(sql);
      args.push(...values);
    } else {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `Logged models can be filtered on attributes and tags, not ${clause.type}s.`);
    }
  }
  return ctx.store.read(() => {
    const rows = ctx.store.db
      .prepare(`SELECT * FROM logged_models WHERE ${where.join(' AND ')} ORDER BY creation_timestamp_ms DESC, model_id LIMIT ? OFFSET ?`)
      .all(...args, limit + 1, offset) as ModelRow[];
    const response: SearchLoggedModelsResponse = { models: rows.slice(0, limit).map((r) => toJson(ctx, r)) };
    if (rows.length > limit) response.next_page_token = encodePageToken(offset + limit);
    return response;
  });
}
