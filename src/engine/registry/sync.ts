import type {
  RegistryAuditEntry,
  RegistrySnapshot,
  RegistrySnapshotModel,
  RegistrySyncConflict,
} from '../../shared/mlflow-registry';
import type { Store } from '../store';
import type { ModelRow, TagRow, VersionRow } from './shapes';
import { sql } from './statements';

/**
 * The registry's state as plain data, for the project remote: every model with its tags, aliases and versions
 * (sources as given, file registrations by hash). Ordered by name and version so that equal states serialise equally.
 */
export function registrySnapshot(store: Store): RegistrySnapshot {
  return store.read(() => {
    const db = store.db;
    const models = sql(db, 'SELECT * FROM registered_models ORDER BY name').all() as ModelRow[];
    return {
      format: 1,
      models: models.map((m): RegistrySnapshotModel => {
        const tags = sql(db, 'SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY key').all(m.name) as TagRow[];
        const aliases = sql(db, 'SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias').all(m.name) as { alias: string; version: number }[];
        const versions = sql(db, 'SELECT * FROM model_versions WHERE name = ? ORDER BY version').all(m.name) as VersionRow[];
        const versionTags = sql(db, 'SELECT version, key, value FROM model_version_tags WHERE name = ? ORDER BY version, key').all(m.name) as (TagRow & { version: number })[];
        return {
          name: m.name,
          description: m.description,
          userId: m.user_id,
          creationTime: m.creation_time,
          lastUpdatedTime: m.last_updated_time,
          nextVersion: m.next_version,
          tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
          aliases: Object.fromEntries(aliases.map((a) => [a.alias, a.version])),
          versions: versions.map((v) => ({
            version: v.version,
            source: v.source,
            runId: v.run_id,
            runLink: v.run_link,
            modelId: v.model_id,
            description: v.description,
            userId: v.user_id,
            creationTime: v.creation_time,
            lastUpdatedTime: v.last_updated_time,
            stage: v.current_stage,
            file: v.file_md5 && v.file_name && v.file_size !== null ? { md5: v.file_md5, size: v.file_size, name: v.file_name } : null,
            schemaYaml: v.schema_yaml,
            tags: Object.fromEntries(versionTags.filter((t) => t.version === v.version).map((t) => [t.key, t.value])),
          })),
        };
      }),
    };
  });
}

function touched(entries: readonly RegistryAuditEntry[], kind: 'alias' | 'stage'): Map<string, RegistryAuditEntry> {
  const out = new Map<string, RegistryAuditEntry>();
  for (const e of entries) {
    const isKind = kind === 'alias' ? e.action.startsWith('alias.') : e.action === 'stage.transition';
    if (isKind) out.set(`${e.model}\u0000${e.subject}`, e);
  }
  return out;
}

/**
 * What stops a pull from merging, following ARCHITECTURE.md ("Sharing and CI"): an alias (or a version's stage)
 * changed on both sides since the last sync, or one NAME:VERSION registered with two different sources. `localNew`
 * and `remoteNew` are the audit entries each side wrote since the last sync (see exportAudit and its cursor).
 */
export function findSyncConflicts(
  localNew: readonly RegistryAuditEntry[],
  remoteNew: readonly RegistryAuditEntry[],
  local: RegistrySnapshot,
  remote: RegistrySnapshot,
): RegistrySyncConflict[] {
  const conflicts: RegistrySyncConflict[] = [];
  for (const kind of ['alias', 'stage'] as const) {
    const mine = touched(localNew, kind);
    for (const [key, theirs] of touched(remoteNew, kind)) {
      const ours = mine.get(key);
      if (!ours || (ours.origin === theirs.origin && ours.seq === theirs.seq)) continue;
      const what = kind === 'alias' ? `alias ${theirs.model}@${theirs.subject}` : `the stage of ${theirs.model}:${theirs.subject}`;
      conflicts.push({
        kind,
        model: theirs.model,
        subject: theirs.subject,
        message: `${what} was changed here (${ours.from ?? '-'} → ${ours.to ?? '-'} by ${ours.actor}) and on the remote (${theirs.from ?? '-'} → ${theirs.to ?? '-'} by ${theirs.actor}) since the last sync; agree on one and set it again after pulling the other side's registry.`,
      });
    }
  }
  const localModels = new Map(local.models.map((m) => [m.name, m]));
  for (const theirs of remote.models) {
    const ours = localModels.get(theirs.name);
    if (!ours) continue;
    const versions = new Map(ours.versions.map((v) => [v.version, v]));
    for (const v of theirs.versions) {
      const mine = versions.get(v.version);
      if (!mine) continue;
      const sameFile = (mine.file?.md5 ?? null) === (v.file?.md5 ?? null);
      if (mine.source !== v.source || !sameFile) {
        conflicts.push({
          kind: 'source',
          model: theirs.name,
          subject: String(v.version),
          message: `${theirs.name}:${v.version} is ${mine.source}${mine.file ? ` (md5 ${mine.file.md5})` : ''} here but ${v.source}${v.file ? ` (md5 ${v.file.md5})` : ''} on the remote: both sides registered a version with that number. Rename one model and register its versions again.`,
        });
      }
    }
  }
  return conflicts;
}
