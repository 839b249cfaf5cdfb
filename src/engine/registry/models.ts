import type { RegisteredModel, RegistryTag } from '../../shared/mlflow-registry';
import { SlipwayError } from '../errors';
import { appendAudit } from './audit';
import { actorOf, checkTag, checkText, modelRow, modelShape, type ChangeMeta, type RegistryContext } from './context';
import { validateModelName } from './modelref';
import { checkMaxResults, compileFilter, compileOrderBy, decodePageToken, encodePageToken } from './search';
import type { ModelRow } from './shapes';
import { sql } from './statements';

/** MLflow's default and maximum page sizes for registered-model search. */
export const SEARCH_MODELS_DEFAULT = 100;
export const SEARCH_MODELS_MAX = 1000;

export interface CreateModelInput {
  name: string;
  description?: string;
  tags?: readonly RegistryTag[];
}

/** Creates a registered model. RESOURCE_ALREADY_EXISTS when the name is taken. */
export function createModel(ctx: RegistryContext, input: CreateModelInput): RegisteredModel {
  const name = validateModelName(input.name);
  const description = checkText(input.description, 'Description');
  const tags = (input.tags ?? []).map((t) => checkTag(t.key, t.value));
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    if (sql(db, 'SELECT 1 FROM registered_models WHERE name = ?').get(name)) {
      throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Registered model "${name}" already exists.`);
    }
    const now = ctx.now();
    sql(db, 'INSERT INTO registered_models (name, creation_time, last_updated_time, description, user_id) VALUES (?, ?, ?, ?, ?)').run(name, now, now, description, ctx.actor);
    const setTag = sql(db, 'INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)');
    for (const tag of tags) setTag.run(name, tag.key, tag.value);
    changed('models', name);
    return modelShape(db, modelRow(db, name));
  });
}

/** One registered model in MLflow's shape. */
export function getModel(ctx: RegistryContext, name: string): RegisteredModel {
  const db = ctx.store.db;
  return ctx.store.read(() => modelShape(db, modelRow(db, validateModelName(name))));
}

export interface SearchInput {
  filter?: string;
  maxResults?: number;
  orderBy?: readonly string[];
  pageToken?: string;
}

/** Searches registered models with MLflow's filter syntax (see search.ts), paged. */
export function searchModels(ctx: RegistryContext, input: SearchInput = {}): { models: RegisteredModel[]; nextPageToken?: string } {
  const limit = checkMaxResults(input.maxResults, SEARCH_MODELS_DEFAULT, SEARCH_MODELS_MAX);
  const { where, params } = compileFilter('models', input.filter);
  const order = compileOrderBy('models', input.orderBy);
  const offset = decodePageToken(input.pageToken);
  const db = ctx.store.db;
  return ctx.store.read(() => {
    const rows = db.prepare(`SELECT m.* FROM registered_models m WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, limit + 1, offset) as ModelRow[];
    const page = rows.slice(0, limit).map((row) => modelShape(db, row));
    return rows.length > limit ? { models: page, nextPageToken: encodePageToken(offset + limit) } : { models: page };
  });
}

/** Replaces a model's description. */
export function updateModel(ctx: RegistryContext, name: string, description: string | undefined): RegisteredModel {
  const text = checkText(description, 'Description');
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    sql(db, 'UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?').run(text, ctx.now(), name);
    changed('models', name);
    return modelShape(db, modelRow(db, name));
  });
}

/** Renames a model; versions, tags and aliases follow (ON UPDATE CASCADE). Audited. */
export function renameModel(ctx: RegistryContext, name: string, newName: string, meta?: ChangeMeta): RegisteredModel {
  const target = validateModelName(newName, 'New model name');
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    if (target === name) return modelShape(db, modelRow(db, name));
    if (sql(db, 'SELECT 1 FROM registered_models WHERE name = ?').get(target)) {
      throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Cannot rename "${name}": registered model "${target}" already exists.`);
    }
    const now = ctx.now();
    sql(db, 'UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?').run(target, now, name);
    appendAudit(db, { tsMs: now, actor: actorOf(ctx, meta), model: name, action: 'model.rename', subject: '', from: name, to: target, reason: meta?.reason ?? '' });
    changed('models', name);
    changed('models', target);
    return modelShape(db, modelRow(db, target));
  });
}

/**
 * Deletes a model with its versions, tags and aliases. The audit entry keeps what was deleted (versions, stages and
 * aliases), so "what was in production" can still be answered afterwards.
 */
export function deleteModel(ctx: RegistryContext, name: string, meta?: ChangeMeta): void {
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    const versions = sql(db, 'SELECT version, current_stage FROM model_versions WHERE name = ? ORDER BY version').all(name) as { version: number; current_stage: string }[];
    const aliases = sql(db, 'SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias').all(name) as { alias: string; version: number }[];
    const summary = JSON.stringify({
      versions: versions.map((v) => ({ version: String(v.version), stage: v.current_stage })),
      aliases: Object.fromEntries(aliases.map((a) => [a.alias, String(a.version)])),
    });
    sql(db, 'DELETE FROM registered_models WHERE name = ?').run(name);
    appendAudit(db, { tsMs: ctx.now(), actor: actorOf(ctx, meta), model: name, action: 'model.delete', subject: '', from: summary, to: null, reason: meta?.reason ?? '' });
    changed('models', name);
  });
}

/** Sets (or overwrites) a tag on a model; tags are metadata and not audited. */
export function setModelTag(ctx: RegistryContext, name: string, key: string, value: string): void {
  const tag = checkTag(key, value);
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    sql(db, 'INSERT OR REPLACE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)').run(name, tag.key, tag.value);
    sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(ctx.now(), name);
    changed('models', name);
  });
}

/** Deletes a model tag (audited with its old value). RESOURCE_DOES_NOT_EXIST when the tag is not set. */
export function deleteModelTag(ctx: RegistryContext, name: string, key: string, meta?: ChangeMeta): void {
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    modelRow(db, name);
    const old = sql(db, 'SELECT value FROM registered_model_tags WHERE name = ? AND key = ?').get(name, key) as { value: string } | undefined;
    if (!old) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Registered model "${name}" has no tag "${key}".`);
    sql(db, 'DELETE FROM registered_model_tags WHERE name = ? AND key = ?').run(name, key);
    const now = ctx.now();
    sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(now, name);
    appendAudit(db, { tsMs: now, actor: actorOf(ctx, meta), model: name, action: 'model.tag.delete', subject: key, from: old.value, to: null, reason: meta?.reason ?? '' });
    changed('models', name);
  });
}
