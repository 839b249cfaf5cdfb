import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsRemote, type RemoteStore } from '../versioning';

/**
 * Where Slipway's own records live in a project remote. Everything is under `slipway/`, never under `files/md5/`,
 * which `dvc gc --cloud` prunes of objects no .dvc file names. Keys (`...Key`) address the remote through its
 * {@link RemoteStore}; the other members name the same places as the user finds them (a path or an `s3://` URL).
 */
export class RemoteLayout {
  readonly remote: RemoteStore;

  /** A remote store, or a folder for a filesystem remote. */
  constructor(remote: RemoteStore | string) {
    this.remote = typeof remote === 'string' ? new FsRemote(remote) : remote;
  }

  readonly runsKey = 'slipway/runs';
  /** Run artifacts and model files, content-addressed like the data objects (`files/md5/xx/rest` below it). */
  readonly artifactsKey = 'slipway/artifacts';
  /** The registry's state as of the last push (replaced atomically; the audit log is the history). */
  readonly snapshotKey = 'slipway/registry/snapshot.json';
  /** Held while a push writes the registry (created only when absent, deleted after). */
  readonly lockKey = 'slipway/registry/.lock';
  readonly auditKey = 'slipway/audit';

  /** One JSON file per finished run, written once. */
  runKey(runId: string): string {
    return `${this.runsKey}/${runId}.json`;
  }

  /** One file per audit entry: `audit/<origin>/<seq>.json`, never rewritten. */
  auditEntryKey(origin: string, seq: number): string {
    return `${this.auditKey}/${origin}/${String(seq).padStart(10, '0')}.json`;
  }

  get base(): string {
    return this.remote.where('slipway');
  }

  runFile(runId: string): string {
    return this.remote.where(this.runKey(runId));
  }

  get runsDir(): string {
    return this.remote.where(this.runsKey);
  }

  get artifacts(): string {
    return this.remote.where(this.artifactsKey);
  }

  get snapshot(): string {
    return this.remote.where(this.snapshotKey);
  }

  get auditDir(): string {
    return this.remote.where(this.auditKey);
  }

  auditFile(origin: string, seq: number): string {
    return this.remote.where(this.auditEntryKey(origin, seq));
  }
}

async function writeTemp(path: string, text: string): Promise<string> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.tmp-${randomBytes(8).toString('hex')}`);
  const handle = await fs.open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

/** Replaces a local file (the project's sync state) atomically: readers see the old content or the new, never a mix. */
export async function writeReplace(path: string, text: string): Promise<void> {
  const tmp = await writeTemp(path, text);
  try {
    await fs.rename(tmp, path);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** A file's text, or null when it does not exist. */
export async function readOptional(path: string): Promise<string | null> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
