import type { ModelStage, ModelVersion, ModelVersionStatus, RegisteredModel, RegistryTag } from '../../shared/mlflow-registry';

/** A `registered_models` row. */
export interface ModelRow {
  name: string;
  creation_time: number;
  last_updated_time: number;
  description: string;
  user_id: string;
  next_version: number;
}

/** A `model_versions` row. */
export interface VersionRow {
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string;
  user_id: string;
  current_stage: ModelStage;
  source: string;
  run_id: string | null;
  run_link: string | null;
  model_id: string | null;
  status: ModelVersionStatus;
  status_message: string | null;
  file_md5: string | null;
  file_size: number | null;
  file_name: string | null;
  schema_yaml: string | null;
}

export interface TagRow {
  key: string;
  value: string;
}

/** Tags sorted by key, so responses are stable. */
function tagList(tags: readonly TagRow[]): RegistryTag[] {
  return [...tags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ key, value }) => ({ key, value }));
}

/**
 * MLflow's ModelVersion JSON for a row. Empty optional fields are left out, as MLflow's proto-to-JSON does.
 */
export function toModelVersion(row: VersionRow, tags: readonly TagRow[] = [], aliases: readonly string[] = []): ModelVersion {
  const out: ModelVersion = {
    name: row.name,
    version: String(row.version),
    creation_timestamp: row.creation_time,
    last_updated_timestamp: row.last_updated_time,
    current_stage: row.current_stage,
    source: row.source,
    status: row.status,
  };
  if (row.user_id) out.user_id = row.user_id;
  if (row.description) out.description = row.description;
  if (row.run_id) out.run_id = row.run_id;
  if (row.status_message) out.status_message = row.status_message;
  if (tags.length) out.tags = tagList(tags);
  if (row.run_link) out.run_link = row.run_link;
  if (aliases.length) out.aliases = [...aliases].sort();
  if (row.model_id) out.model_id = row.model_id;
  return out;
}

/**
 * MLflow's RegisteredModel JSON for a row. `latestVersions` should hold the newest version of each stage (see
 * {@link latestPerStage}).
 */
export function toRegisteredModel(
  row: ModelRow,
  tags: readonly TagRow[] = [],
  aliases: readonly { alias: string; version: number }[] = [],
  latestVersions: readonly ModelVersion[] = [],
): RegisteredModel {
  const out: RegisteredModel = {
    name: row.name,
    creation_timestamp: row.creation_time,
    last_updated_timestamp: row.last_updated_time,
  };
  if (row.user_id) out.user_id = row.user_id;
  if (row.description) out.description = row.description;
  if (latestVersions.length) out.latest_versions = [...latestVersions];
  if (tags.length) out.tags = tagList(tags);
  if (aliases.length) {
    out.aliases = [...aliases].sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0)).map(({ alias, version }) => ({ alias, version: String(version) }));
  }
  return out;
}

/** The newest version in each stage, ordered by stage name, as MLflow's `latest_versions` lists them. */
export function latestPerStage<T extends { current_stage: string; version: number }>(versions: readonly T[]): T[] {
  const best = new Map<string, T>();
  for (const v of versions) {
    const current = best.get(v.current_stage);
    if (!current || v.version > current.version) best.set(v.current_stage, v);
  }
  return [...best.values()].sort((a, b) => (a.current_stage < b.current_stage ? -1 : a.current_stage > b.current_stage ? 1 : 0));
}
