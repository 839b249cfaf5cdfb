import type { Store } from './database';

/** One committed change, as written by any Slipway process. */
export interface Change {
  seq: number;
  topic: string;
  key: string;
  tsMs: number;
}

/**
 * Follows `change_log` from a sequence number on. `PRAGMA data_version` changes exactly when another connection
 * commits, so a check costs one pragma when nothing happened.
 */
export class ChangeFollower {
  private lastDataVersion = -1;
  private ownWrite = true;
  private readonly since;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private lastSeq = ChangeFollower.head(store),
  ) {
    this.since = store.db.prepare('SELECT seq, topic, key, ts_ms AS tsMs FROM change_log WHERE seq > ? ORDER BY seq LIMIT 10000');
    this.unsubscribe = store.onCommit(() => {
      this.ownWrite = true;
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** The newest sequence number in the log (0 when empty). */
  static head(store: Store): number {
    return (store.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM change_log').get() as { seq: number }).seq;
  }

  get position(): number {
    return this.lastSeq;
  }

  /** Changes committed since the last call. Cheap when nothing changed. */
  poll(): Change[] {
    const dataVersion = this.store.db.pragma('data_version', { simple: true }) as number;
    if (dataVersion === this.lastDataVersion && !this.ownWrite) return [];
    this.lastDataVersion = dataVersion;
    this.ownWrite = false;
    const rows = this.since.all(this.lastSeq) as Change[];
    if (rows.length) this.lastSeq = rows[rows.length - 1]!.seq;
    if (rows.length === 10000) this.ownWrite = true; // more to read on the next poll
    return rows;
  }
}
