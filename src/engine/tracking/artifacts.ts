import type { Readable } from 'node:stream';
import type { FileInfo, ListArtifactsResponse } from '../../shared/mlflow';
import { SlipwayError } from '../errors';
import type { StoredObject } from '../objects';
import type { TrackingContext } from './context';
import { normalizeArtifactPath } from './limits';
import { activeRun } from './runs';

export interface ArtifactRecord {
  path: string;
  md5: string;
  size: number;
}

type ArtifactSource = { data: Uint8Array } | { file: string } | { stream: Readable };

/** Whose artifacts: a run's, or an MLflow 3 logged model's. Both map paths to objects in the artifact store. */
export type ArtifactOwner = { kind: 'run'; id: string } | { kind: 'model'; id: string };

const TABLES = {
  run: { table: 'artifacts', column: 'run_uuid' },
  model: { table: 'logged_model_artifacts', column: 'model_id' },
} as const;

function checkOwner(ctx: TrackingContext, owner: ArtifactOwner, forWrite: boolean): void {
  if (owner.kind === 'run') {
    if (forWrite) activeRun(ctx, owner.id);
    else if (!ctx.store.db.prepare('SELECT 1 FROM runs WHERE run_uuid = ?').get(owner.id)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${owner.id} not found.`);
    return;
  }
  const model = ctx.store.db.prepare('SELECT lifecycle_stage FROM logged_models WHERE model_id = ?').get(owner.id) as { lifecycle_stage: string } | undefined;
  if (!model || model.lifecycle_stage !== 'active') throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${owner.id}' not found.`);
}

/**
 * Stores an artifact: the bytes go to the content-addressed artifact store (never the DVC cache), and the owner maps
 * the artifact path to their hash. Logging the same path again replaces the mapping.
 */
export async function putArtifact(ctx: TrackingContext, owner: ArtifactOwner, path: string, source: ArtifactSource): Promise<ArtifactRecord> {
  const relative = normalizeArtifactPath(path);
  ctx.store.read(() => checkOwner(ctx, owner, true));
  let stored: StoredObject;
  if ('data' in source) stored = await ctx.artifacts.putBuffer(source.data);
  else if ('file' in source) stored = await ctx.artifacts.putFile(source.file);
  else stored = await ctx.artifacts.putStream(source.stream);
  const { table, column } = TABLES[owner.kind];
  ctx.store.write((changed) => {
    checkOwner(ctx, owner, true);
    // A path cannot be both a file and a folder: reject a file under a file, or a file where a folder is.
    const clash = ctx.store.db
      .prepare(`SELECT path FROM ${table} WHERE ${column} = ? AND (substr(?, 1, length(path) + 1) = path || '/' OR substr(path, 1, length(?) + 1) = ? || '/') LIMIT 1`)
      .get(owner.id, relative, relative, relative) as { path: string } | undefined;
    if (clash) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Artifact path "${relative}" clashes with "${clash.path}": a path cannot be both a file and a folder.`);
    ctx.store.db
      .prepare(`INSERT INTO ${table} (${column}, path, md5, size) VALUES (?, ?, ?, ?) ON CONFLICT (${column}, path) DO UPDATE SET md5 = excluded.md5, size = excluded.size`)
      .run(owner.id, relative, stored.md5, stored.size);
    changed(owner.kind === 'run' ? 'artifacts' : 'models', owner.id);
  });
  return { path: relative, md5: stored.md5, size: stored.size };
}

/** Stores an artifact of a run. */
export function logArtifact(ctx: TrackingContext, runId: string, path: string, source: ArtifactSource): Promise<ArtifactRecord> {
  return putArtifact(ctx, { kind: 'run', id: runId }, path, source);
}

/** Every artifact of an owner, sorted by path. */
export function ownerArtifacts(ctx: TrackingContext, owner: ArtifactOwner): ArtifactRecord[] {
  const { table, column } = TABLES[owner.kind];
  return ctx.store.db.prepare(`SELECT path, md5, size FROM ${table} WHERE ${column} = ? ORDER BY path`).all(owner.id) as ArtifactRecord[];
}

export function allArtifacts(ctx: TrackingContext, runId: string): ArtifactRecord[] {
  return ownerArtifacts(ctx, { kind: 'run', id: runId });
}

/** The direct children of `dir` (files with sizes, and folders), with paths relative to the owner's root. */
export function listOwnerArtifacts(ctx: TrackingContext, owner: ArtifactOwner, dir: string): FileInfo[] {
  const prefix = dir ? `${dir}/` : '';
  const files = new Map<string, FileInfo>();
  for (const row of ownerArtifacts(ctx, owner)) {
    if (!row.path.startsWith(prefix)) continue;
    const rest = row.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const childPath = prefix + (slash === -1 ? rest : rest.slice(0, slash));
    if (slash === -1) files.set(childPath, { path: childPath, is_dir: false, file_size: row.size });
    else if (!files.has(childPath)) files.set(childPath, { path: childPath, is_dir: true });
  }
  return [...files.values()];
}

/** artifacts/list for a run. */
export function listArtifacts(ctx: TrackingContext, request: { run_id?: unknown; run_uuid?: unknown; path?: unknown }): ListArtifactsResponse {
  const runId = request.run_id ?? request.run_uuid;
  const dir = normalizeArtifactPath(request.path, { allowEmpty: true });
  return ctx.store.read(() => {
    const run = ctx.store.db.prepare('SELECT run_uuid, artifact_uri FROM runs WHERE run_uuid = ?').get(runId) as { run_uuid: string; artifact_uri: string } | undefined;
    if (!run) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${String(runId)} not found.`);
    return { root_uri: run.artifact_uri, files: listOwnerArtifacts(ctx, { kind: 'run', id: run.run_uuid }, dir) };
  });
}

/** Finds one artifact file. */
export function findOwnerArtifact(ctx: TrackingContext, owner: ArtifactOwner, path: unknown): ArtifactRecord {
  const relative = normalizeArtifactPath(path);
  const { table, column } = TABLES[owner.kind];
  const row = ctx.store.db.prepare(`SELECT path, md5, size FROM ${table} WHERE ${column} = ? AND path = ?`).get(owner.id, relative) as ArtifactRecord | undefined;
  if (!row) {
    checkOwner(ctx, owner, false);
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No artifact "${relative}" in ${owner.kind} ${owner.id}.`);
  }
  return row;
}

export function findArtifact(ctx: TrackingContext, runId: unknown, path: unknown): ArtifactRecord {
  if (typeof runId !== 'string' || !runId) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_id'.");
  return findOwnerArtifact(ctx, { kind: 'run', id: runId }, path);
}

/** Opens an artifact's bytes; the stream fails at its end if the stored object is corrupt. */
export function openOwnerArtifact(ctx: TrackingContext, owner: ArtifactOwner, path: unknown): { record: ArtifactRecord; stream: Readable } {
  const record = findOwnerArtifact(ctx, owner, path);
  return { record, stream: ctx.artifacts.openVerified(record.md5) };
}

export function openArtifact(ctx: TrackingContext, runId: unknown, path: unknown): { record: ArtifactRecord; stream: Readable } {
  const record = findArtifact(ctx, runId, path);
  return { record, stream: ctx.artifacts.openVerified(record.md5) };
}

/** Removes an artifact file, or every file under a folder path. The objects stay until `slipway gc`. */
export function deleteOwnerArtifacts(ctx: TrackingContext, owner: ArtifactOwner, path: unknown): number {
  const relative = normalizeArtifactPath(path);
  const { table, column } = TABLES[owner.kind];
  return ctx.store.write((changed) => {
    checkOwner(ctx, owner, true);
    const result = ctx.store.db.prepare(`DELETE FROM ${table} WHERE ${column} = ? AND (path = ? OR substr(path, 1, length(?) + 1) = ? || '/')`).run(owner.id, relative, relative, relative);
    if (!result.changes) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No artifact "${relative}" in ${owner.kind} ${owner.id}.`);
    changed(owner.kind === 'run' ? 'artifacts' : 'models', owner.id);
    return result.changes;
  });
}
