import type { Store } from '../store';

/** A file's identity as the state cache records it. */
export interface FileIdentity {
  ino: string;
  mtimeNs: string;
  size: number;
}

export interface StateRecord extends FileIdentity {
  md5: string;
}

/**
 * Files whose mtime is this close to the moment they were hashed are not remembered: a write landing in the same
 * timestamp tick after the read would leave mtime unchanged (git's "racily clean" problem).
 */
const RACY_NS = 50_000_000n;

/**
 * The state cache: (inode, mtime, size) → md5 per workspace path, in the project store, so unchanged files are never
 * read twice. Lookups load a whole subtree in one query; saves are one transaction per operation.
 */
export class StateCache {
  constructor(private readonly store: Store) {}

  /** Every record under `prefix` (a path relative to the root; the path itself and everything below it). */
  load(prefix: string): Map<string, StateRecord> {
    const rows = this.store.db
      .prepare(
        `SELECT path, inode, mtime_ns, size, md5 FROM data_state
         WHERE path = ? OR (path >= ? AND path < ?)`,
      )
      .raw()
      .all(prefix, prefix + '/', prefix + '0') as [string, string, string, number, string][];
    const out = new Map<string, StateRecord>();
    for (const [path, ino, mtimeNs, size, md5] of rows) out.set(path, { ino, mtimeNs, size, md5 });
    return out;
  }

  /** The remembered md5 when the identity still matches, else null. */
  static match(record: StateRecord | undefined, now: FileIdentity): string | null {
    if (!record) return null;
    return record.ino === now.ino && record.mtimeNs === now.mtimeNs && record.size === now.size ? record.md5 : null;
  }

  /**
   * Remembers hashes. `startedNs` is when hashing began (wall clock, ns): records whose mtime is not safely before it
   * are skipped, as are records identical to what is stored. `changed` topics let the Data tree refresh.
   */
  save(records: ReadonlyMap<string, StateRecord>, startedNs: bigint, changedPaths: readonly string[] = []): void {
    if (!records.size && !changedPaths.length) return;
    const upsert = this.store.db.prepare(
      `INSERT INTO data_state (path, inode, mtime_ns, size, md5, checked_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET inode = excluded.inode, mtime_ns = excluded.mtime_ns, size = excluded.size,
         md5 = excluded.md5, checked_ms = excluded.checked_ms`,
    );
    const now = Date.now();
    this.store.write((changed) => {
      for (const [path, r] of records) {
        if (BigInt(r.mtimeNs) > startedNs - RACY_NS) continue;
        upsert.run(path, r.ino, r.mtimeNs, r.size, r.md5, now);
      }
      for (const path of changedPaths) changed('data', path);
    });
  }

  /** Whether version `oid` was found complete in the cache at this cache fingerprint. */
  cacheChecked(oid: string, fingerprint: string): boolean {
    const row = this.store.db.prepare('SELECT fingerprint FROM data_cache_checked WHERE oid = ?').get(oid) as { fingerprint: string } | undefined;
    return row?.fingerprint === fingerprint;
  }

  /** Records that every object of `oid` was in the cache at this fingerprint. */
  markCacheChecked(oid: string, fingerprint: string): void {
    this.store.write(() => {
      this.store.db
        .prepare('INSERT INTO data_cache_checked (oid, fingerprint) VALUES (?, ?) ON CONFLICT(oid) DO UPDATE SET fingerprint = excluded.fingerprint')
        .run(oid, fingerprint);
    });
  }

  /** Forgets records under `prefix`. */
  forget(prefix: string): void {
    this.store.write(() => {
      this.store.db.prepare('DELETE FROM data_state WHERE path = ? OR (path >= ? AND path < ?)').run(prefix, prefix + '/', prefix + '0');
    });
  }
}
