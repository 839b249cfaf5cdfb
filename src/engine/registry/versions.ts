import { promises as fs } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { ModelVersion, RegistryTag } from '../../shared/mlflow-registry';
import { SlipwayError } from '../errors';
import { appendAudit } from './audit';
import { actorOf, checkTag, checkText, modelRow, versionRow, versionShape, type ChangeMeta, type RegistryContext } from './context';
import { parseVersion } from './modelref';
import type { SearchInput } from './models';
import { checkMaxResults, compileFilter, compileOrderBy, decodePageToken, encodePageToken } from './search';
import type { VersionRow } from './shapes';
import { sql } from './statements';

/** MLflow's default and maximum page sizes for model-version search. */
export const SEARCH_VERSIONS_DEFAULT = 10_000;
export const SEARCH_VERSIONS_MAX = 200_000;

export interface CreateVersionInput {
  name: string;
  /** Where the model's files are, as given (e.g. `mlflow-artifacts:/1/abc/artifacts/model`, `models:/m-…`). */
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  tags?: readonly RegistryTag[];
  modelId?: string;
  /** Column schema (`*.schema.yaml` text) stored with the version. */
  schemaYaml?: string;
  file?: { md5: string; size: number; name: string };
}

function optionalId(value: unknown, what: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 256 || [...value].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} must be a string of at most 256 printable characters.`);
  }
  return value;
}

/**
 * Creates the next version of a registered model. Versions are READY at once: the files already exist where
 * `source` says (or in the object store, for file registrations), so there is nothing to wait for.
 */
export function createVersion(ctx: RegistryContext, input: CreateVersionInput): ModelVersion {
  if (typeof input.source !== 'string' || input.source === '') throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Model version source must be a non-empty string.');
  const source = checkText(input.source, 'Source', 4096);
  const modelId = optionalId(input.modelId, 'model_id');
  // An MLflow 3 logged model knows the run that produced it; recording it keeps the version linked to that run.
  const runId = optionalId(input.runId, 'run_id') ?? (modelId ? loggedModelRun(ctx, modelId) : null);
  const runLink = checkText(input.runLink, 'run_link', 4096);
  const description = checkText(input.description, 'Description');
  const tags = (input.tags ?? []).map((t) => checkTag(t.key, t.value));
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    const model = modelRow(db, input.name);
    const version = model.next_version;
    const now = ctx.now();
    db.prepare(
      `INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, source, run_id, run_link, model_id,
         status, file_md5, file_size, file_name, schema_yaml)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'READY', ?, ?, ?, ?)`,
    ).run(model.name, version, now, now, description, ctx.actor, source, runId, runLink || null, modelId, input.file?.md5 ?? null, input.file?.size ?? null, input.file?.name ?? null, input.schemaYaml ?? null);
    sql(db, 'UPDATE registered_models SET next_version = ?, last_updated_time = ? WHERE name = ?').run(version + 1, now, model.name);
    const setTag = sql(db, 'INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)');
    for (const tag of tags) setTag.run(model.name, version, tag.key, tag.value);
    changed('models', model.name);
    return versionShape(db, versionRow(db, model.name, version));
  });
}

/**
 * Registers a run's artifact (a file or folder under the run's artifact root). The source becomes the artifact's URI
 * under the run's artifact_uri, as MLflow's client resolves `runs:/RUN/PATH` before registering.
 */
export function createVersionFromRun(ctx: RegistryContext, name: string, runId: string, artifactPath: string, extra: Omit<CreateVersionInput, 'name' | 'source' | 'runId'> = {}): ModelVersion {
  const path = artifactPath.replace(/^\/+|\/+$/g, '');
  const db = ctx.store.db;
  const run = sql(db, 'SELECT artifact_uri FROM runs WHERE run_uuid = ?').get(runId) as { artifact_uri: string } | undefined;
  if (!run) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run ${runId} does not exist.`);
  const found = sql(db, "SELECT 1 FROM artifacts WHERE run_uuid = ? AND (path = ? OR substr(path, 1, length(?) + 1) = ? || '/') LIMIT 1").get(runId, path, path, path);
  if (path !== '' && !found) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run ${runId} has no artifact at "${path}". List its artifacts with \`slipway runs show ${runId}\`.`);
  const source = path ? `${run.artifact_uri.replace(/\/+$/, '')}/${path}` : run.artifact_uri;
  return createVersion(ctx, { ...extra, name, source, runId });
}

function loggedModelRun(ctx: RegistryContext, modelId: string): string | null {
  const row = sql(ctx.store.db, 'SELECT source_run_id FROM logged_models WHERE model_id = ?').get(modelId) as { source_run_id: string | null } | undefined;
  return row?.source_run_id ?? null;
}

/**
 * Registers an MLflow 3 logged model of this store: the source is `models:/<model_id>`, as MLflow 3's client
 * registers it, and the run is the one that logged the model.
 */
export function createVersionFromLoggedModel(ctx: RegistryContext, name: string, modelId: string, extra: Omit<CreateVersionInput, 'name' | 'source' | 'modelId'> = {}): ModelVersion {
  if (!sql(ctx.store.db, 'SELECT 1 FROM logged_models WHERE model_id = ?').get(modelId)) {
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Logged model ${modelId} does not exist in this project.`);
  }
  return createVersion(ctx, { ...extra, name, source: `models:/${modelId}`, modelId });
}

/**
 * Registers a local file: its bytes are copied into the artifact object store first (content-addressed, so the
 * version keeps its exact bytes even if the file changes later); the source records where it came from.
 */
export async function createVersionFromFile(ctx: RegistryContext, name: string, filePath: string, extra: Omit<CreateVersionInput, 'name' | 'source' | 'file'> = {}): Promise<ModelVersion> {
  if (!ctx.objects) throw new SlipwayError('INTERNAL_ERROR', 'This registry was opened without an artifact object store; file registration needs one.');
  const absolute = resolve(filePath);
  let stat;
  try {
    stat = await fs.stat(absolute);
  } catch {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Cannot register ${absolute}: the file does not exist.`);
  }
  if (!stat.isFile()) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Cannot register ${absolute}: it is not a regular file.`);
  modelRow(ctx.store.db, name);
  const stored = await ctx.objects.putFile(absolute);
  return createVersion(ctx, { ...extra, name, source: `file://${absolute}`, file: { md5: stored.md5, size: stored.size, name: basename(absolute) } });
}

/** One model version in MLflow's shape. */
export function getVersion(ctx: RegistryContext, name: string, version: string | number): ModelVersion {
  const v = parseVersion(version);
  const db = ctx.store.db;
  return ctx.store.read(() => versionShape(db, versionRow(db, name, v)));
}

/** The stored row, for callers that need more than MLflow's shape (file hash, schema). */
export function getVersionRow(ctx: RegistryContext, name: string, version: string | number): VersionRow {
  return versionRow(ctx.store.db, name, parseVersion(version));
}

/** Searches model versions with MLflow's filter syntax (see search.ts), paged; newest version first per model. */
export function searchVersions(ctx: RegistryContext, input: SearchInput = {}): { versions: ModelVersion[]; nextPageToken?: string } {
  const limit = checkMaxResults(input.maxResults, SEARCH_VERSIONS_DEFAULT, SEARCH_VERSIONS_MAX);
  const { where, params } = compileFilter('versions', input.filter);
  const order = compileOrderBy('versions', input.orderBy);
  const offset = decodePageToken(input.pageToken);
  const db = ctx.store.db;
  return ctx.store.read(() => {
    const rows = db.prepare(`SELECT v.* FROM model_versions v WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, limit + 1, offset) as VersionRow[];
    const page = rows.slice(0, limit).map((row) => versionShape(db, row));
    return rows.length > limit ? { versions: page, nextPageToken: encodePageToken(offset + limit) } : { versions: page };
  });
}

/** Replaces a version's description. */
export function updateVersion(ctx: RegistryContext, name: string, version: string | number, description: string | undefined): ModelVersion {
  const v = parseVersion(version);
  const text = checkText(description, 'Description');
  return ctx.store.write((changed) => {
    const db = ctx.store.db;
    versionRow(db, name, v);
    sql(db, 'UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?').run(text, ctx.now(), name, v);
    changed('models', name);
    return versionShape(db, versionRow(db, name, v));
  });
}

/** Deletes a version; aliases pointing at it are removed first, each with its own audit entry. */
export function deleteVersion(ctx: RegistryContext, name: string, version: string | number, meta?: ChangeMeta): void {
  const v = parseVersion(version);
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    const row = versionRow(db, name, v);
    const now = ctx.now();
    const actor = actorOf(ctx, meta);
    const reason = meta?.reason ?? '';
    const aliases = sql(db, 'SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias').all(name, v) as { alias: string }[];
    for (const { alias } of aliases) {
      appendAudit(db, { tsMs: now, actor, model: name, action: 'alias.delete', subject: alias, from: String(v), to: null, reason: `version ${v} deleted${reason ? `: ${reason}` : ''}` });
    }
    sql(db, 'DELETE FROM model_versions WHERE name = ? AND version = ?').run(name, v);
    sql(db, 'UPDATE registered_models SET last_updated_time = ? WHERE name = ?').run(now, name);
    appendAudit(db, { tsMs: now, actor, model: name, action: 'version.delete', subject: String(v), from: JSON.stringify({ source: row.source, stage: row.current_stage }), to: null, reason });
    changed('models', name);
  });
}

/** Sets (or overwrites) a tag on a version; not audited. */
export function setVersionTag(ctx: RegistryContext, name: string, version: string | number, key: string, value: string): void {
  const v = parseVersion(version);
  const tag = checkTag(key, value);
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    versionRow(db, name, v);
    sql(db, 'INSERT OR REPLACE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)').run(name, v, tag.key, tag.value);
    sql(db, 'UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?').run(ctx.now(), name, v);
    changed('models', name);
  });
}

/** Deletes a version tag (audited with its old value); RESOURCE_DOES_NOT_EXIST when it is not set. */
export function deleteVersionTag(ctx: RegistryContext, name: string, version: string | number, key: string, meta?: ChangeMeta): void {
  const v = parseVersion(version);
  ctx.store.write((changed) => {
    const db = ctx.store.db;
    versionRow(db, name, v);
    const old = sql(db, 'SELECT value FROM model_version_tags WHERE name = ? AND version = ? AND key = ?').get(name, v, key) as { value: string } | undefined;
    if (!old) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Model version ${name}:${v} has no tag "${key}".`);
    sql(db, 'DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?').run(name, v, key);
    const now = ctx.now();
    sql(db, 'UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?').run(now, name, v);
    appendAudit(db, { tsMs: now, actor: actorOf(ctx, meta), model: name, action: 'version.tag.delete', subject: `${v}:${key}`, from: old.value, to: null, reason: meta?.reason ?? '' });
    changed('models', name);
  });
}

/**
 * Where a version's files can be downloaded. For run artifacts and logged models that is the source itself (MLflow
 * does the same); a file registration is served from the artifact store under `registry/<name>/<version>/<file>`.
 */
export function downloadUri(ctx: RegistryContext, name: string, version: string | number): string {
  const row = getVersionRow(ctx, name, version);
  if (row.file_md5 && row.file_name) return `mlflow-artifacts:/registry/${encodeURIComponent(row.name)}/${row.version}/${encodeURIComponent(row.file_name)}`;
  return row.source;
}

/** Streams a file-registered version's bytes from the object store, verified against their hash. */
export function openVersionFile(ctx: RegistryContext, name: string, version: string | number): { fileName: string; size: number; stream: Readable } {
  const row = getVersionRow(ctx, name, version);
  if (!row.file_md5 || !row.file_name || row.file_size === null) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Model version ${name}:${row.version} was registered from ${row.source}, not from a file; read it from there.`);
  }
  if (!ctx.objects) throw new SlipwayError('INTERNAL_ERROR', 'This registry was opened without an artifact object store.');
  return { fileName: row.file_name, size: row.file_size, stream: ctx.objects.openVerified(row.file_md5) };
}

/** The newest version in each requested stage (all stages when none are given), as MLflow's get-latest-versions. */
export function latestVersions(ctx: RegistryContext, name: string, stages?: readonly string[]): ModelVersion[] {
  const db = ctx.store.db;
  return ctx.store.read(() => {
    modelRow(db, name);
    const rows = sql(db, 'SELECT current_stage, max(version) AS version FROM model_versions WHERE name = ? GROUP BY current_stage ORDER BY current_stage').all(name) as {
      current_stage: string;
      version: number;
    }[];
    const wanted = stages && stages.length ? new Set(stages.map((s) => s.toLowerCase())) : null;
    return rows.filter((r) => !wanted || wanted.has(r.current_stage.toLowerCase())).map((r) => versionShape(db, versionRow(db, name, r.version)));
  });
}
