import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SlipwayError, messageOf } from '../errors';
import { migrations as releasedMigrations, type Migration } from './migrations';

/** Written into every Slipway store (`PRAGMA application_id`), so a foreign SQLite file is never mistaken for one. */
export const APPLICATION_ID = 0x534c5057; // "SLPW"

const BUSY_TIMEOUT_MS = 5000;

export interface ChangeRecord {
  topic: string;
  key: string;
}

/**
 * The engine store: one SQLite file shared by every Slipway process of a workspace.
 *
 * Any process may write. Writes go through {@link Store.write}, which opens the transaction with `BEGIN IMMEDIATE`
 * (the write lock is taken up front, so two writers never deadlock upgrading a read lock) and waits up to the busy
 * timeout for it. Changes that views care about are appended to `change_log` in the same transaction.
 */
export class Store {
  readonly db: Database.Database;
  private readonly appendChange: Database.Statement<[string, string, number]>;
  private readonly commitListeners = new Set<() => void>();
  /** A nested write logged changes that its enclosing write has not committed yet. */
  private nestedChanges = false;

  private constructor(
    readonly path: string,
    db: Database.Database,
  ) {
    this.db = db;
    this.appendChange = db.prepare('INSERT INTO change_log (topic, key, ts_ms) VALUES (?, ?, ?)');
  }

  /** Opens (creating if needed) and migrates the store at `path`. Throws a SlipwayError with a clear message otherwise. */
  static open(path: string, options: { readonly?: boolean; migrations?: readonly Migration[] } = {}): Store {
    const migrations = options.migrations ?? releasedMigrations;
    const creating = !existsSync(path);
    if (creating && options.readonly) throw new SlipwayError('STORE_UNREADABLE', `No Slipway store at ${path}. Run \`slipway init\` in the project first.`);
    if (creating) mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new SlipwayError('STORE_UNREADABLE', `Cannot open the Slipway store ${path}: ${messageOf(error)}.`, { cause: error });
    }
    try {
      configure(db, options.readonly ?? false);
      checkIdentity(db, path);
      if (!options.readonly) migrate(db, path, migrations);
      else checkVersion(db, path, migrations);
      return new Store(path, db);
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        throw new SlipwayError(
          'STORE_UNREADABLE',
          `${path} is not a readable SQLite database (${messageOf(error)}). Move it aside and run \`slipway init\` to start a new store; keep the old file for recovery.`,
          { cause: error },
        );
      }
      throw translateSqliteError(error, path);
    }
  }

  /** Schema version of the open file. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /**
   * Runs `fn` in a write transaction started with BEGIN IMMEDIATE. Changes passed to `changed` inside `fn` are appended
   * to the change log in the same transaction, so an event is published exactly when its data is committed.
   */
  write<T>(fn: (changed: (topic: string, key: string) => void) => T): T {
    const now = Date.now();
    const seen = new Set<string>();
    const changed = (topic: string, key: string) => {
      const id = `${topic}\u0000${key}`;
      if (seen.has(id)) return;
      seen.add(id);
      this.appendChange.run(topic, key, now);
    };
    const tx = this.db.transaction(() => fn(changed));
    let result: T;
    try {
      result = tx.immediate();
    } catch (error) {
      if (!this.db.inTransaction) this.nestedChanges = false;
      throw translateSqliteError(error, this.path);
    }
    if (this.db.inTransaction) {
      // Nested in another write (a savepoint): listeners hear of it when the outermost write commits.
      if (seen.size) this.nestedChanges = true;
      return result;
    }
    if (seen.size || this.nestedChanges) {
      this.nestedChanges = false;
      for (const listener of this.commitListeners) listener();
    }
    return result;
  }

  /**
   * Calls `listener` after each write of this connection that logged a change. Other processes' commits are seen
   * through `PRAGMA data_version` instead, which does not move for a connection's own writes.
   */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Runs a read inside one snapshot (a deferred transaction), so multi-statement reads are consistent. */
  read<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).deferred();
    } catch (error) {
      throw translateSqliteError(error, this.path);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function configure(db: Database.Database, readonly: boolean): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readonly) {
    // WAL lets readers run beside one writer; synchronous=NORMAL keeps committed transactions across a killed
    // process (not across a power loss of the last few commits: see docs/DECISIONS.md).
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (mode !== 'wal') throw new SlipwayError('STORE_UNREADABLE', `Cannot switch ${db.name} to WAL mode (got ${mode}).`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.function('slipway_like', { deterministic: true }, likeFunction);
}

const likePatterns = new Map<string, RegExp>();

/**
 * SQL LIKE with a switch for case: MLflow's LIKE is case-sensitive and ILIKE is not, while SQLite's LIKE folds ASCII
 * case. `%` matches any run of characters and `_` one character.
 */
function likeFunction(pattern: unknown, value: unknown, caseInsensitive: unknown): number {
  if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
  const cacheKey = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let regex = likePatterns.get(cacheKey);
  if (!regex) {
    const body = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
    regex = new RegExp(`^${body}$`, caseInsensitive ? 'isu' : 'su');
    if (likePatterns.size > 1000) likePatterns.clear();
    likePatterns.set(cacheKey, regex);
  }
  return regex.test(value) ? 1 : 0;
}

function checkIdentity(db: Database.Database, path: string): void {
  let applicationId: number;
  let tableCount: number;
  try {
    applicationId = db.pragma('application_id', { simple: true }) as number;
    tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
  } catch (error) {
    throw new SlipwayError(
      'STORE_UNREADABLE',
      `${path} is not a readable SQLite database (${messageOf(error)}). Move it aside and run \`slipway init\` to start a new store; keep the old file for recovery.`,
      { cause: error },
    );
  }
  if (applicationId === APPLICATION_ID) return;
  if (applicationId === 0 && tableCount === 0) return; // a new, empty file
  throw new SlipwayError(
    'STORE_UNREADABLE',
    `${path} is a SQLite database that Slipway did not create (application_id ${applicationId}, ${tableCount} tables); it was left untouched. Move it aside or point Slipway at another project.`,
  );
}

function checkVersion(db: Database.Database, path: string, migrations: readonly Migration[]): number {
  const latestSchemaVersion = migrations[migrations.length - 1]?.version ?? 0;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > latestSchemaVersion) {
    throw new SlipwayError(
      'STORE_TOO_NEW',
      `${path} was written by a newer Slipway (schema version ${version}; this Slipway knows up to ${latestSchemaVersion}). Upgrade Slipway to open it; the file was left untouched.`,
    );
  }
  return version;
}

function migrate(db: Database.Database, path: string, migrations: readonly Migration[]): void {
  const current = checkVersion(db, path, migrations);
  if (current === migrations[migrations.length - 1]?.version) return;
  const upgrade = db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated while this one waited.
    const version = checkVersion(db, path, migrations);
    if (version === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    for (const migration of migrations) {
      if (migration.version <= version) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
    seed(db);
  });
  try {
    upgrade.immediate();
  } catch (error) {
    throw translateSqliteError(error, path);
  }
}

function seed(db: Database.Database): void {
  const now = Date.now();
  db.prepare(
    `INSERT OR IGNORE INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
     VALUES ('0', 'Default', 'mlflow-artifacts:/0', 'active', ?, ?)`,
  ).run(now, now);
}

/** Turns SQLite's terse errors into sentences that say what to do. SlipwayErrors pass through unchanged. */
export function translateSqliteError(error: unknown, path: string): unknown {
  if (!(error instanceof Error) || error instanceof SlipwayError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new SlipwayError(
      'STORE_BUSY',
      `The Slipway store ${path} stayed locked by another process for more than ${BUSY_TIMEOUT_MS / 1000} s; nothing was written. Retry, or find the process holding it (\`fuser ${path}\`).`,
      { cause: error },
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new SlipwayError('STORE_UNREADABLE', `The Slipway store ${path} is damaged (${error.message}). Restore it from a backup or move it aside.`, { cause: error });
  }
  if (code === 'SQLITE_FULL') {
    return new SlipwayError('INTERNAL_ERROR', `The disk holding ${path} is full; nothing was written. Free space and retry.`, { cause: error });
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new SlipwayError('STORE_UNREADABLE', `Cannot write the Slipway store ${path} (${error.message}). Check its permissions.`, { cause: error });
  }
  return error;
}
