import { existsSync, promises as fs } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadProjectConfig } from '../config';
import { SlipwayError } from '../errors';
import { ObjectStore } from '../objects';
import { checkout, type CheckoutResult } from './checkout';
import { loadListing } from './listing';
import { selectTracked, type Tracked } from './pointers';
import { dvcRemotes, type RemoteSpec } from './remote-config';
import type { DataRepo, ProgressCallback } from './repo';
import { FsRemote, type RemoteObjects, type RemoteStore } from './remote-store';
import { forEachLimit } from './restore';
import { S3Remote, type S3RemoteOptions } from './s3-remote';
import { s3Settings } from './s3-settings';

/** A remote resolved to where it keeps objects: a folder or an S3-compatible bucket, both in DVC's layout. */
export interface Remote {
  name: string;
  url: string;
  store: RemoteStore;
}

/** Every configured remote: `.dvc/config` when the project uses DVC, else slipway.yaml's `remotes:`. */
export function listRemotes(root: string): RemoteSpec[] {
  if (existsSync(join(root, '.dvc'))) return dvcRemotes(root);
  return loadProjectConfig(root).settings.remotes;
}

/** Opens the store a remote's URL names: `s3://` for S3-compatible storage, a path or `file://` URL for a folder. */
export function openRemoteStore(root: string, spec: RemoteSpec, options: S3RemoteOptions = {}): RemoteStore {
  if (spec.url.startsWith('s3://')) return new S3Remote(s3Settings(spec.name, spec.url, spec.options ?? {}), options);
  const local = spec.url.startsWith('file://') ? spec.url.slice('file://'.length) : spec.url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(local)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Remote "${spec.name}" (${spec.url}): only filesystem and s3:// remotes are supported.`);
  }
  return new FsRemote(isAbsolute(local) ? local : resolve(root, local));
}

/** The remote named `name`, or the default one (the only one, or the one marked default). */
export function resolveRemote(root: string, name?: string, options: S3RemoteOptions = {}): Remote {
  const all = listRemotes(root);
  let spec: RemoteSpec | undefined;
  if (name) {
    spec = all.find((r) => r.name === name);
    if (!spec) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No remote named "${name}"${all.length ? ` (configured: ${all.map((r) => r.name).join(', ')})` : ''}. Add it with \`slipway remote add ${name} URL\`.`);
  } else {
    spec = all.find((r) => r.isDefault) ?? (all.length === 1 ? all[0] : undefined);
    if (!spec) {
      throw new SlipwayError(
        'INVALID_PARAMETER_VALUE',
        all.length ? `Several remotes are configured (${all.map((r) => r.name).join(', ')}) and none is the default; name one.` : 'No remote is configured. Add one with `slipway remote add NAME URL`.',
      );
    }
  }
  return { name: spec.name, url: spec.url, store: openRemoteStore(root, spec, options) };
}

/** What a transfer did. */
export interface TransferResult {
  remote: string;
  /** Objects the selected versions need. */
  needed: number;
  /** Objects copied (the others were already there). */
  transferred: number;
  /** Objects the source lacks (not pushed / not fetched). */
  missing: string[];
}

export interface TransferOptions {
  remote?: string;
  cwd?: string;
  jobs?: number;
  onProgress?: ProgressCallback;
  /** Called after each object lands, with its id (for progress and tests). */
  onObject?: (oid: string) => void;
  /** Tuning of S3 remotes (multipart threshold and part size). */
  s3?: S3RemoteOptions;
}

/**
 * Object ids the tracked versions need, files first and `.dir` listings last: a listing is only sent once every file
 * it names is there, so a remote that has a listing has its files.
 */
async function neededObjects(listings: ObjectStore[], tracked: readonly Tracked[]): Promise<{ files: string[]; dirs: string[] }> {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const t of tracked) {
    const oid = t.out.md5;
    if (!oid) continue;
    if (!oid.endsWith('.dir')) {
      files.add(oid);
      continue;
    }
    dirs.add(oid);
    let entries = null;
    for (const store of listings) {
      entries = await loadListing(store, oid);
      if (entries) break;
    }
    for (const e of entries ?? []) files.add(e.md5);
  }
  return { files: [...files], dirs: [...dirs] };
}

/**
 * Moves the wanted objects one way, files before listings. Present objects are asked for in bulk (a listing per key
 * prefix on S3), so a push of thousands of small files does not cost a request each just to learn what is there.
 */
async function transfer(
  direction: 'push' | 'fetch',
  cache: ObjectStore,
  objects: RemoteObjects,
  wanted: { files: string[]; dirs: string[] },
  remote: string,
  options: TransferOptions,
): Promise<TransferResult> {
  const result: TransferResult = { remote, needed: wanted.files.length + wanted.dirs.length, transferred: 0, missing: [] };
  const progress = { phase: 'transfer' as const, doneBytes: 0, totalBytes: 0, doneFiles: 0, totalFiles: result.needed };
  const sizes = async (oids: string[]) => {
    const out = new Map<string, number>();
    await forEachLimit(oids, 32, async (oid) => {
      const size = await fs.stat(cache.pathOf(oid)).then(
        (st) => st.size,
        () => null,
      );
      if (size !== null) out.set(oid, size);
    });
    return out;
  };
  for (const batch of [wanted.files, wanted.dirs]) {
    if (!batch.length) continue;
    let todo: string[];
    if (direction === 'push') {
      // An object of the wrong size on the remote (left by a server that does not write atomically) is sent again.
      const [there, local] = await Promise.all([objects.present(batch), sizes(batch)]);
      todo = [];
      for (const oid of batch) {
        if (!local.has(oid)) {
          if (there.has(oid)) progress.doneFiles++;
          else result.missing.push(oid);
        } else if (there.get(oid) === local.get(oid)) progress.doneFiles++;
        else todo.push(oid);
      }
    } else {
      // No existence check first: a GET of an absent object costs what a HEAD would, and says so.
      const local = await sizes(batch);
      todo = batch.filter((oid) => !local.has(oid));
      progress.doneFiles += local.size;
    }
    options.onProgress?.({ ...progress });
    const absent = new Set<string>();
    await forEachLimit(todo, options.jobs ?? 8, async (oid) => {
      if (direction === 'push') await objects.upload(cache, oid);
      else {
        try {
          await objects.download(oid, cache);
        } catch (error) {
          if (!(error instanceof SlipwayError && error.code === 'RESOURCE_DOES_NOT_EXIST')) throw error;
          absent.add(oid);
          return;
        }
      }
      result.transferred++;
      progress.doneFiles++;
      options.onObject?.(oid);
      options.onProgress?.({ ...progress });
    });
    result.missing.push(...todo.filter((oid) => absent.has(oid)));
  }
  return result;
}

/** Sends the objects of tracked versions (all, or those `targets` name) that the remote lacks. */
export async function push(repo: DataRepo, targets?: readonly string[], options: TransferOptions = {}): Promise<TransferResult> {
  const remote = resolveRemote(repo.root, options.remote, options.s3);
  const tracked = selectTracked(repo.root, options.cwd ?? repo.root, targets);
  const wanted = await neededObjects([repo.cache], tracked);
  await remote.store.probe();
  return transfer('push', repo.cache, remote.store.objects(''), wanted, remote.name, options);
}

/** Downloads the objects of tracked versions that the cache lacks, verifying each. The workspace is not touched. */
export async function fetch(repo: DataRepo, targets?: readonly string[], options: TransferOptions = {}): Promise<TransferResult> {
  const remote = resolveRemote(repo.root, options.remote, options.s3);
  const tracked = selectTracked(repo.root, options.cwd ?? repo.root, targets);
  // Listings first, so the files they name are known.
  const dirs = tracked.map((t) => t.out.md5).filter((oid): oid is string => !!oid && oid.endsWith('.dir'));
  await remote.store.probe();
  const objects = remote.store.objects('');
  const listings = await transfer('fetch', repo.cache, objects, { files: [], dirs: [...new Set(dirs)] }, remote.name, options);
  const wanted = await neededObjects([repo.cache], tracked);
  const files = await transfer('fetch', repo.cache, objects, { files: wanted.files, dirs: [] }, remote.name, options);
  return {
    remote: remote.name,
    needed: files.needed + listings.needed,
    transferred: files.transferred + listings.transferred,
    missing: [...listings.missing, ...files.missing],
  };
}

/** Fetches the objects of tracked versions, then checks them out (see {@link checkout} for the safety rules). */
export async function pull(
  repo: DataRepo,
  targets?: readonly string[],
  options: TransferOptions & { force?: boolean } = {},
): Promise<{ fetched: TransferResult; checkedOut: CheckoutResult[] }> {
  const fetched = await fetch(repo, targets, options);
  if (fetched.missing.length) {
    throw new SlipwayError(
      'RESOURCE_DOES_NOT_EXIST',
      `Remote "${fetched.remote}" lacks ${fetched.missing.length} object(s) the tracked versions need (first: ${fetched.missing[0]}); ${fetched.transferred} others were fetched. Push them from a machine that has them.`,
    );
  }
  const checkedOut = await checkout(repo, targets, { cwd: options.cwd, force: options.force, onProgress: options.onProgress });
  return { fetched, checkedOut };
}
