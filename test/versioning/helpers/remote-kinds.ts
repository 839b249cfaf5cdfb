import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { FsRemote, S3Remote, s3Settings, type RemoteStore } from '../../../src/engine/versioning';
import { getBytes, listKeys, putBytes, type S3Server } from './s3';

/**
 * A remote as the tests see it, independent of the code under test: how to configure it and how to inspect or damage
 * what it holds, by key relative to the remote's root (`files/md5/ab/cdef...`, `slipway/runs/...`).
 */
export interface RemoteKind {
  kind: 'filesystem' | 's3';
  url: string;
  /** Extra settings for `remote add` (DVC's key names). */
  settings: Record<string, string>;
  /** The same as command-line flags of `slipway remote add`. */
  flags: string[];
  /** How the code under test names a key in messages. */
  where(key: string): string;
  keys(prefix: string): Promise<string[]>;
  read(key: string): Promise<Buffer | null>;
  write(key: string, data: string | Buffer): Promise<void>;
  remove(key: string): Promise<void>;
  /** The engine's store for this remote (the code under test). */
  store(): RemoteStore;
}

const OBJECT = /(^|\/)files\/md5\/([0-9a-f]{2})\/([0-9a-f]{30}(\.dir)?)$/;

/** Object ids under `prefix` ('' for the data objects, `slipway/artifacts/` for artifacts). */
export async function objectIds(kind: RemoteKind, prefix = ''): Promise<string[]> {
  return (await kind.keys(`${prefix}files/md5/`))
    .map((k) => OBJECT.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => m[2]! + m[3]!)
    .sort();
}

export const objectKey = (oid: string, prefix = '') => `${prefix}files/md5/${oid.slice(0, 2)}/${oid.slice(2)}`;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

export function fsKind(root: string): RemoteKind {
  return {
    kind: 'filesystem',
    url: root,
    settings: {},
    flags: [],
    where: (key) => join(root, key),
    keys: (prefix) =>
      Promise.resolve(
        walk(root)
          .map((p) => relative(root, p))
          .filter((k) => k.startsWith(prefix) && !/(^|\/)(\.tmp-|tmp\/)/.test(k))
          .sort(),
      ),
    read: (key) => Promise.resolve(existsSync(join(root, key)) ? readFileSync(join(root, key)) : null),
    write: (key, data) => {
      mkdirSync(dirname(join(root, key)), { recursive: true });
      writeFileSync(join(root, key), data, { mode: 0o644 });
      return Promise.resolve();
    },
    remove: (key) => {
      rmSync(join(root, key), { force: true });
      return Promise.resolve();
    },
    store: () => new FsRemote(root),
  };
}

/** A remote at `s3://bucket/<prefix>` on a local server; each test takes its own prefix. */
export function s3Kind(s3: S3Server, prefix: string): RemoteKind {
  const full = (key: string) => `${prefix}/${key}`;
  return {
    kind: 's3',
    url: `s3://${s3.bucket}/${prefix}`,
    settings: { endpointurl: s3.endpoint },
    flags: ['--endpoint-url', s3.endpoint],
    where: (key) => `s3://${s3.bucket}/${full(key)}`,
    keys: async (p) => (await listKeys(s3, full(p))).map((k) => k.slice(prefix.length + 1)),
    read: (key) => getBytes(s3, full(key)),
    write: (key, data) => putBytes(s3, full(key), data),
    remove: async (key) => {
      await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: full(key) }));
    },
    store: () => new S3Remote(s3Settings('test', `s3://${s3.bucket}/${prefix}`, { endpointurl: s3.endpoint })),
  };
}

/** A way to make a fresh remote of one kind for one test, and to remove it afterwards. */
export type FreshRemote = [label: string, make: () => { kind: RemoteKind; cleanup: () => void }];

/**
 * A fresh filesystem remote in its own temporary folder, and a fresh `<name>-N` prefix on the file's S3 server: for
 * suites that run once through each.
 */
export function bothKinds(s3: () => S3Server, name: string): FreshRemote[] {
  let prefixes = 0;
  return [
    [
      'a filesystem remote',
      () => {
        const dir = mkdtempSync(join(tmpdir(), 'slipway-remote-'));
        return { kind: fsKind(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
      },
    ],
    ['an S3 remote', () => ({ kind: s3Kind(s3(), `${name}-${++prefixes}`), cleanup: () => undefined })],
  ];
}
