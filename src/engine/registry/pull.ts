import type Database from 'better-sqlite3';
import type { RegistryAuditEntry, RegistrySnapshot, RegistrySnapshotModel, RegistrySyncConflict } from '../../shared/mlflow-registry';
import type { Store } from '../store';
import { appendForeignEntries } from './audit-sync';
import { sql } from './statements';
import { findSyncConflicts, registrySnapshot } from './sync';

export interface PullInput {
  /** The remote's registry state. */
  remote: RegistrySnapshot;
  /** Audit entries the remote has and this store lacks (other origins), in the remote's order. */
  remoteNew: readonly RegistryAuditEntry[];
  /** Entries this store wrote since its last sync (its own origin, above the cursor it last pushed). */
  localNew: readonly RegistryAuditEntry[];
}

export interface PullResult {
  /** When non-empty nothing was written. */
  conflicts: RegistrySyncConflict[];
  appendedEntries: number;
  addedModels: string[];
  addedVersions: string[];
}

const key = (model: string, subject: string) => `${model}\u0000${subject}`;

function insertVersions(db: Database.Database, model: RegistrySnapshotModel, deleted: Set<string>, added: string[]): void {
  const have = new Set((sql(db, 'SELECT version FROM model_versions WHERE name = ?').all(model.name) as { version: number }[]).map((r) => r.version));
  const insert = sql(
    db,
    `INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, run_link, model_id,
       status, file_md5, file_size, file_name, schema_yaml)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'READY', ?, ?, ?, ?)`,
  );
  const tag = sql(db, 'INSERT OR IGNORE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)');
  for (const v of model.versions) {
    if (have.has(v.version) || deleted.has(key(model.name, String(v.version)))) continue;
    insert.run(model.name, v.version, v.creationTime, v.lastUpdatedTime, v.description, v.userId, v.stage, v.source, v.runId, v.runLink, v.modelId,
      v.file?.md5 ?? null, v.file?.size ?? null, v.file?.name ?? null, v.schemaYaml);
    for (const [k, value] of Object.entries(v.tags)) tag.run(model.name, v.version, k, value);
    added.push(`${model.name}:${v.version}`);
  }
  sql(db, 'UPDATE registered_models SET next_version = max(next_version, ?) WHERE name = ?').run(model.nextVersion, model.name);
}

/**
 * Merges a remote's registry into this store in one transaction, following ARCHITECTURE.md ("Sharing and CI"):
 * refuses (writing nothing) when findSyncConflicts reports anything; otherwise appends the remote's audit entries
 * unchanged, replays their renames and deletions, adds the models and versions this store lacks (same numbers,
 * sources and file hashes; the files themselves travel with the object store), and takes the remote's alias and stage
 * for everything the remote changed since the last sync. Local changes the remote has not seen stay, to be pushed.
 */
export function applyPull(store: Store, input: PullInput): PullResult {
  const conflicts = findSyncConflicts(input.localNew, input.remoteNew, registrySnapshot(store), input.remote);
  if (conflicts.length) return { conflicts, appendedEntries: 0, addedModels: [], addedVersions: [] };
  return store.write((changed) => {
    const db = store.db;
    const { appended } = appendForeignEntries(db, input.remoteNew, changed);
    const deletedVersions = new Set<string>();
    const aliasKeys = new Set<string>();
    const stageKeys = new Set<string>();
    for (const e of input.remoteNew) {
      switch (e.action) {
        case 'model.rename':
          if (e.from && e.to && !sql(db, 'SELECT 1 FROM registered_models WHERE name = ?').get(e.to)) {
            sql(db, 'UPDATE registered_models SET name = ? WHERE name = ?').run(e.to, e.from);
          }
          break;
        case 'model.delete':
          sql(db, 'DELETE FROM registered_models WHERE name = ?').run(e.model);
          break;
        case 'version.delete':
          sql(db, 'DELETE FROM model_versions WHERE name = ? AND version = ?').run(e.model, Number(e.subject));
          deletedVersions.add(key(e.model, e.subject));
          break;
        case 'model.tag.delete':
          sql(db, 'DELETE FROM registered_model_tags WHERE name = ? AND key = ?').run(e.model, e.subject);
          break;
        case 'version.tag.delete': {
          const [version, ...tagKey] = e.subject.split(':');
          sql(db, 'DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?').run(e.model, Number(version), tagKey.join(':'));
          break;
        }
        case 'alias.set':
        case 'alias.delete':
        case 'alias.rollback':
          aliasKeys.add(key(e.model, e.subject));
          break;
        case 'stage.transition':
          stageKeys.add(key(e.model, e.subject));
          break;
      }
      changed('models', e.model);
    }
    const addedModels: string[] = [];
    const addedVersions: string[] = [];
    const remoteModels = new Map(input.remote.models.map((m) => [m.name, m]));
    for (const model of input.remote.models) {
      const exists = sql(db, 'SELECT 1 FROM registered_models WHERE name = ?').get(model.name);
      if (!exists) {
        sql(db, 'INSERT INTO registered_models (name, creation_time, last_updated_time, description, user_id, next_version) VALUES (?, ?, ?, ?, ?, ?)').run(
          model.name, model.creationTime, model.lastUpdatedTime, model.description, model.userId, model.nextVersion);
        for (const [k, value] of Object.entries(model.tags)) sql(db, 'INSERT INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)').run(model.name, k, value);
        addedModels.push(model.name);
      } else {
        for (const [k, value] of Object.entries(model.tags)) sql(db, 'INSERT OR IGNORE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)').run(model.name, k, value);
      }
      insertVersions(db, model, deletedVersions, addedVersions);
      changed('models', model.name);
    }
    for (const k of aliasKeys) {
      const [model, alias] = k.split('\u0000') as [string, string];
      const target = remoteModels.get(model)?.aliases[alias];
      if (target === undefined) sql(db, 'DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?').run(model, alias);
      else if (sql(db, 'SELECT 1 FROM model_versions WHERE name = ? AND version = ?').get(model, target)) {
        sql(db, 'INSERT OR REPLACE INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)').run(model, alias, target);
      }
    }
    for (const k of stageKeys) {
      const [model, version] = k.split('\u0000') as [string, string];
      const stage = remoteModels.get(model)?.versions.find((v) => String(v.version) === version)?.stage;
      if (stage) sql(db, 'UPDATE model_versions SET current_stage = ? WHERE name = ? AND version = ?').run(stage, model, Number(version));
    }
    return { conflicts: [], appendedEntries: appended, addedModels, addedVersions };
  });
}
