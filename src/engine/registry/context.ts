import type Database from 'better-sqlite3';
import type { ModelVersion, RegisteredModel } from '../../shared/mlflow-registry';
import { SlipwayError } from '../errors';
import type { ObjectStore } from '../objects';
import type { Store } from '../store';
import { latestPerStage, toModelVersion, toRegisteredModel, type ModelRow, type TagRow, type VersionRow } from './shapes';
import { sql } from './statements';

/** What every registry operation needs: the store, who is acting, a clock, and the artifact object store. */
export interface RegistryContext {
  store: Store;
  actor: string;
  now: () => number;
  objects: ObjectStore | null;
}

/** Who did it and why: recorded in the audit log for stage, alias and deletion changes. */
export interface ChangeMeta {
  reason?: string;
  actor?: string;
}

export const MAX_TAG_KEY = 250;
export const MAX_TAG_VALUE = 5000;

/** The registered_models row for `name`; RESOURCE_DOES_NOT_EXIST when there is none. */
export function modelRow(db: Database.Database, name: string): ModelRow {
  const row = sql(db, 'SELECT * FROM registered_models WHERE name = ?').get(name) as ModelRow | undefined;
  if (!row) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Registered model "${name}" does not exist. List models with \`slipway models list\`.`);
  return row;
}

/** The model_versions row for NAME:VERSION; RESOURCE_DOES_NOT_EXIST names the model or the version that is missing. */
export function versionRow(db: Database.Database, name: string, version: number): VersionRow {
  const row = sql(db, 'SELECT * FROM model_versions WHERE name = ? AND version = ?').get(name, version) as VersionRow | undefined;
  if (!row) {
    modelRow(db, name);
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Model version ${name}:${version} does not exist.`);
  }
  return row;
}

/** A version row with its tags and aliases, in MLflow's ModelVersion shape. */
export function versionShape(db: Database.Database, row: VersionRow): ModelVersion {
  const tags = sql(db, 'SELECT key, value FROM model_version_tags WHERE name = ? AND version = ?').all(row.name, row.version) as TagRow[];
  const aliases = (sql(db, 'SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ?').all(row.name, row.version) as { alias: string }[]).map((a) => a.alias);
  return toModelVersion(row, tags, aliases);
}

/** A model row with its tags, aliases and newest version per stage, in MLflow's RegisteredModel shape. */
export function modelShape(db: Database.Database, row: ModelRow): RegisteredModel {
  const tags = sql(db, 'SELECT key, value FROM registered_model_tags WHERE name = ?').all(row.name) as TagRow[];
  const aliases = sql(db, 'SELECT alias, version FROM registered_model_aliases WHERE name = ?').all(row.name) as { alias: string; version: number }[];
  const stages = sql(db, 'SELECT current_stage, max(version) AS version FROM model_versions WHERE name = ? GROUP BY current_stage').all(row.name) as {
    current_stage: string;
    version: number;
  }[];
  const latest = latestPerStage(stages).map((s) => versionShape(db, versionRow(db, row.name, s.version)));
  return toRegisteredModel(row, tags, aliases, latest);
}

/** Validates a tag against MLflow's registry limits (key up to 250 characters, value up to 5000). */
export function checkTag(key: unknown, value: unknown): { key: string; value: string } {
  if (typeof key !== 'string' || key === '') throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Tag key must be a non-empty string.');
  if (key.length > MAX_TAG_KEY) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Tag key "${key.slice(0, 40)}…" is longer than ${MAX_TAG_KEY} characters.`);
  if (typeof value !== 'string') throw new SlipwayError('INVALID_PARAMETER_VALUE', `Tag "${key}" must have a string value.`);
  if (value.length > MAX_TAG_VALUE) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Tag "${key}" has a value longer than ${MAX_TAG_VALUE} characters.`);
  return { key, value };
}

/** Validates an optional free-text field; missing becomes the empty string. */
export function checkText(value: unknown, what: string, max = 65536): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} must be a string.`);
  if (value.length > max) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} is longer than ${max} characters.`);
  return value;
}

/** Who a change is recorded under: the caller's actor when given, else the registry's. */
export function actorOf(ctx: RegistryContext, meta?: ChangeMeta): string {
  return meta?.actor || ctx.actor;
}
