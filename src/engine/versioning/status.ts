import type { DataRepo, ProgressCallback } from './repo';
import { cacheFingerprint, loadListing, missingObjects } from './listing';
import { selectTracked, type Tracked } from './pointers';
import type { StateRecord } from './state';
import { oidOf, versionOf, type WorkspaceVersion } from './workspace';

/** How the workspace compares with the version a `.dvc` file records. */
export type WorkspaceState = 'unchanged' | 'modified' | 'missing' | 'not-saved';

/** Status of one tracked path. */
export interface TrackedStatus {
  path: string;
  dvcFile: string;
  /** Version in the `.dvc` file (md5 or `<md5>.dir`), if any. */
  recorded?: string;
  /** Version in the workspace, if the path exists. */
  current?: string;
  workspace: WorkspaceState;
  /** False when the cache lacks an object the recorded version needs (it cannot be checked out). */
  inCache: boolean;
  /** For folders: files added, modified and deleted relative to the recorded listing (when the cache holds it). */
  files?: { added: string[]; modified: string[]; deleted: string[] };
}

export interface StatusOptions {
  cwd?: string;
  onProgress?: ProgressCallback;
}

/**
 * Compares each tracked path (all, or those `targets` name) with its `.dvc` file and the cache. Unchanged files are
 * recognised from the state cache without being read.
 */
export async function status(repo: DataRepo, targets?: readonly string[], options: StatusOptions = {}): Promise<TrackedStatus[]> {
  const tracked = selectTracked(repo.root, options.cwd ?? repo.root, targets);
  const fresh = new Map<string, StateRecord>();
  const startedNs = BigInt(Date.now()) * 1_000_000n;
  const out: TrackedStatus[] = [];
  for (const t of tracked) out.push(await statusOf(repo, t, fresh, options.onProgress));
  repo.state.save(fresh, startedNs);
  return out;
}

async function statusOf(repo: DataRepo, t: Tracked, fresh: Map<string, StateRecord>, onProgress?: ProgressCallback): Promise<TrackedStatus> {
  const recorded = t.out.md5;
  // A version seen complete is trusted while no shard folder of the cache changed; otherwise the cache check runs on
  // the thread pool while this thread walks the workspace.
  const { fingerprint, settled } = recorded ? cacheFingerprint(repo.cache) : { fingerprint: '', settled: false };
  const known = recorded ? repo.state.cacheChecked(recorded, fingerprint) : false;
  const missing = known ? Promise.resolve([]) : recorded ? missingObjects(repo.cache, recorded).catch(() => ['unreadable']) : Promise.resolve(['none']);
  const version = await versionOf(repo, t.path, { store: false, fresh, onProgress });
  const current = version ? oidOf(version) : undefined;
  const inCache = (await missing).length === 0;
  if (recorded && inCache && !known && settled) repo.state.markCacheChecked(recorded, fingerprint);
  const workspace: WorkspaceState = !recorded ? 'not-saved' : !version ? 'missing' : current === recorded ? 'unchanged' : 'modified';
  const result: TrackedStatus = { path: t.path, dvcFile: t.dvcFile, recorded, current, workspace, inCache };
  if (workspace === 'modified' && recorded?.endsWith('.dir') && version?.kind === 'dir') {
    const before = await loadListing(repo.cache, recorded).catch(() => null);
    if (before) result.files = compareListings(before, version);
  }
  return result;
}

function compareListings(before: { relpath: string; md5: string }[], now: WorkspaceVersion & { kind: 'dir' }): TrackedStatus['files'] {
  const old = new Map(before.map((e) => [e.relpath, e.md5]));
  const cur = new Map(now.entries.map((e) => [e.relpath, e.md5]));
  const added = [...cur.keys()].filter((k) => !old.has(k));
  const deleted = [...old.keys()].filter((k) => !cur.has(k));
  const modified = [...cur.keys()].filter((k) => old.has(k) && old.get(k) !== cur.get(k));
  return { added, modified, deleted };
}
