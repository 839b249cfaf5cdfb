import type { DataVersion, ModelVersionUsingData, RunUsingData } from '../../shared/lineage';
import { SlipwayError } from '../errors';
import type { Store } from '../store';
import { logArtifact, logBatch, type TrackingContext } from '../tracking';
import { allTracked } from '../versioning/pointers';

/** Run artifact holding the data versions as JSON, so they travel with the run's other artifacts. */
export const DATA_VERSIONS_ARTIFACT = 'slipway/data-versions.json';
/** Run tag with the number of tracked paths recorded. */
export const DATA_VERSIONS_TAG = 'slipway.data.count';

interface Row {
  path: string;
  md5: string;
  dvc_file: string;
  size: number | null;
  nfiles: number | null;
  isexec: number;
}

/** The tracked paths of the workspace at `root` with the hashes their `.dvc` files record (unsaved outputs skipped). */
export function workspaceDataVersions(root: string): DataVersion[] {
  return allTracked(root)
    .filter((t) => t.out.md5)
    .map((t) => ({ path: t.path, md5: t.out.md5!, dvcFile: t.dvcFile, size: t.out.size ?? null, nfiles: t.out.nfiles ?? null, isexec: t.out.isexec === true }));
}

/** Run tag saying why no data versions were recorded (a `.dvc` file that does not parse). */
export const DATA_VERSIONS_NOTE_TAG = 'slipway.data.note';

/**
 * Records the data versions a run uses: every tracked path's hash from the workspace's `.dvc` files, in the store
 * (for queries both ways) and as the run artifact {@link DATA_VERSIONS_ARTIFACT}. A `.dvc` file that does not parse
 * does not stop the run: the reason is kept as the tag {@link DATA_VERSIONS_NOTE_TAG} and returned as `note`.
 */
export async function recordDataVersions(ctx: TrackingContext, runId: string, root: string): Promise<{ versions: DataVersion[]; note: string | null }> {
  let versions: DataVersion[];
  try {
    versions = workspaceDataVersions(root);
  } catch (error) {
    if (!(error instanceof SlipwayError)) throw error;
    const note = `Data versions not recorded: ${error.message}`.slice(0, 8000);
    logBatch(ctx, { run_id: runId, tags: [{ key: DATA_VERSIONS_NOTE_TAG, value: note }] });
    return { versions: [], note };
  }
  ctx.store.write((changed) => {
    const insert = ctx.store.db.prepare('INSERT OR REPLACE INTO run_data_versions (run_uuid, path, md5, dvc_file, size, nfiles, isexec) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const v of versions) insert.run(runId, v.path, v.md5, v.dvcFile, v.size, v.nfiles, v.isexec ? 1 : 0);
    changed('lineage', runId);
  });
  logBatch(ctx, { run_id: runId, tags: [{ key: DATA_VERSIONS_TAG, value: String(versions.length) }] });
  if (versions.length) await logArtifact(ctx, runId, DATA_VERSIONS_ARTIFACT, { data: Buffer.from(`${JSON.stringify(versions, null, 2)}\n`) });
  return { versions, note: null };
}

/** The data versions run `runId` used, by path. */
export function dataVersionsOfRun(store: Store, runId: string): DataVersion[] {
  const rows = store.db.prepare('SELECT path, md5, dvc_file, size, nfiles, isexec FROM run_data_versions WHERE run_uuid = ? ORDER BY path').all(runId) as Row[];
  return rows.map((r) => ({ path: r.path, md5: r.md5, dvcFile: r.dvc_file, size: r.size, nfiles: r.nfiles, isexec: r.isexec === 1 }));
}

/** A target is a hash (32 hex digits, optionally with `.dir`) or a tracked path (a folder matches everything below). */
function targetClause(target: string): { sql: string; args: string[] } {
  const t = target.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (!t) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Give a tracked path or a data hash (md5).');
  if (/^[0-9a-f]{32}(\.dir)?$/i.test(t)) {
    const md5 = t.toLowerCase().replace(/\.dir$/, '');
    return { sql: '(d.md5 = ? OR d.md5 = ?)', args: [md5, `${md5}.dir`] };
  }
  return { sql: "(d.path = ? OR substr(d.path, 1, length(?) + 1) = ? || '/')", args: [t, t, t] };
}

/** Live runs that used a data version, newest first: by tracked path (any version) or by hash. */
export function runsUsingData(store: Store, target: string): RunUsingData[] {
  const { sql, args } = targetClause(target);
  const rows = store.db
    .prepare(
      `SELECT r.run_uuid, r.run_name, r.experiment_id, r.status, r.start_time, d.path, d.md5 FROM run_data_versions d
       JOIN runs r ON r.run_uuid = d.run_uuid WHERE r.lifecycle_stage = 'active' AND ${sql} ORDER BY r.start_time DESC, d.path`,
    )
    .all(...args) as { run_uuid: string; run_name: string; experiment_id: string; status: string; start_time: number; path: string; md5: string }[];
  return rows.map((r) => ({ runId: r.run_uuid, runName: r.run_name, experimentId: r.experiment_id, status: r.status, startTime: r.start_time, path: r.path, md5: r.md5 }));
}

/** Model versions whose source run used a data version; they inherit lineage through that run. */
export function modelVersionsUsingData(store: Store, target: string): ModelVersionUsingData[] {
  const { sql, args } = targetClause(target);
  const rows = store.db
    .prepare(
      `SELECT m.name, m.version, m.run_id, d.path, d.md5 FROM run_data_versions d JOIN model_versions m ON m.run_id = d.run_uuid
       WHERE ${sql} ORDER BY m.name, m.version, d.path`,
    )
    .all(...args) as { name: string; version: number; run_id: string; path: string; md5: string }[];
  return rows.map((r) => ({ name: r.name, version: r.version, runId: r.run_id, path: r.path, md5: r.md5 }));
}

/** Model versions registered from run `runId`. */
export function modelVersionsOfRun(store: Store, runId: string): { name: string; version: number }[] {
  return store.db.prepare('SELECT name, version FROM model_versions WHERE run_id = ? ORDER BY name, version').all(runId) as { name: string; version: number }[];
}

/**
 * The data versions behind a model version: those of its source run. `runId` is null (and `data` empty) for a version
 * registered from a file outside any run.
 */
export function dataVersionsOfModelVersion(store: Store, name: string, version: number): { runId: string | null; data: DataVersion[] } {
  const row = store.db.prepare('SELECT run_id FROM model_versions WHERE name = ? AND version = ?').get(name, version) as { run_id: string | null } | undefined;
  if (!row) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Model version ${name}:${version} not found. List versions with \`slipway models show ${name}\`.`);
  return { runId: row.run_id, data: row.run_id ? dataVersionsOfRun(store, row.run_id) : [] };
}
