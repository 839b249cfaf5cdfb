import { messageOf } from '../errors';
import { randomBytes } from 'node:crypto';
import { constants, createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DataRepo } from './repo';
import { fsError } from './workspace';

/**
 * Writes cache object `md5` to `abs`: into a temporary file beside it, verified against the hash while copying (a
 * corrupt object raises CORRUPT_OBJECT and the workspace file is left as it was), then renamed over it. With cache
 * type reflink the object is verified first and cloned, falling back to a copy.
 */
export async function restoreFile(repo: DataRepo, md5: string, abs: string, isexec: boolean): Promise<void> {
  await fs.mkdir(dirname(abs), { recursive: true }).catch((error: unknown) => {
    throw fsError(error, dirname(abs));
  });
  const tmp = join(dirname(abs), `.${basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = isexec ? 0o755 : 0o644;
  try {
    let cloned = false;
    if (repo.cacheType === 'reflink') {
      if (!(await repo.cache.verify(md5))) {
        if (await repo.cache.has(md5)) throw repo.cache.corrupt(md5);
        throw repo.cache.missing(md5);
      }
      try {
        await fs.copyFile(repo.cache.pathOf(md5), tmp, constants.COPYFILE_FICLONE_FORCE);
        await fs.chmod(tmp, mode);
        cloned = true;
      } catch {
        await fs.rm(tmp, { force: true });
      }
    }
    if (!cloned) await pipeline(repo.cache.openVerified(md5), createWriteStream(tmp, { flags: 'wx', mode }));
    await fs.rename(tmp, abs);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw fsError(error, abs);
  }
}

/** Runs `fn` over `items` with at most `limit` in flight; the first failure stops new work and is rethrown. */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const lane = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failed ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed !== null) throw failed instanceof Error ? failed : new Error(messageOf(failed));
}

/** Removes folders under `top` (and `top`) that became empty, deepest first. */
export async function pruneEmptyDirs(top: string, candidates: Iterable<string>): Promise<void> {
  const dirs = new Set<string>();
  for (const c of candidates) for (let d = dirname(c); d.startsWith(top + '/') || d === top; d = dirname(d)) dirs.add(d);
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    await fs.rmdir(d).catch(() => undefined);
  }
}
