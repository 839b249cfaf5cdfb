/**
 * MLflow model registry shapes (JSON mapping of mlflow/protos/model_registry.proto), as the engine serves them over
 * `/api/2.0/mlflow/registered-models/*` and `/api/2.0/mlflow/model-versions/*`, and as the extension reads them.
 * Timestamps are int64 milliseconds written as numbers; versions are decimal strings, as MLflow writes them.
 */

/** Stages of MLflow's (deprecated, still used) stage workflow, in MLflow's canonical spelling. */
export type ModelStage = 'None' | 'Staging' | 'Production' | 'Archived';

export type ModelVersionStatus = 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';

export interface RegistryTag {
  key: string;
  value: string;
}

export interface RegisteredModelAlias {
  alias: string;
  version: string;
}

export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  current_stage: ModelStage;
  description?: string;
  source: string;
  run_id?: string;
  status: ModelVersionStatus;
  status_message?: string;
  tags?: RegistryTag[];
  run_link?: string;
  aliases?: string[];
  /** MLflow 3: the logged model this version was registered from. */
  model_id?: string;
}

export interface RegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id?: string;
  description?: string;
  /** Newest version per stage, as MLflow returns it. */
  latest_versions?: ModelVersion[];
  tags?: RegistryTag[];
  aliases?: RegisteredModelAlias[];
}

// Requests (GET routes take these as query parameters) and responses.

export interface CreateRegisteredModelRequest {
  name: string;
  tags?: RegistryTag[];
  description?: string;
}
export interface RegisteredModelResponse {
  registered_model: RegisteredModel;
}

export interface SearchRegisteredModelsRequest {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SearchRegisteredModelsResponse {
  registered_models?: RegisteredModel[];
  next_page_token?: string;
}

export interface CreateModelVersionRequest {
  name: string;
  source: string;
  run_id?: string;
  tags?: RegistryTag[];
  run_link?: string;
  description?: string;
  model_id?: string;
}
export interface ModelVersionResponse {
  model_version: ModelVersion;
}

export interface SearchModelVersionsRequest {
  filter?: string;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SearchModelVersionsResponse {
  model_versions?: ModelVersion[];
  next_page_token?: string;
}

export interface TransitionModelVersionStageRequest {
  name: string;
  version: string;
  stage: string;
  archive_existing_versions: boolean;
}

export interface GetLatestVersionsResponse {
  model_versions?: ModelVersion[];
}

export interface GetModelVersionDownloadUriResponse {
  artifact_uri: string;
}

export interface SetRegisteredModelAliasRequest {
  name: string;
  alias: string;
  version: string;
}

/** One entry of the registry's append-only audit log (`GET /api/slipway/v1/models/audit`, `slipway models history --json`). */
export interface RegistryAuditEntry {
  /** Where the entry was written: a random id per store; pulled entries keep their origin. */
  origin: string;
  /** Position in its origin's chain, from 1. */
  seq: number;
  tsMs: number;
  actor: string;
  model: string;
  action: RegistryAuditAction;
  /** The alias, version or tag key the action applies to ('' for whole-model actions). */
  subject: string;
  from: string | null;
  to: string | null;
  reason: string;
  prevHash: string;
  hash: string;
}

export type RegistryAuditAction =
  | 'alias.set'
  | 'alias.delete'
  | 'alias.rollback'
  | 'stage.transition'
  | 'version.delete'
  | 'model.delete'
  | 'model.rename'
  | 'model.tag.delete'
  | 'version.tag.delete';

/** A break found by chain verification. */
export interface AuditProblem {
  /** chain: an entry was changed, removed or unlinked; protection: a trigger is missing; state: the registry differs from what the log says. */
  kind: 'chain' | 'protection' | 'state';
  origin: string;
  /** The entry concerned, when there is one. */
  seq: number | null;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  problems: AuditProblem[];
}

// `slipway models … --json` outputs.

/** One row of `slipway models list --json`. */
export interface ModelSummary {
  name: string;
  description: string;
  latestVersion: string | null;
  /** alias → version */
  aliases: Record<string, string>;
  /** stage → newest version in that stage (None excluded) */
  stages: Record<string, string>;
  lastUpdated: number;
}

export interface ModelsListOutput {
  models: ModelSummary[];
  nextPageToken: string | null;
}

/** `slipway models show NAME --json`: the model and all its versions, newest first. */
export interface ModelShowOutput {
  model: RegisteredModel;
  versions: ModelVersion[];
}

/** `slipway models show NAME@ALIAS|NAME:VERSION --json`, and the result of register, alias, stage and rollback. */
export interface ModelVersionOutput {
  modelVersion: ModelVersion;
}

/** `slipway models alias NAME ALIAS --delete --json`. */
export interface ModelAliasDeletedOutput {
  /** NAME@ALIAS that was removed. */
  deleted: string;
}

/** `slipway models history NAME [--verify] --json`. */
export interface ModelsHistoryOutput {
  entries: RegistryAuditEntry[];
  verification?: AuditVerification;
}

// Registry state as exported to a project remote (`slipway push`) and compared on `slipway pull`.

export interface RegistrySnapshotVersion {
  version: number;
  source: string;
  runId: string | null;
  runLink: string | null;
  modelId: string | null;
  description: string;
  userId: string;
  creationTime: number;
  lastUpdatedTime: number;
  stage: ModelStage;
  /** Bytes of a file registration, in the artifact object store (files/md5 layout). */
  file: { md5: string; size: number; name: string } | null;
  schemaYaml: string | null;
  tags: Record<string, string>;
}

export interface RegistrySnapshotModel {
  name: string;
  description: string;
  userId: string;
  creationTime: number;
  lastUpdatedTime: number;
  nextVersion: number;
  tags: Record<string, string>;
  /** alias → version */
  aliases: Record<string, number>;
  versions: RegistrySnapshotVersion[];
}

export interface RegistrySnapshot {
  format: 1;
  models: RegistrySnapshotModel[];
}

/** Why a pull cannot merge: both sides changed the same thing since the last sync. */
export interface RegistrySyncConflict {
  kind: 'alias' | 'stage' | 'source';
  model: string;
  /** The alias, or the version number. */
  subject: string;
  message: string;
}

/** Registry route prefixes: MLflow's, and Slipway's own beside them (audit history, rollback). */
export const REGISTRY_ROUTES = {
  registeredModels: '/api/2.0/mlflow/registered-models',
  modelVersions: '/api/2.0/mlflow/model-versions',
  /** `GET ?name=&verify=true`: the audit entries, with the chain verification when asked. */
  audit: '/api/slipway/v1/models/audit',
  /** `POST {name, alias, reason}`: move the alias back to the version it held before (bearer token). */
  rollback: '/api/slipway/v1/models/rollback',
} as const;
