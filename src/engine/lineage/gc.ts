import { promises as fs } from 'node:fs';
import { simpleGit } from 'simple-git';
import { quietGitEnv } from '../git/provenance';
import type { ObjectStore } from '../objects';
import { findGitRoot, type OpenProject } from '../project';
import { DataRepo, pointersAtRevision } from '../versioning';
import { loadListing } from '../versioning/listing';
import { allTracked } from '../versioning/pointers';

export interface GcOptions {
  /** Git revisions whose `.dvc` files are roots; default every branch and tag. The workspace is always a root. */
  revs?: readonly string[];
  /** List what would be removed without removing it. */
  dryRun?: boolean;
}

export interface GcObject {
  store: 'data' | 'artifacts';
  oid: string;
  size: number;
}

export interface GcStoreResult {
  root: string;
  kept: number;
  removed: number;
  removedBytes: number;
}

export interface GcResult {
  dryRun: boolean;
  revisions: string[];
  data: GcStoreResult;
  artifacts: GcStoreResult;
  objects: GcObject[];
}

/** Runs that are roots: live ones and, live or not, the source runs of model versions. */
const ROOT_RUNS = `SELECT run_uuid FROM runs WHERE lifecycle_stage = 'active' UNION SELECT run_id FROM model_versions WHERE run_id IS NOT NULL`;

async function refsOf(root: string): Promise<string[]> {
  if (!findGitRoot(root)) return [];
  const git = simpleGit({ baseDir: root }).env(quietGitEnv());
  const out = await git.raw(['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags']);
  return out.split('\n').filter(Boolean);
}

/** Adds a data version and, for a directory, its listing's files. A listing missing from the cache adds only itself. */
async function reachData(cache: ObjectStore, oid: string, into: Set<string>): Promise<void> {
  if (into.has(oid)) return;
  into.add(oid);
  if (!oid.endsWith('.dir')) return;
  const listing = await loadListing(cache, oid).catch(() => null);
  for (const e of listing ?? []) into.add(e.md5);
}

async function sweep(store: ObjectStore, kind: GcObject['store'], candidates: readonly string[], reachable: Set<string>, startedMs: number, dryRun: boolean, removed: GcObject[]): Promise<GcStoreResult> {
  const result: GcStoreResult = { root: store.root, kept: 0, removed: 0, removedBytes: 0 };
  for (const oid of candidates) {
    if (reachable.has(oid)) {
      result.kept++;
      continue;
    }
    const path = store.pathOf(oid);
    const st = await fs.stat(path).catch(() => null);
    if (!st) continue;
    // Written after the sweep began: its record may not be committed yet, so it is not garbage.
    if (st.mtimeMs >= startedMs) {
      result.kept++;
      continue;
    }
    if (!dryRun) await fs.rm(path, { force: true });
    result.removed++;
    result.removedBytes += st.size;
    removed.push({ store: kind, oid, size: st.size });
  }
  return result;
}

/**
 * Removes objects of the data cache and of the artifact store that no root reaches. Roots: the workspace's `.dvc`
 * files; those of every branch and tag (or only `revs`); every live run's artifacts and data versions; and every
 * model version's file and source run. A `.dvc` file that does not parse at any root revision stops gc before it
 * removes anything. Objects are listed before the roots are read, and any written after gc started are kept.
 */
export async function gc(project: OpenProject, options: GcOptions = {}): Promise<GcResult> {
  const root = project.paths.root;
  const startedMs = Date.now();
  const repo = DataRepo.open(root, { store: project.store });
  try {
    const dataOids: string[] = [];
    for await (const oid of repo.cache.list()) dataOids.push(oid);
    const artifactOids: string[] = [];
    for await (const oid of project.tracking.artifacts.list()) artifactOids.push(oid);

    const revisions = options.revs?.length ? [...options.revs] : await refsOf(root);
    const dataRoots = new Set<string>();
    const versions = allTracked(root).map((t) => t.out.md5);
    for (const rev of revisions) versions.push(...(await pointersAtRevision(root, rev)).tracked.map((t) => t.out.md5));
    const db = project.store.db;
    const used = db.prepare(`SELECT DISTINCT md5 FROM run_data_versions WHERE run_uuid IN (${ROOT_RUNS})`).all() as { md5: string }[];
    versions.push(...used.map((r) => r.md5));
    for (const oid of versions) if (oid) await reachData(repo.cache, oid, dataRoots);

    const artifactRows = db
      .prepare(
        `SELECT md5 FROM artifacts WHERE run_uuid IN (${ROOT_RUNS})
         UNION SELECT md5 FROM logged_model_artifacts
         UNION SELECT file_md5 FROM model_versions WHERE file_md5 IS NOT NULL`,
      )
      .all() as { md5: string }[];
    const artifactRoots = new Set(artifactRows.map((r) => r.md5));

    const objects: GcObject[] = [];
    const dryRun = options.dryRun === true;
    const data = await sweep(repo.cache, 'data', dataOids, dataRoots, startedMs, dryRun, objects);
    const artifacts = await sweep(project.tracking.artifacts, 'artifacts', artifactOids, artifactRoots, startedMs, dryRun, objects);
    return { dryRun, revisions, data, artifacts, objects };
  } finally {
    await repo.close();
  }
}
