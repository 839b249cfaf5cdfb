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
