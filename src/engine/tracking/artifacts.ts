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

/**
 * Stores an artifact of a run: the bytes go to the content-addressed artifact store (never the DVC cache), and the
 * run maps the artifact path to their hash. Logging the same path again replaces the mapping.
 */
export async function logArtifact(ctx: TrackingContext, runId: string, path: string, source: ArtifactSource): Promise<ArtifactRecord> {
  const relative = normalizeArtifactPath(path);
  ctx.store.read(() => activeRun(ctx, runId));
  let stored: StoredObject;
  if ('data' in source) stored = await ctx.artifacts.putBuffer(source.data);
  else if ('file' in source) stored = await ctx.artifacts.putFile(source.file);
  else stored = await ctx.artifacts.putStream(source.stream);
  ctx.store.write((changed) => {
    const run = activeRun(ctx, runId);
    // A path cannot be both a file and a folder: reject a file under a file, or a file where a folder is.
    const clash = ctx.store.db
      .prepare("SELECT path FROM artifacts WHERE run_uuid = ? AND (substr(?, 1, length(path) + 1) = path || '/' OR substr(path, 1, length(?) + 1) = ? || '/') LIMIT 1")
      .get(run.run_uuid, relative, relative, relative) as { path: string } | undefined;
    if (clash) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Artifact path "${relative}" clashes with "${clash.path}": a path cannot be both a file and a folder.`);
    ctx.store.db
      .prepare('INSERT INTO artifacts (run_uuid, path, md5, size) VALUES (?, ?, ?, ?) ON CONFLICT (run_uuid, path) DO UPDATE SET md5 = excluded.md5, size = excluded.size')
      .run(run.run_uuid, relative, stored.md5, stored.size);
    changed('artifacts', run.run_uuid);
  });
  return { path: relative, md5: stored.md5, size: stored.size };
}

/** Every artifact of a run, sorted by path. */
export function allArtifacts(ctx: TrackingContext, runId: string): ArtifactRecord[] {
  return ctx.store.db.prepare('SELECT path, md5, size FROM artifacts WHERE run_uuid = ? ORDER BY path').all(runId) as ArtifactRecord[];
}

/** artifacts/list: the direct children of `path` (files with sizes, and folders). */
export function listArtifacts(ctx: TrackingContext, request: { run_id?: unknown; run_uuid?: unknown; path?: unknown }): ListArtifactsResponse {
  const runId = request.run_id ?? request.run_uuid;
  const dir = normalizeArtifactPath(request.path, { allowEmpty: true });
  return ctx.store.read(() => {
    const run = ctx.store.db.prepare('SELECT run_uuid, artifact_uri FROM runs WHERE run_uuid = ?').get(runId) as { run_uuid: string; artifact_uri: string } | undefined;
    if (!run) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${String(runId)} not found.`);
    const prefix = dir ? `${dir}/` : '';
    const rows = allArtifacts(ctx, run.run_uuid).filter((a) => a.path.startsWith(prefix));
    const files = new Map<string, FileInfo>();
    for (const row of rows) {
      const rest = row.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      const childPath = prefix + (slash === -1 ? rest : rest.slice(0, slash));
      if (slash === -1) files.set(childPath, { path: childPath, is_dir: false, file_size: row.size });
      else if (!files.has(childPath)) files.set(childPath, { path: childPath, is_dir: true });
    }
    const response: ListArtifactsResponse = { root_uri: run.artifact_uri, files: [...files.values()] };
    return response;
  });
}

/** Finds one artifact file of a run, for download. */
export function findArtifact(ctx: TrackingContext, runId: unknown, path: unknown): ArtifactRecord {
  const relative = normalizeArtifactPath(path);
  const row = ctx.store.db.prepare('SELECT path, md5, size FROM artifacts WHERE run_uuid = ? AND path = ?').get(runId, relative) as ArtifactRecord | undefined;
  if (!row) {
    const run = ctx.store.db.prepare('SELECT 1 FROM runs WHERE run_uuid = ?').get(runId);
    if (!run) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${String(runId)} not found.`);
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No artifact "${relative}" in run ${String(runId)}.`);
  }
  return row;
}

/** Opens an artifact's bytes; the stream fails at its end if the stored object is corrupt. */
export function openArtifact(ctx: TrackingContext, runId: unknown, path: unknown): { record: ArtifactRecord; stream: Readable } {
  const record = findArtifact(ctx, runId, path);
  return { record, stream: ctx.artifacts.openVerified(record.md5) };
}
