import { existsSync } from 'node:fs';
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
  return [...new Set(entries.map((e) => e.md5))].filter((md5) => !existsSync(cache.pathOf(md5)));
}
