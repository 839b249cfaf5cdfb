import { loadListing } from './listing';
import { allTracked, type Tracked } from './pointers';
import type { DataRepo } from './repo';
import { pointersAtRevision } from './revision';

/** One changed tracked path (or, inside a tracked folder, one changed file). */
export interface DiffEntry {
  path: string;
  old?: string;
  new?: string;
}

export interface DataDiff {
  added: DiffEntry[];
  modified: DiffEntry[];
  deleted: DiffEntry[];
}

/** `workspace` names the `.dvc` files as they are on disk now. */
export const WORKSPACE = 'workspace';

/**
 * Tracked data that differs between two revisions (git revisions or {@link WORKSPACE}), compared by the versions their
 * `.dvc` files record. Inside a tracked folder, files are listed too when the cache holds both listings.
 */
export async function diff(repo: DataRepo, revA: string, revB: string = WORKSPACE): Promise<DataDiff> {
  const [a, b] = await Promise.all([trackedAt(repo, revA), trackedAt(repo, revB)]);
  const result: DataDiff = { added: [], modified: [], deleted: [] };
  const before = new Map(a.map((t) => [t.path, t.out.md5]));
  const after = new Map(b.map((t) => [t.path, t.out.md5]));
  for (const [path, md5] of after) {
    if (!before.has(path)) result.added.push({ path, new: md5 });
    else if (before.get(path) !== md5) {
      result.modified.push({ path, old: before.get(path), new: md5 });
      await diffInside(repo, path, before.get(path), md5, result);
    }
  }
  for (const [path, md5] of before) if (!after.has(path)) result.deleted.push({ path, old: md5 });
  for (const list of [result.added, result.modified, result.deleted]) list.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return result;
}

async function trackedAt(repo: DataRepo, rev: string): Promise<Tracked[]> {
  return rev === WORKSPACE ? allTracked(repo.root) : (await pointersAtRevision(repo.root, rev)).tracked;
}

async function diffInside(repo: DataRepo, path: string, oldOid: string | undefined, newOid: string | undefined, result: DataDiff): Promise<void> {
  if (!oldOid?.endsWith('.dir') || !newOid?.endsWith('.dir')) return;
  const [oldList, newList] = await Promise.all([loadListing(repo.cache, oldOid).catch(() => null), loadListing(repo.cache, newOid).catch(() => null)]);
  if (!oldList || !newList) return;
  const o = new Map(oldList.map((e) => [e.relpath, e.md5]));
  const n = new Map(newList.map((e) => [e.relpath, e.md5]));
  for (const [rel, md5] of n) {
    if (!o.has(rel)) result.added.push({ path: `${path}/${rel}`, new: md5 });
    else if (o.get(rel) !== md5) result.modified.push({ path: `${path}/${rel}`, old: o.get(rel), new: md5 });
  }
  for (const [rel, md5] of o) if (!n.has(rel)) result.deleted.push({ path: `${path}/${rel}`, old: md5 });
}
