/**
 * Versioned schema migrations. Each entry upgrades the store from `version - 1` to `version`; entries are never
 * edited once released, only appended. `PRAGMA user_version` records the version a file is at.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'tracking core',
    sql: `
      CREATE TABLE change_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        topic TEXT NOT NULL,
        key TEXT NOT NULL,
        ts_ms INTEGER NOT NULL
      );

      CREATE TABLE experiments (
        experiment_id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        artifact_location TEXT NOT NULL,
        lifecycle_stage TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
        creation_time INTEGER NOT NULL,
        last_update_time INTEGER NOT NULL
      );
      CREATE TABLE experiment_tags (
        experiment_id TEXT NOT NULL REFERENCES experiments(experiment_id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (experiment_id, key)
      );

      CREATE TABLE runs (
        run_uuid TEXT PRIMARY KEY,
        experiment_id TEXT NOT NULL REFERENCES experiments(experiment_id),
        run_name TEXT NOT NULL,
        user_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED')),
        start_time INTEGER NOT NULL,
        end_time INTEGER,
        lifecycle_stage TEXT NOT NULL DEFAULT 'active' CHECK (lifecycle_stage IN ('active', 'deleted')),
        deleted_time INTEGER,
        artifact_uri TEXT NOT NULL
      );
      CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time DESC);

      CREATE TABLE params (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_uuid, key)
      );
      CREATE TABLE tags (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_uuid, key)
      );

      -- One row per logged point. value is NULL for NaN (SQLite cannot store NaN); is_nan says so.
      CREATE TABLE metrics (
        run_uuid TEXT NOT NULL,
        key TEXT NOT NULL,
        value REAL,
        is_nan INTEGER NOT NULL DEFAULT 0,
        timestamp INTEGER NOT NULL,
        step INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX metrics_history ON metrics (run_uuid, key, step);

      -- The point MLflow calls "latest": the greatest (step, timestamp, value).
      CREATE TABLE latest_metrics (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        key TEXT NOT NULL,
        value REAL,
        is_nan INTEGER NOT NULL DEFAULT 0,
        timestamp INTEGER NOT NULL,
        step INTEGER NOT NULL,
        PRIMARY KEY (run_uuid, key)
      );
      CREATE INDEX latest_metrics_by_value ON latest_metrics (key, value);

      CREATE TABLE artifacts (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        path TEXT NOT NULL,
        md5 TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (run_uuid, path)
      );
    `,
  },
  {
    version: 2,
    name: 'versioning state cache',
    sql: `
      -- What a workspace file hashed to when it had this identity. A file whose inode, mtime and size still match is
      -- not read again (DVC's state database keeps the same triple). path is relative to the project root, '/'-separated.
      CREATE TABLE data_state (
        path TEXT PRIMARY KEY,
        inode TEXT NOT NULL,
        mtime_ns TEXT NOT NULL,
        size INTEGER NOT NULL,
        md5 TEXT NOT NULL,
        checked_ms INTEGER NOT NULL
      );
      -- Versions whose every object was found in the data cache while the cache's shard folders had this
      -- fingerprint. Removing an object changes its folder's mtime, so an unchanged fingerprint means still complete.
      CREATE TABLE data_cache_checked (
        oid TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL
      );
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;
