import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { ObjectStore } from '../objects';
import type { Store } from '../store';
import type { RemoteObjects, RemoteStore } from '../versioning';
import { forEachLimit } from '../versioning/restore';
import { RemoteLayout } from './layout';
import { pullRegistry, pushRegistry, type RegistryPullSummary, type RegistryPushSummary } from './registry';
import { pullRuns, pushRuns } from './runs';

export { RemoteLayout } from './layout';
export { readRemoteAudit, SyncBehindError } from './registry';
export type { RegistryPullSummary, RegistryPushSummary } from './registry';

/** Where the project keeps what it last saw of a remote (one small file per remote, named by the remote's id). */
function statePath(stateDir: string, remoteId: string): string {
  return join(stateDir, 'remotes', `${createHash('md5').update(remoteId).digest('hex')}.json`);
}

/** Artifact objects the store refers to: run artifacts, logged-model files and registered model files. */
function referencedObjects(store: Store): string[] {
  return store.read(
    () =>
      (
        store.db
          .prepare(
            `SELECT md5 FROM artifacts UNION SELECT md5 FROM logged_model_artifacts
             UNION SELECT file_md5 FROM model_versions WHERE file_md5 IS NOT NULL`,
          )
          .all() as { md5: string }[]
      ).map((r) => r.md5),
  );
}

/** Moves the objects in `oids` that one side has and the other lacks, a few at a time; returns how many moved. */
async function copyMissing(direction: 'push' | 'pull', local: ObjectStore, remote: RemoteObjects, oids: readonly string[]): Promise<number> {
  const unique = [...new Set(oids)];
  const hasLocal = async (oid: string) => local.has(oid);
  let todo: string[];
  if (direction === 'push') {
    const there = await remote.present(unique);
    todo = [];
    for (const oid of unique) {
      const size = await fs.stat(local.pathOf(oid)).then((st) => st.size, () => null);
      if (size !== null && there.get(oid) !== size) todo.push(oid);
    }
  } else {
    const absent: string[] = [];
    for (const oid of unique) if (!(await hasLocal(oid))) absent.push(oid);
    const there = await remote.present(absent);
    todo = absent.filter((oid) => there.has(oid));
  }
  await forEachLimit(todo, 8, (oid) => (direction === 'push' ? remote.upload(local, oid) : remote.download(oid, local)));
  return todo.length;
}

export interface SyncContext {
  store: Store;
  /** The project's artifact store (.slipway/artifacts). */
  artifacts: ObjectStore;
  /** The project's .slipway folder. */
  stateDir: string;
  /** The remote (a folder path stands for a filesystem remote). */
  remote: RemoteStore | string;
}

/** What a push of Slipway's records sent; all zero when the remote already had everything. */
export interface SyncPushResult {
  runs: number;
  artifacts: number;
  auditEntries: number;
  snapshotWritten: boolean;
}

export interface SyncPullResult {
  runs: string[];
  artifacts: number;
  registry: RegistryPullSummary;
}

/**
 * Sends run records, the artifact objects they and the registry's versions refer to, the audit entries the remote
 * lacks and the registry snapshot, under `slipway/` in the remote. Objects go first, so a remote record never names
 * an object the remote lacks. Throws SyncBehindError when the remote's registry moved since the last sync.
 */
export async function pushRecords(ctx: SyncContext): Promise<SyncPushResult> {
  const layout = new RemoteLayout(ctx.remote);
  await layout.remote.probe();
  const artifacts = await copyMissing('push', ctx.artifacts, layout.remote.objects(layout.artifactsKey), referencedObjects(ctx.store));
  const runs = await pushRuns(ctx.store, layout);
  const registry: RegistryPushSummary = await pushRegistry(ctx.store, layout, statePath(ctx.stateDir, layout.remote.id));
  return { runs, artifacts, ...registry };
}

/**
 * Takes the remote's runs this project lacks, merges its registry (refusing on conflict, see applyPull) and fetches
 * the artifact objects both refer to, verified against their hashes.
 */
export async function pullRecords(ctx: SyncContext): Promise<SyncPullResult> {
  const layout = new RemoteLayout(ctx.remote);
  await layout.remote.probe();
  // Runs first: a version registered from a run's artifact resolves its file through that run's artifact rows.
  const runs = await pullRuns(ctx.store, layout);
  const registry = await pullRegistry(ctx.store, layout, statePath(ctx.stateDir, layout.remote.id));
  const artifacts = await copyMissing('pull', ctx.artifacts, layout.remote.objects(layout.artifactsKey), referencedObjects(ctx.store));
  return { runs, artifacts, registry };
}
