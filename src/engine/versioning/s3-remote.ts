import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SlipwayError } from '../errors';
import { md5OfOid, type ObjectStore } from '../objects';
import type { RemoteObjects, RemoteStore } from './remote-store';
import { forEachLimit } from './restore';
import { s3Error, type S3Settings } from './s3-settings';
import { fsError } from './workspace';

export interface S3RemoteOptions {
  /** Objects this large or larger go up in parts (default 64 MiB). */
  multipartThreshold?: number;
  /** Size of each part (default 64 MiB; S3 needs at least 5 MiB for all but the last). */
  partSize?: number;
  /** Requests in flight when checking which objects exist (default 16). */
  jobs?: number;
}

type S3Sdk = typeof import('@aws-sdk/client-s3');

const MiB = 1 << 20;
const LOCAL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EMFILE', 'ENFILE', 'EIO', 'EEXIST', 'ENOENT', 'ENOTDIR']);
/** Objects up to this size are read whole and verified before the request starts, so a retry can resend them. */
const BUFFERED = MiB;

const missingKey = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
};

/** An S3-compatible bucket as a project remote (DVC's layout under `s3://bucket/prefix`). */
export class S3Remote implements RemoteStore {
  readonly kind = 's3' as const;
  private loaded?: Promise<{ s3: S3Sdk; client: S3Client }>;
  readonly multipartThreshold: number;
  readonly partSize: number;
  readonly jobs: number;

  constructor(
    readonly settings: S3Settings,
    options: S3RemoteOptions = {},
  ) {
    this.multipartThreshold = options.multipartThreshold ?? 64 * MiB;
    this.partSize = Math.max(options.partSize ?? 64 * MiB, 5 * MiB);
    this.jobs = options.jobs ?? 16;
  }

  /**
   * The SDK and a client, loaded on first use: the SDK is a large part of the CLI bundle, and commands that never
   * touch an S3 remote should not pay for loading it.
   */
  sdk(): Promise<{ s3: S3Sdk; client: S3Client }> {
    this.loaded ??= import('@aws-sdk/client-s3').then((s3) => ({ s3, client: this.createClient(s3) }));
    return this.loaded;
  }

  private createClient(s3: S3Sdk): S3Client {
    // The SDK warns on stderr about a future Node requirement; the CLI's stderr is for its own messages.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const s = this.settings;
    return new s3.S3Client({
      region: s.region,
      ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
      ...(s.accessKeyId && s.secretAccessKey ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken } } : {}),
      ...(s.profile ? { profile: s.profile } : {}),
      // Slipway verifies md5 itself; the SDK's default CRC trailers (aws-chunked bodies) are not understood by many
      // S3-compatible servers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  get location(): string {
    return `s3://${this.settings.bucket}${this.settings.prefix ? `/${this.settings.prefix}` : ''}`;
  }

  get id(): string {
    return this.settings.endpoint ? `${this.location} at ${this.settings.endpoint}` : this.location;
  }

  key(key: string): string {
    return [this.settings.prefix, key].filter(Boolean).join('/');
  }

  where(key: string): string {
    return `s3://${this.settings.bucket}/${this.key(key)}`;
  }

  /** Sends one request; failures become one clear sentence about `key`. */
  async send<T>(key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw s3Error(error, this.settings, this.where(key));
    }
  }

  objects(prefix: string): RemoteObjects {
    return new S3Objects(this, prefix ? `${prefix}/files/md5` : 'files/md5');
  }

  async probe(): Promise<void> {
    const { s3, client } = await this.sdk();
    await this.send('', () => client.send(new s3.ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: this.key(''), MaxKeys: 1 })));
  }

  /** Every key under `prefix` (a key prefix relative to the remote, e.g. `files/md5/ab/`), relative to the remote. */
  async *keys(prefix: string, delimiter?: string): AsyncGenerator<string> {
    for await (const entry of this.entries(prefix, delimiter)) yield entry.key;
  }

  /** Keys under `prefix` with their sizes (common prefixes, with a delimiter, have size -1). */
  async *entries(prefix: string, delimiter?: string): AsyncGenerator<{ key: string; size: number }> {
    const { s3, client } = await this.sdk();
    const full = this.key(prefix);
    const strip = this.settings.prefix ? this.settings.prefix.length + 1 : 0;
    let token: string | undefined;
    do {
      const page = await this.send(prefix, () =>
        client.send(new s3.ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: full, Delimiter: delimiter, ContinuationToken: token })),
      );
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) yield { key: p.Prefix.slice(strip), size: -1 };
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key.slice(strip), size: o.Size ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.sizeOf(key)) !== null;
  }

  /** An object's size, or null when it does not exist. */
  async sizeOf(key: string): Promise<number | null> {
    const { s3, client } = await this.sdk();
    try {
      return (await client.send(new s3.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key) }))).ContentLength ?? 0;
    } catch (error) {
      if (missingKey(error)) return null;
      throw s3Error(error, this.settings, this.where(key));
    }
  }

  async readText(key: string): Promise<string | null> {
    const { s3, client } = await this.sdk();
    try {
      const res = await client.send(new s3.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key) }));
      return (await res.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (missingKey(error)) return null;
      throw s3Error(error, this.settings, this.where(key));
    }
  }

  async listNames(prefix: string): Promise<string[]> {
    const dir = prefix.replace(/\/*$/, '/');
    const names = new Set<string>();
    for await (const key of this.keys(dir, '/')) {
      const name = key.slice(dir.length).replace(/\/$/, '');
      if (name && !name.startsWith('.tmp-')) names.add(name);
    }
    return [...names].sort();
  }

  /**
   * S3 has no link(2): a conditional PUT (`If-None-Match: *`) refuses to replace an existing key where the server
   * supports it; the HEAD before it covers servers that ignore the condition (only one origin writes a given key).
   */
  async writeOnce(key: string, text: string): Promise<boolean> {
    const { s3, client } = await this.sdk();
    if (await this.exists(key)) return false;
    try {
      await client.send(new s3.PutObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key), Body: text, IfNoneMatch: '*', ContentType: 'application/json' }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || status === 409) return false;
      throw s3Error(error, this.settings, this.where(key));
    }
  }

  /** A PUT replaces an object atomically: readers get the old object or the new one. */
  async writeReplace(key: string, text: string): Promise<void> {
    const { s3, client } = await this.sdk();
    await this.send(key, () => client.send(new s3.PutObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key), Body: text, ContentType: 'application/json' })));
  }

  async delete(key: string): Promise<void> {
    const { s3, client } = await this.sdk();
    await this.send(key, () => client.send(new s3.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key) })));
  }
}

/**
 * The cache object's bytes, streamed and hashed, holding back the last chunk until the hash is known: a damaged
 * object fails the stream before its final bytes are sent, so the server never completes the request.
 */
function verifiedBody(cache: ObjectStore, oid: string, onCorrupt: () => void): Readable {
  const source = createReadStream(cache.pathOf(oid), { highWaterMark: MiB });
  const hash = createHash('md5');
  return Readable.from(
    (async function* () {
      let held: Buffer | null = null;
      for await (const chunk of source as AsyncIterable<Buffer>) {
        hash.update(chunk);
        if (held) yield held;
        held = chunk;
      }
      if (hash.digest('hex') !== md5OfOid(oid)) {
        onCorrupt();
        throw cache.corrupt(oid);
      }
      if (held) yield held;
    })(),
  );
}

class S3Objects implements RemoteObjects {
  constructor(
    readonly remote: S3Remote,
    /** `files/md5` or `slipway/artifacts/files/md5`, relative to the remote. */
    readonly base: string,
  ) {}

  get location(): string {
    return this.remote.where(this.base.replace(/\/?files\/md5$/, ''));
  }

  keyOf(oid: string): string {
    return `${this.base}/${oid.slice(0, 2)}/${oid.slice(2)}`;
  }

  /** One HEAD for a lone object, one listing for a two-character prefix that several share. */
  async present(oids: readonly string[]): Promise<Map<string, number>> {
    const groups = new Map<string, string[]>();
    for (const oid of oids) groups.set(oid.slice(0, 2), [...(groups.get(oid.slice(0, 2)) ?? []), oid]);
    const out = new Map<string, number>();
    await forEachLimit([...groups], this.remote.jobs, async ([xx, group]) => {
      if (group.length === 1) {
        const size = await this.remote.sizeOf(this.keyOf(group[0]!));
        if (size !== null) out.set(group[0]!, size);
        return;
      }
      const wanted = new Set(group);
      for await (const { key, size } of this.remote.entries(`${this.base}/${xx}/`)) {
        const oid = xx + key.slice(this.base.length + 4);
        if (wanted.has(oid)) out.set(oid, size);
      }
    });
    return out;
  }

  async *list(): AsyncGenerator<string> {
    for await (const key of this.remote.keys(`${this.base}/`)) {
      const m = /([0-9a-f]{2})\/([0-9a-f]{30}(\.dir)?)$/.exec(key);
      if (m) yield m[1]! + m[2]!;
    }
  }

  async upload(cache: ObjectStore, oid: string): Promise<void> {
    const { s3, client } = await this.remote.sdk();
    const path = cache.pathOf(oid);
    const size = await fs.stat(path).then(
      (s) => s.size,
      (error: unknown) => {
        throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? cache.missing(oid) : fsError(error, path);
      },
    );
    const key = this.keyOf(oid);
    const contentMd5 = Buffer.from(md5OfOid(oid), 'hex').toString('base64');
    const { bucket } = this.remote.settings;
    if (size >= this.remote.multipartThreshold) return this.uploadParts(cache, oid, size);
    if (size <= BUFFERED) {
      const data = await cache.read(oid);
      await this.remote.send(key, () => client.send(new s3.PutObjectCommand({ Bucket: bucket, Key: this.remote.key(key), Body: data, ContentMD5: contentMd5 })));
      return;
    }
    let corrupt = false;
    try {
      const Body = verifiedBody(cache, oid, () => (corrupt = true));
      await client.send(new s3.PutObjectCommand({ Bucket: bucket, Key: this.remote.key(key), Body, ContentLength: size, ContentMD5: contentMd5 }));
    } catch (error) {
      if (corrupt) throw cache.corrupt(oid);
      throw s3Error(error, this.remote.settings, this.remote.where(key));
    }
  }

  /**
   * Large objects go up part by part, each streamed from its range of the cache file (constant memory). The parts are
   * hashed in order and the upload is completed only when the whole matches, so a damaged object never appears.
   */
  private async uploadParts(cache: ObjectStore, oid: string, size: number): Promise<void> {
    const { s3, client } = await this.remote.sdk();
    const { settings } = this.remote;
    const key = this.keyOf(oid);
    const Key = this.remote.key(key);
    const created = await this.remote.send(key, () => client.send(new s3.CreateMultipartUploadCommand({ Bucket: settings.bucket, Key })));
    const UploadId = created.UploadId;
    const hash = createHash('md5');
    const parts: { ETag?: string; PartNumber: number }[] = [];
    try {
      for (let start = 0, n = 1; start < size; start += this.remote.partSize, n++) {
        const end = Math.min(size, start + this.remote.partSize);
        const body = Readable.from(
          (async function* () {
            for await (const chunk of createReadStream(cache.pathOf(oid), { start, end: end - 1, highWaterMark: MiB }) as AsyncIterable<Buffer>) {
              hash.update(chunk);
              yield chunk;
            }
          })(),
        );
        const part = await this.remote.send(key, () => client.send(new s3.UploadPartCommand({ Bucket: settings.bucket, Key, UploadId, PartNumber: n, Body: body, ContentLength: end - start })));
        parts.push({ ETag: part.ETag, PartNumber: n });
      }
      if (hash.digest('hex') !== md5OfOid(oid)) throw cache.corrupt(oid);
      await this.remote.send(key, () => client.send(new s3.CompleteMultipartUploadCommand({ Bucket: settings.bucket, Key, UploadId, MultipartUpload: { Parts: parts } })));
    } catch (error) {
      await client.send(new s3.AbortMultipartUploadCommand({ Bucket: settings.bucket, Key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  async download(oid: string, cache: ObjectStore): Promise<void> {
    const { s3, client } = await this.remote.sdk();
    const key = this.keyOf(oid);
    const where = this.remote.where(key);
    let res;
    try {
      res = await client.send(new s3.GetObjectCommand({ Bucket: this.remote.settings.bucket, Key: this.remote.key(key) }));
    } catch (error) {
      if (missingKey(error)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Object ${oid} is not in ${where}.`);
      throw s3Error(error, this.remote.settings, where);
    }
    const tmp = await cache.tempPath().catch((error: unknown) => {
      throw fsError(error, cache.root);
    });
    const hash = createHash('md5');
    try {
      await pipeline(
        res.Body as Readable,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx', mode: 0o444 }),
      );
      if (hash.digest('hex') !== md5OfOid(oid)) {
        throw new SlipwayError(
          'CORRUPT_OBJECT',
          `Remote object ${where} is corrupt: its bytes do not match its hash ${md5OfOid(oid)}. Nothing of it entered the cache; push it again from a project whose cache holds a good copy (after deleting the damaged one).`,
        );
      }
      await cache.adopt(tmp, oid);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      if (error instanceof SlipwayError) throw error;
      // The cache's side failing (disk full, permissions) is a local problem; anything else came from the connection.
      if (LOCAL_CODES.has((error as { code?: string }).code ?? '')) throw fsError(error, cache.root);
      throw s3Error(error, this.remote.settings, where);
    }
  }

  async delete(oid: string): Promise<void> {
    await this.remote.delete(this.keyOf(oid));
  }
}
