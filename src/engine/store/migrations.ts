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
    `,
  },
  {
    version: 3,
    name: 'model registry and audit log',
    sql: `
      -- next_version never goes down, so a deleted version's number is never reused and audit entries stay unambiguous.
      CREATE TABLE registered_models (
        name TEXT PRIMARY KEY,
        creation_time INTEGER NOT NULL,
        last_updated_time INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        user_id TEXT NOT NULL DEFAULT '',
        next_version INTEGER NOT NULL DEFAULT 1
      );
      CREATE TABLE registered_model_tags (
        name TEXT NOT NULL REFERENCES registered_models(name) ON UPDATE CASCADE ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (name, key)
      );
      CREATE TABLE model_versions (
        name TEXT NOT NULL REFERENCES registered_models(name) ON UPDATE CASCADE ON DELETE CASCADE,
        version INTEGER NOT NULL,
        creation_time INTEGER NOT NULL,
        last_updated_time INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        user_id TEXT NOT NULL DEFAULT '',
        current_stage TEXT NOT NULL DEFAULT 'None' CHECK (current_stage IN ('None', 'Staging', 'Production', 'Archived')),
        source TEXT NOT NULL,
        run_id TEXT,
        run_link TEXT,
        model_id TEXT,
        status TEXT NOT NULL DEFAULT 'READY' CHECK (status IN ('PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY')),
        status_message TEXT,
        -- Versions registered from a file keep its bytes in the artifact object store.
        file_md5 TEXT,
        file_size INTEGER,
        file_name TEXT,
        schema_yaml TEXT,
        PRIMARY KEY (name, version)
      );
      CREATE INDEX model_versions_by_run ON model_versions (run_id);
      CREATE TABLE model_version_tags (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (name, version, key),
        FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON UPDATE CASCADE ON DELETE CASCADE
      );
      CREATE TABLE registered_model_aliases (
        name TEXT NOT NULL,
        alias TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (name, alias),
        FOREIGN KEY (name, version) REFERENCES model_versions(name, version) ON UPDATE CASCADE ON DELETE CASCADE
      );

      -- This store's origin id for audit entries it writes; entries pulled from elsewhere keep theirs.
      CREATE TABLE registry_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      INSERT INTO registry_meta (key, value) VALUES ('origin', lower(hex(randomblob(16))));

      -- Append-only: each entry is hash-chained to the previous entry of its origin, and the triggers below reject
      -- any change. Someone with raw SQL access can drop the triggers; verification then finds the broken link.
      CREATE TABLE registry_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        ts_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        model TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        from_value TEXT,
        to_value TEXT,
        reason TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (origin, seq)
      );
      CREATE INDEX registry_audit_by_model ON registry_audit (model, id);
      CREATE TRIGGER registry_audit_no_update BEFORE UPDATE ON registry_audit
      BEGIN
        SELECT RAISE(ABORT, 'registry_audit is append-only: entries cannot be changed');
      END;
      CREATE TRIGGER registry_audit_no_delete BEFORE DELETE ON registry_audit
      BEGIN
        SELECT RAISE(ABORT, 'registry_audit is append-only: entries cannot be deleted');
      END;
    `,
  },
  {
    version: 4,
    name: 'serving: prediction log and feedback',
    sql: `
      -- One row per answered prediction. id is a ULID (time-sortable), the id returned to the caller.
      CREATE TABLE prediction_log (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        model TEXT NOT NULL,
        version TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        latency_us INTEGER NOT NULL,
        inputs TEXT NOT NULL,   -- JSON object by column
        outputs TEXT NOT NULL   -- JSON: { <ONNX output name>: value, ..., "postprocessed": {...} }
      ) WITHOUT ROWID;
      CREATE INDEX prediction_log_by_endpoint ON prediction_log (endpoint, ts_ms);

      -- True labels that arrive later; append-only, the latest row per id wins.
      CREATE TABLE prediction_feedback (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        label NOT NULL,         -- number or text, as sent
        ts_ms INTEGER NOT NULL
      );
      CREATE INDEX prediction_feedback_by_id ON prediction_feedback (id, seq);
    `,
  },
  {
    version: 5,
    name: 'logged models, run inputs and outputs',
    sql: `
      -- MLflow 3 logged models: a model with its own artifact location, linked to the run that produced it.
      CREATE TABLE logged_models (
        model_id TEXT PRIMARY KEY,
        experiment_id TEXT NOT NULL REFERENCES experiments(experiment_id),
        name TEXT NOT NULL,
        artifact_location TEXT NOT NULL,
        creation_timestamp_ms INTEGER NOT NULL,
        last_updated_timestamp_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        status_message TEXT,
        lifecycle_stage TEXT NOT NULL DEFAULT 'active',
        model_type TEXT,
        source_run_id TEXT
      );
      CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_timestamp_ms DESC);
      CREATE TABLE logged_model_tags (model_id TEXT NOT NULL REFERENCES logged_models(model_id), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (model_id, key));
      CREATE TABLE logged_model_params (model_id TEXT NOT NULL REFERENCES logged_models(model_id), key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (model_id, key));
      CREATE TABLE logged_model_artifacts (model_id TEXT NOT NULL REFERENCES logged_models(model_id), path TEXT NOT NULL, md5 TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (model_id, path));

      -- Datasets a run read (log-inputs), stored as MLflow sends them; one row per (run, dataset digest, context).
      CREATE TABLE run_dataset_inputs (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        digest TEXT NOT NULL,
        dataset_json TEXT NOT NULL,
        tags_json TEXT NOT NULL,
        PRIMARY KEY (run_uuid, name, digest, tags_json)
      );
      -- Logged models a run used (inputs) or produced (outputs).
      CREATE TABLE run_model_links (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
        model_id TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_uuid, direction, model_id, step)
      );
    `,
  },
  {
    version: 6,
    name: 'versioning cache completeness',
    sql: `
      -- Versions whose every object was found in the data cache while the cache's shard folders had this
      -- fingerprint. Removing an object changes its folder's mtime, so an unchanged fingerprint means still complete.
      CREATE TABLE data_cache_checked (
        oid TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'data lineage',
    sql: `
      -- The data versions a run used: every tracked path's recorded hash in the workspace's .dvc files when it started.
      CREATE TABLE run_data_versions (
        run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
        path TEXT NOT NULL,
        md5 TEXT NOT NULL,
        dvc_file TEXT NOT NULL,
        size INTEGER,
        nfiles INTEGER,
        isexec INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_uuid, path)
      );
      CREATE INDEX run_data_versions_by_md5 ON run_data_versions (md5);
      CREATE INDEX run_data_versions_by_path ON run_data_versions (path);
    `,
  },
  {
    version: 8,
    name: 'monitor reports and alerts',
    sql: `
      -- One row per evaluated monitor window; never updated (a forced re-evaluation adds a row). The summary fields
      -- are columns for listing; report is the whole MonitorReport as JSON (src/shared/monitoring.ts).
      CREATE TABLE monitor_reports (
        id TEXT PRIMARY KEY,
        monitor TEXT NOT NULL,
        window_start_ms INTEGER NOT NULL,
        window_end_ms INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        rows INTEGER NOT NULL,
        dataset_drift INTEGER,
        number_of_columns INTEGER NOT NULL,
        number_of_drifted_columns INTEGER NOT NULL,
        degraded TEXT NOT NULL,  -- JSON array of metric names
        summary TEXT NOT NULL,
        report TEXT NOT NULL     -- JSON MonitorReport
      ) WITHOUT ROWID;
      CREATE INDEX monitor_reports_by_window ON monitor_reports (monitor, window_end_ms, created_ms);
      CREATE INDEX monitor_reports_by_created ON monitor_reports (monitor, created_ms);

      -- Alerts raised by rules under alerts: in slipway.yaml; actions is a JSON array of AlertAction.
      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        monitor TEXT NOT NULL,
        report_id TEXT NOT NULL REFERENCES monitor_reports(id),
        created_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        message TEXT NOT NULL,
        actions TEXT NOT NULL,
        acknowledged_ms INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX alerts_by_created ON alerts (created_ms);
      CREATE INDEX alerts_by_monitor ON alerts (monitor, acknowledged_ms);
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;
