import { createHash } from 'node:crypto';
import { existsSync, promises as fs, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseListing, type ListingEntry } from '../hashing';
import type { ObjectStore } from '../objects';

/** Reads a `.dir` object from the cache, verifying its hash; null when it is absent. Corruption throws. */
export async function loadListing(cache: ObjectStore, oid: string): Promise<ListingEntry[] | null> {
  if (!(await cache.has(oid))) return null;
  return parseListing(await cache.read(oid), `Cache object ${oid}`);
}

/** Object ids a version needs that the cache lacks (the `.dir` object itself included). */
export async function missingObjects(cache: ObjectStore, oid: string): Promise<string[]> {
  if (!oid.endsWith('.dir')) return (await cache.has(oid)) ? [] : [oid];
  const entries = await loadListing(cache, oid);
  if (!entries) return [oid];
  const wanted = [...new Set(entries.map((e) => e.md5))];
  if (wanted.length < 2048) return wanted.filter((md5) => !existsSync(cache.pathOf(md5)));
  // Many objects: listing the cache's 256 shard folders costs fewer system calls than one stat per object.
  const present = new Set<string>();
  const shards = new Set(wanted.map((md5) => md5.slice(0, 2)));
  for (const shard of shards) {
    const dir = join(cache.root, 'files', 'md5', shard);
    for (const rest of await fs.readdir(dir).catch(() => [] as string[])) present.add(shard + rest);
  }
  return wanted.filter((md5) => !present.has(md5));
}

/**
 * Identity of the cache's 256 shard folders (inode and mtime of each). Deleting or adding an object changes its
 * folder's mtime, so while this value stays the same, a version found complete stays complete.
 */
export function cacheFingerprint(cache: ObjectStore): { fingerprint: string; settled: boolean } {
  const base = join(cache.root, 'files', 'md5');
  const hash = createHash('md5').update(base);
  let newest = 0n;
  for (let i = 0; i < 256; i++) {
    const st = statSync(join(base, i.toString(16).padStart(2, '0')), { bigint: true, throwIfNoEntry: false });
    hash.update(st ? `${st.ino}:${st.mtimeNs};` : '-;');
    if (st && st.mtimeNs > newest) newest = st.mtimeNs;
  }
  // A folder changed within the last moments could change again within the same timestamp tick, unseen.
  const settled = newest < BigInt(Date.now() - 50) * 1_000_000n;
  return { fingerprint: hash.digest('hex'), settled };
}
