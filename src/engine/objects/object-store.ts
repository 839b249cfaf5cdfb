import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SlipwayError } from '../errors';

export interface StoredObject {
  md5: string;
  size: number;
}

/** An object id: an md5, or an md5 plus `.dir` for a directory listing (DVC's naming). */
const OID = /^[0-9a-f]{32}(\.dir)?$/;

/** The md5 an object id must match: the id without DVC's `.dir` suffix. */
export function md5OfOid(oid: string): string {
  return oid.endsWith('.dir') ? oid.slice(0, -4) : oid;
}

export interface ObjectStoreOptions {
  /**
   * fsync each object before it is renamed into place (default true). Renames alone already guarantee that a killed
   * process never leaves a half-written object; fsync adds survival of a power loss at the cost of write speed.
   */
  fsync?: boolean;
}

/** md5 of a file's raw bytes, streamed with constant memory. */
export async function md5File(path: string): Promise<StoredObject> {
  const hash = createHash('md5');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { md5: hash.digest('hex'), size };
}

export function md5Buffer(data: Uint8Array | string): string {
  return createHash('md5').update(data).digest('hex');
}

/**
 * A content-addressed store of immutable objects under `root/files/md5/xx/rest` (DVC 3's cache layout).
 *
 * Writes are atomic: bytes go to a temporary file in the same folder, are fsynced, then renamed into place, so a
 * killed writer leaves at most a stray `.tmp` file and never a half-written object. Reads verify the hash.
 */
export class ObjectStore {
  readonly fsync: boolean;

  constructor(
    readonly root: string,
    options: ObjectStoreOptions = {},
  ) {
    this.fsync = options.fsync ?? true;
  }

  /** Path of the object with this id (which need not exist): an md5, or an md5 plus `.dir`. */
  pathOf(md5: string): string {
    if (!OID.test(md5)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${md5}" is not an md5 hash (32 lowercase hex characters, optionally followed by .dir).`);
    return join(this.root, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
  }

  /** A fresh temporary path inside the store (same filesystem as the objects, so {@link adopt} is a rename). */
  async tempPath(): Promise<string> {
    const tmpDir = join(this.root, 'tmp');
    await fs.mkdir(tmpDir, { recursive: true });
    return join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
  }

  /**
   * Moves a finished temporary file into place as object `oid`, synced first when the store fsyncs. The caller vouches
   * that the file's bytes hash to `oid` (it computed the hash while writing them); the rename makes the object appear
   * whole or not at all.
   */
  async adopt(tmp: string, oid: string): Promise<void> {
    await this.syncFile(tmp);
    const target = this.pathOf(oid);
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.chmod(tmp, 0o444);
    await fs.rename(tmp, target);
  }

  /** Flushes a written file to disk when the store fsyncs (see {@link ObjectStoreOptions.fsync}). */
  private async syncFile(path: string): Promise<void> {
    if (!this.fsync) return;
    const handle = await fs.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Every object id in the store, in no particular order (stray temporary files are skipped). */
  async *list(): AsyncGenerator<string> {
    const base = join(this.root, 'files', 'md5');
    let prefixes: string[];
    try {
      prefixes = await fs.readdir(base);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const prefix of prefixes.sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of (await fs.readdir(join(base, prefix))).sort()) {
        const oid = prefix + rest;
        if (OID.test(oid)) yield oid;
      }
    }
  }

  async has(md5: string): Promise<boolean> {
    try {
      await fs.access(this.pathOf(md5));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stores bytes and returns their hash. Storing an object that exists is a no-op. `suffix: '.dir'` stores a
   * directory listing under DVC's `<md5>.dir` name.
   */
  async putBuffer(data: Uint8Array, options: { suffix?: '.dir' } = {}): Promise<StoredObject> {
    const md5 = md5Buffer(data) + (options.suffix ?? '');
    if (!(await this.has(md5))) {
      await this.atomicWrite(md5, async (tmp) => {
        const handle = await fs.open(tmp, 'wx', 0o444);
        try {
          await handle.writeFile(data);
          if (this.fsync) await handle.sync();
        } finally {
          await handle.close();
        }
      });
    }
    return { md5, size: data.byteLength };
  }

  /** Stores a stream, hashing while it is written (one pass, constant memory). */
  async putStream(source: Readable): Promise<StoredObject> {
    const tmpDir = join(this.root, 'tmp');
    await fs.mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.tmp`);
    const hash = createHash('md5');
    let size = 0;
    try {
      const out = createWriteStream(tmp, { flags: 'wx', mode: 0o444 });
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        },
        out,
      );
      await this.syncFile(tmp);
      const md5 = hash.digest('hex');
      const target = this.pathOf(md5);
      await fs.mkdir(dirname(target), { recursive: true });
      await fs.rename(tmp, target);
      return { md5, size };
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  /** Copies a file into the store. */
  async putFile(path: string): Promise<StoredObject> {
    return this.putStream(createReadStream(path, { highWaterMark: 1 << 20 }));
  }

  /** Reads an object whole, verifying its hash. */
  async read(md5: string): Promise<Buffer> {
    const data = await this.readRaw(md5);
    if (md5Buffer(data) !== md5OfOid(md5)) throw this.corrupt(md5);
    return data;
  }

  /**
   * Streams an object, verifying its hash as it goes: the stream errors with CORRUPT_OBJECT at its end when the bytes
   * do not match, so a consumer never treats a damaged object as complete.
   */
  openVerified(md5: string): Readable {
    const path = this.pathOf(md5);
    const hash = createHash('md5');
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const missing = () => this.missing(md5);
    const corrupt = () => this.corrupt(md5);
    return Readable.from(
      (async function* () {
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            hash.update(chunk);
            yield chunk;
          }
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing();
          throw error;
        }
        if (hash.digest('hex') !== md5OfOid(md5)) throw corrupt();
      })(),
    );
  }

  /** Checks an object's bytes against its name. */
  async verify(md5: string): Promise<boolean> {
    try {
      return (await md5File(this.pathOf(md5))).md5 === md5OfOid(md5);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  private async readRaw(md5: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(md5));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw this.missing(md5);
      throw error;
    }
  }

  private async atomicWrite(md5: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(md5);
    await fs.mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await write(tmp);
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  /** The error for an object that is absent. */
  missing(md5: string): SlipwayError {
    return new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Object ${md5} is not in ${this.root}.`);
  }

  /** The error for an object whose bytes no longer match its name. */
  corrupt(md5: string): SlipwayError {
    return new SlipwayError(
      'CORRUPT_OBJECT',
      `Object ${md5} in ${this.root} is corrupt: its bytes no longer match its hash. Restore it from a remote or re-create it; it was not used.`,
    );
  }
}
