import { existsSync, promises as fs } from 'node:fs';
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
