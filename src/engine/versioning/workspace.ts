import { readdirSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from '../errors';
import { hashListing, type ListingEntry } from '../hashing';
import type { DataRepo, ProgressCallback } from './repo';
import { SKIPPED_DIRS, toRel } from './pointers';
import { StateCache, type StateRecord } from './state';

/** A regular file found in the workspace. */
export interface WorkspaceFile {
  /** Root-relative, `/`-separated. */
  rel: string;
  abs: string;
  ino: string;
  mtimeNs: string;
  size: number;
  mode: number;
}

/** The current content of a tracked path. */
export type WorkspaceVersion =
  | { kind: 'file'; md5: string; size: number; isexec: boolean }
  | { kind: 'dir'; oid: string; size: number; nfiles: number; entries: ListingEntry[]; listing: Buffer };

/** Stat of a path, or null when it does not exist. Permission problems become clear errors. */
export function statOrNull(abs: string): BigIntStats | null {
  try {
    return statSync(abs, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw fsError(error, abs);
  }
}

/** Turns a filesystem error into one sentence naming the path and what to do. */
export function fsError(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new SlipwayError('PERMISSION_DENIED', `Permission denied on ${path}. Give the user running Slipway access to it (chmod/chown) and retry; nothing was recorded for it.`, { cause: error });
  }
  if (code === 'ENOSPC') return new SlipwayError('INTERNAL_ERROR', `The disk is full while writing ${path}. Free space and retry.`, { cause: error });
  return error instanceof Error ? error : new Error(String(error));
}

function identity(st: BigIntStats): { ino: string; mtimeNs: string; size: number; mode: number } {
  return { ino: st.ino.toString(), mtimeNs: st.mtimeNs.toString(), size: Number(st.size), mode: Number(st.mode) };
}

/** Every regular file under `absDir` (symlinks followed), skipping VCS and tool folders. Sorted by path. */
export function walkFiles(root: string, absDir: string): WorkspaceFile[] {
  const out: WorkspaceFile[] = [];
  const visit = (dir: string, relDir: string) => {
    let names: Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw fsError(error, dir);
    }
    for (const entry of names) {
      const abs = `${dir}/${entry.name}`;
      const rel = `${relDir}/${entry.name}`;
      // The entry type saves a stat for folders; files need one anyway (inode, mtime, size), links are followed.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(abs, rel);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      const st = statOrNull(abs);
      if (!st) continue; // a dangling symlink or a file removed meanwhile
      if (st.isFile()) out.push({ rel, abs, ...identity(st) });
      else if (st.isDirectory() && !SKIPPED_DIRS.has(entry.name)) visit(abs, rel);
    }
  };
  visit(absDir, toRel(root, absDir));
  return out;
}

export function fileOf(root: string, abs: string, st: BigIntStats): WorkspaceFile {
  return { rel: toRel(root, abs), abs, ...identity(st) };
}

const RETRIES = 2;

/**
 * md5 of each file: from the state cache when the file's identity is unchanged, else read by the hashing pool. With
 * `store`, every file's bytes also end up in the cache (files known from the state cache are written only when their
 * object is missing). Files that change while read are retried, then reported.
 */
export async function hashFiles(
  repo: DataRepo,
  files: readonly WorkspaceFile[],
  options: { store: boolean; state: Map<string, StateRecord>; onProgress?: ProgressCallback; fresh: Map<string, StateRecord> },
): Promise<Map<string, string>> {
  const md5s = new Map<string, string>();
  let todo: WorkspaceFile[] = [];
  for (const f of files) {
    const known = StateCache.match(options.state.get(f.rel), f);
    if (known && (!options.store || (await repo.cache.has(known)))) md5s.set(f.rel, known);
    else todo.push(f);
  }
  const totalBytes = todo.reduce((s, f) => s + f.size, 0);
  const progress = { phase: 'hash' as const, doneBytes: 0, totalBytes, doneFiles: 0, totalFiles: todo.length };
  options.onProgress?.({ ...progress });
  for (let attempt = 0; todo.length; attempt++) {
    const results = await repo.pool.run(
      todo.map((f) => ({ path: f.abs, size: f.size })),
      {
        store: options.store ? { root: repo.cache.root, fsync: repo.cache.fsync } : undefined,
        onBytes: (n) => {
          progress.doneBytes += n;
          options.onProgress?.({ ...progress });
        },
      },
    );
    const retry: WorkspaceFile[] = [];
    results.forEach((r, i) => {
      const f = todo[i]!;
      if (r.error) {
        if (r.error.code === 'ECHANGED' && attempt < RETRIES) {
          const st = statOrNull(f.abs);
          if (st) retry.push({ ...f, ...identity(st) });
          return;
        }
        throw hashError(r.error, f.abs);
      }
      md5s.set(f.rel, r.md5);
      options.fresh.set(f.rel, { ino: r.ino, mtimeNs: r.mtimeNs, size: r.size, md5: r.md5 });
      progress.doneFiles++;
    });
    options.onProgress?.({ ...progress });
    todo = retry;
  }
  return md5s;
}

function hashError(error: { code: string; message: string; path?: string }, path: string): Error {
  if (error.code === 'ECHANGED') {
    return new SlipwayError('INVALID_STATE', `${path} kept changing while it was being hashed. Wait for the program writing it to finish, then retry; nothing was recorded for it.`);
  }
  if (error.code === 'ENOENT') return new SlipwayError('INVALID_STATE', `${path} disappeared while it was being hashed. Retry once it is in place.`);
  // The failing path may be the cache's (a temporary object file) rather than the workspace file.
  return fsError(Object.assign(new Error(error.message), { code: error.code }), error.path ?? path);
}

/**
 * The current version of a tracked path (null when it does not exist). `store` also writes its bytes, and a
 * directory's listing, into the cache. `fresh` collects newly computed hashes for the state cache.
 */
export async function versionOf(
  repo: DataRepo,
  rel: string,
  options: { store: boolean; onProgress?: ProgressCallback; fresh: Map<string, StateRecord> },
): Promise<WorkspaceVersion | null> {
  const abs = join(repo.root, rel);
  const st = statOrNull(abs);
  if (!st) return null;
  const state = repo.state.load(rel);
  if (st.isFile()) {
    const file = fileOf(repo.root, abs, st);
    const md5 = (await hashFiles(repo, [file], { ...options, state })).get(rel)!;
    return { kind: 'file', md5, size: file.size, isexec: (file.mode & 0o111) !== 0 };
  }
  if (!st.isDirectory()) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${abs} is neither a file nor a folder; only those can be tracked.`);
  const files = walkFiles(repo.root, abs);
  const md5s = await hashFiles(repo, files, { ...options, state });
  const entries = files.map((f) => ({ relpath: f.rel.slice(rel.length + 1), md5: md5s.get(f.rel)! }));
  const listing = hashListing(entries);
  if (options.store) await repo.cache.putBuffer(listing.bytes, { suffix: '.dir' });
  const size = files.reduce((s, f) => s + f.size, 0);
  return { kind: 'dir', oid: listing.oid, size, nfiles: listing.nfiles, entries: listing.entries, listing: listing.bytes };
}

/** The object id a version is stored under. */
export function oidOf(version: WorkspaceVersion): string {
  return version.kind === 'file' ? version.md5 : version.oid;
}
