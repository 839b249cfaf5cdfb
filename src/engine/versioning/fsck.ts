import { md5OfOid } from '../objects';
import { parseListing } from '../hashing';
import type { DataRepo, ProgressCallback } from './repo';
import { promises as fs } from 'node:fs';

export interface CorruptObject {
  oid: string;
  path: string;
  reason: string;
}

export interface FsckResult {
  checked: number;
  corrupt: CorruptObject[];
}

/**
 * Re-hashes every object in the data cache (in parallel) and lists those whose bytes no longer match their name, and
 * `.dir` objects that are not valid listings. Nothing is repaired or deleted: restore a corrupt object from a remote,
 * or delete it and re-add its data.
 */
export async function fsck(repo: DataRepo, options: { onProgress?: ProgressCallback } = {}): Promise<FsckResult> {
  const oids: string[] = [];
  for await (const oid of repo.cache.list()) oids.push(oid);
  const paths = oids.map((oid) => repo.cache.pathOf(oid));
  const progress = { phase: 'verify' as const, doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: oids.length };
  const results = await repo.pool.run(
    paths.map((path) => ({ path })),
    {
      onBytes: (n) => {
        progress.doneBytes += n;
        options.onProgress?.({ ...progress });
      },
    },
  );
  const corrupt: CorruptObject[] = [];
  for (let i = 0; i < oids.length; i++) {
    const oid = oids[i]!;
    const r = results[i]!;
    const path = paths[i]!;
    if (r.error) corrupt.push({ oid, path, reason: `unreadable: ${r.error.message}` });
    else if (r.md5 !== md5OfOid(oid)) corrupt.push({ oid, path, reason: `its bytes hash to ${r.md5}` });
    else if (oid.endsWith('.dir')) {
      try {
        parseListing(await fs.readFile(path), oid);
      } catch (error) {
        corrupt.push({ oid, path, reason: (error as Error).message });
      }
    }
  }
  progress.doneFiles = oids.length;
  options.onProgress?.({ ...progress });
  return { checked: oids.length, corrupt };
}
