import type { Experiment, KeyValue, SearchExperimentsRequest, SearchExperimentsResponse, ViewType } from '../../shared/mlflow';
import { SlipwayError } from '../errors';
import { newExperimentId } from '../ids';
import type { TrackingContext } from './context';
import { parseFilter } from './filter';
import { checkKey, checkValue, LIMITS, optionalString, stringList } from './limits';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { experimentToJson, type ExperimentRow } from './shapes';

export const DEFAULT_EXPERIMENT_ID = '0';

function tagsOf(ctx: TrackingContext, experimentId: string): KeyValue[] {
  return ctx.store.db.prepare('SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY key').all(experimentId) as KeyValue[];
}

function row(ctx: TrackingContext, experimentId: string): ExperimentRow | undefined {
  return ctx.store.db.prepare('SELECT * FROM experiments WHERE experiment_id = ?').get(experimentId) as ExperimentRow | undefined;
}

/** Creates an experiment and returns its id. Names are unique, deleted experiments included (as in MLflow). */
export function createExperiment(ctx: TrackingContext, request: { name?: unknown; artifact_location?: unknown; tags?: unknown }): string {
  const name = request.name;
  if (typeof name !== 'string' || !name.trim()) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'An experiment needs a non-empty name.');
  if (name.length > 500) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Experiment names are limited to 500 characters; got ${name.length}.`);
  const tags = Array.isArray(request.tags) ? (request.tags as unknown[]) : [];
  return ctx.store.write((changed) => {
    const existing = ctx.store.db.prepare('SELECT experiment_id, lifecycle_stage FROM experiments WHERE name = ?').get(name) as
      | { experiment_id: string; lifecycle_stage: string }
      | undefined;
    if (existing) {
      const hint = existing.lifecycle_stage === 'deleted' ? ' It is deleted: restore it, or choose another name.' : '';
      throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.${hint}`);
    }
    const id = newExperimentId();
    const now = Date.now();
    const location = typeof request.artifact_location === 'string' && request.artifact_location ? request.artifact_location : `mlflow-artifacts:/${id}`;
    ctx.store.db
      .prepare('INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, name, location, 'active', now, now);
    const insertTag = ctx.store.db.prepare('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)');
    for (const tag of tags) {
      const { key, value } = (tag ?? {}) as { key?: unknown; value?: unknown };
      const k = checkKey('tag', key);
      insertTag.run(id, k, checkValue('tag', k, value ?? ''));
    }
    changed('experiments', id);
    return id;
  });
}

export function getExperiment(ctx: TrackingContext, experimentId: unknown): Experiment {
  if (typeof experimentId !== 'string' || !experimentId) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'experiment_id'.");
  const found = row(ctx, experimentId);
  if (!found) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists.`);
  return experimentToJson(found, tagsOf(ctx, experimentId));
}

export function getExperimentByName(ctx: TrackingContext, name: unknown): Experiment {
  if (typeof name !== 'string' || !name) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'experiment_name'.");
  const found = ctx.store.db.prepare('SELECT * FROM experiments WHERE name = ?').get(name) as ExperimentRow | undefined;
  if (!found) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'.`);
  return experimentToJson(found, tagsOf(ctx, found.experiment_id));
}

/** The id of the named experiment, created when missing. */
export function ensureExperiment(ctx: TrackingContext, name: string): string {
  const found = ctx.store.db.prepare('SELECT experiment_id, lifecycle_stage FROM experiments WHERE name = ?').get(name) as
    | { experiment_id: string; lifecycle_stage: string }
    | undefined;
  if (found?.lifecycle_stage === 'deleted') {
    throw new SlipwayError('INVALID_STATE', `Experiment "${name}" is deleted. Restore it or log into another experiment.`);
  }
  if (found) return found.experiment_id;
  try {
    return createExperiment(ctx, { name });
  } catch (error) {
    // Another process created it between the lookup and the insert.
    if (error instanceof SlipwayError && error.code === 'RESOURCE_ALREADY_EXISTS') return getExperimentByName(ctx, name).experiment_id;
    throw error;
  }
}

export function viewTypeClause(viewType: unknown, column = 'lifecycle_stage'): string {
  const view = (typeof viewType === 'number' ? String(viewType) : viewType ?? 'ACTIVE_ONLY') as ViewType | '1' | '2' | '3';
  if (view === 'ACTIVE_ONLY' || view === '1') return `${column} = 'active'`;
  if (view === 'DELETED_ONLY' || view === '2') return `${column} = 'deleted'`;
  if (view === 'ALL' || view === '3') return '1 = 1';
  throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid view_type ${JSON.stringify(viewType)}; use ACTIVE_ONLY, DELETED_ONLY or ALL.`);
}

const EXPERIMENT_ORDER: Record<string, string> = {
  name: 'name',
  experiment_id: 'experiment_id',
  creation_time: 'creation_time',
  last_update_time: 'last_update_time',
};

/** experiments/search: filter on name / times / tags, order_by on attributes, page tokens. */
export function searchExperiments(ctx: TrackingContext, request: SearchExperimentsRequest): SearchExperimentsResponse {
  const limit = pageSize(request.max_results, LIMITS.searchDefaultResults, LIMITS.searchMaxResults);
  const offset = decodePageToken(optionalString('page_token', request.page_token));
  const where = [viewTypeClause(request.view_type)];
  const args: (string | number)[] = [];
  for (const clause of parseFilter(optionalString('filter', request.filter), { strings: ['name', 'experiment_id'], numbers: ['creation_time', 'last_update_time'] })) {
    if (clause.type === 'tag') {
      const { sql, values } = textCondition('value', clause.comparator, clause.value);
      where.push(`experiment_id IN (SELECT experiment_id FROM experiment_tags WHERE key = ? AND ${sql})`);
      args.push(clause.key, ...values);
    } else if (clause.type === 'attribute' && (clause.key === 'name' || clause.key === 'experiment_id')) {
      const { sql, values } = textCondition(clause.key, clause.comparator, clause.value);
      where.push(sql);
      args.push(...values);
    } else if (clause.type === 'attribute' && ['creation_time', 'last_update_time'].includes(clause.key) && typeof clause.value === 'number') {
      where.push(`${clause.key} ${clause.comparator} ?`);
      args.push(clause.value);
    } else {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid experiment filter on ${clause.type}.${clause.key}; filter on name, creation_time, last_update_time or tags.`);
    }
  }
  const order: string[] = [];
  for (const term of stringList('order_by', request.order_by)) {
    const match = /^\s*(?:attributes?\.)?(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(term);
    const column = match ? EXPERIMENT_ORDER[match[1]!] : undefined;
    if (!column) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${term}'; order by name, experiment_id, creation_time or last_update_time.`);
    order.push(`${column} ${(match![2] ?? 'ASC').toUpperCase()}`);
  }
  order.push('creation_time DESC', 'experiment_id ASC');
  const rows = ctx.store.db
    .prepare(`SELECT * FROM experiments WHERE ${where.join(' AND ')} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`)
    .all(...args, limit + 1, offset) as ExperimentRow[];
  const page = rows.slice(0, limit);
  const response: SearchExperimentsResponse = { experiments: page.map((r) => experimentToJson(r, tagsOf(ctx, r.experiment_id))) };
  if (rows.length > limit) response.next_page_token = encodePageToken(offset + limit);
  return response;
}

/**
 * SQL for a string comparison. LIKE is case-sensitive in MLflow but not in SQLite, so LIKE goes through GLOB-free
 * custom function `slipway_like`, registered on every connection by the tracking module.
 */
export function textCondition(column: string, comparator: string, value: unknown): { sql: string; values: string[] } {
  switch (comparator) {
    case '=':
    case '!=':
      return { sql: `${column} ${comparator} ?`, values: [String(value)] };
    case 'LIKE':
      return { sql: `slipway_like(?, ${column}, 0)`, values: [String(value)] };
    case 'ILIKE':
      return { sql: `slipway_like(?, ${column}, 1)`, values: [String(value)] };
    case 'IN':
    case 'NOT IN': {
      const list = value as string[];
      return { sql: `${column} ${comparator} (${list.map(() => '?').join(', ')})`, values: list };
    }
    default:
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `Comparator ${comparator} cannot be used on ${column}.`);
  }
}

/** experiments/update: renames an experiment (names stay unique). */
export function renameExperiment(ctx: TrackingContext, experimentId: unknown, newName: unknown): void {
  if (typeof newName !== 'string' || !newName.trim()) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'new_name'.");
  ctx.store.write((changed) => {
    const found = getExperiment(ctx, experimentId);
    const clash = ctx.store.db.prepare('SELECT experiment_id FROM experiments WHERE name = ? AND experiment_id != ?').get(newName, found.experiment_id);
    if (clash) throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${newName}) already exists.`);
    ctx.store.db.prepare('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?').run(newName, Date.now(), found.experiment_id);
    changed('experiments', found.experiment_id);
  });
}

/** experiments/delete and /restore. Deleting also hides the experiment's runs; the Default experiment stays. */
export function setExperimentLifecycle(ctx: TrackingContext, experimentId: unknown, stage: 'active' | 'deleted'): void {
  ctx.store.write((changed) => {
    const found = getExperiment(ctx, experimentId);
    if (stage === 'deleted' && found.experiment_id === DEFAULT_EXPERIMENT_ID) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'The Default experiment cannot be deleted.');
    const now = Date.now();
    ctx.store.db.prepare('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?').run(stage, now, found.experiment_id);
    ctx.store.db
      .prepare('UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage != ?')
      .run(stage, stage === 'deleted' ? now : null, found.experiment_id, stage);
    changed('experiments', found.experiment_id);
  });
}

/** experiments/set-experiment-tag. */
export function setExperimentTag(ctx: TrackingContext, experimentId: unknown, key: unknown, value: unknown): void {
  const k = checkKey('tag', key);
  const v = checkValue('tag', k, value ?? '');
  ctx.store.write((changed) => {
    const found = getExperiment(ctx, experimentId);
    ctx.store.db.prepare('INSERT OR REPLACE INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)').run(found.experiment_id, k, v);
    changed('experiments', found.experiment_id);
  });
}
