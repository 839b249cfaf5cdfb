import { createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ObjectStore } from '../objects';
import { readOptional, replaceFileSynced, writeSyncedTemp } from './atomic';
import { fsError } from './workspace';

/**
 * One content-addressed area of a remote (DVC's `files/md5/xx/rest` below a prefix): the data objects at the
 * remote's root, Slipway's artifacts under `slipway/artifacts`.
 */
export interface RemoteObjects {
  /** Where the objects live, for messages (a folder or an `s3://` URL). */
  readonly location: string;
  /** Which of `oids` the remote holds, with their sizes in bytes. */
  present(oids: readonly string[]): Promise<Map<string, number>>;
  /** Every object id held, in no particular order. */
  list(): AsyncGenerator<string>;
  /**
   * Sends cache object `oid`, streamed from the cache and verified against its hash on the way; the remote never
   * shows a partial or corrupt object under the name (CORRUPT_OBJECT when the cache copy is damaged).
   */
  upload(cache: ObjectStore, oid: string): Promise<void>;
  /**
   * Receives `oid` into the cache, verified while streaming; a mismatch fails with CORRUPT_OBJECT naming the remote
   * object, and nothing enters the cache.
   */
  download(oid: string, cache: ObjectStore): Promise<void>;
  delete(oid: string): Promise<void>;
}

/**
 * A project remote: a folder or an S3-compatible bucket. Keys are `/`-separated paths relative to the remote's root
 * (`files/md5/..`, `slipway/runs/<id>.json`). Every write is atomic: a reader sees a whole file or none.
 */
export interface RemoteStore {
  readonly kind: 'filesystem' | 's3';
  /** The folder (absolute) or `s3://bucket/prefix`. */
  readonly location: string;
  /** Identity of the remote for the project's per-remote state (stable across runs). */
  readonly id: string;
  /** The content-addressed objects under `prefix` ('' for the data objects). */
  objects(prefix: string): RemoteObjects;
  /** Fails with one clear sentence when the remote cannot be used (missing bucket, refused credentials, unreachable). */
  probe(): Promise<void>;
  /** A key as the user would find it: a path or an `s3://` URL. */
  where(key: string): string;
  /** A file's text, or null when it does not exist. */
  readText(key: string): Promise<string | null>;
  /** Names directly below `prefix` (files and folders), sorted, temporary files excluded. */
  listNames(prefix: string): Promise<string[]>;
  /** Writes a file that must never change: false, writing nothing, when the key exists. */
  writeOnce(key: string, text: string): Promise<boolean>;
  /** Replaces a file atomically. */
  writeReplace(key: string, text: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Copies one object between stores: verified against its hash while streaming into a temporary file of the
 * destination, which is renamed into place only when complete, so a killed transfer leaves no partial object.
 */
export async function copyObject(from: ObjectStore, to: ObjectStore, oid: string): Promise<void> {
  const tmp = await to.tempPath().catch((error: unknown) => {
    throw fsError(error, to.root);
  });
  try {
    await pipeline(from.openVerified(oid), createWriteStream(tmp, { flags: 'wx', mode: 0o444 }));
    await to.adopt(tmp, oid);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw fsError(error, to.root);
  }
}

class FsObjects implements RemoteObjects {
  constructor(readonly store: ObjectStore) {}

  get location(): string {
    return this.store.root;
  }

  async present(oids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const oid of oids) {
      const size = await fs.stat(this.store.pathOf(oid)).then(
        (s) => s.size,
        () => null,
      );
      if (size !== null) out.set(oid, size);
    }
    return out;
  }

  list(): AsyncGenerator<string> {
    return this.store.list();
  }

  upload(cache: ObjectStore, oid: string): Promise<void> {
    return copyObject(cache, this.store, oid);
  }

  download(oid: string, cache: ObjectStore): Promise<void> {
    return copyObject(this.store, cache, oid);
  }

  async delete(oid: string): Promise<void> {
    await fs.rm(this.store.pathOf(oid), { force: true });
  }
}

/** A remote in a folder (local disk or a mounted share); objects are fsynced before they appear. */
export class FsRemote implements RemoteStore {
  readonly kind = 'filesystem' as const;

  constructor(readonly location: string) {}

  get id(): string {
    return this.location;
  }

  objects(prefix: string): RemoteObjects {
    return new FsObjects(new ObjectStore(prefix ? join(this.location, prefix) : this.location, { fsync: true }));
  }

  async probe(): Promise<void> {}

  where(key: string): string {
    return join(this.location, key);
  }

  readText(key: string): Promise<string | null> {
    return readOptional(this.where(key));
  }

  async listNames(prefix: string): Promise<string[]> {
    try {
      return (await fs.readdir(this.where(prefix))).filter((n) => !n.startsWith('.tmp-')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Complete in a temporary file, then hard-linked into place, which fails instead of replacing when the name exists. */
  async writeOnce(key: string, text: string): Promise<boolean> {
    const path = this.where(key);
    const tmp = await writeSyncedTemp(path, text);
    try {
      await fs.link(tmp, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  writeReplace(key: string, text: string): Promise<void> {
    return replaceFileSynced(this.where(key), text);
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.where(key), { force: true });
  }
}
