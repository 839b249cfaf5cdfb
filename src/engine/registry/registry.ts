import { userInfo } from 'node:os';
import type { AuditVerification, ModelVersion, RegisteredModel, RegistryAuditEntry } from '../../shared/mlflow-registry';
import type { ObjectStore } from '../objects';
import type { Store } from '../store';
import * as aliases from './aliases';
import { readAudit, verifyAuditChain } from './audit';
import type { ChangeMeta, RegistryContext } from './context';
import type { ModelRef } from './modelref';
import * as models from './models';
import { resolveModelFile, type RegisteredModelFile } from './model-file';
import { registerSearchFunctions } from './search';
import type { VersionRow } from './shapes';
import * as versions from './versions';

export interface RegistryOptions {
  /** Recorded as user_id and as the audit actor when a call gives none. Defaults to the OS user. */
  actor?: string;
  /** The artifact object store (ProjectPaths.artifacts); needed to register files. */
  objects?: ObjectStore;
  now?: () => number;
}

function defaultActor(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The model registry over one Slipway store: registered models, versions, tags, stages and aliases, with every stage
 * or alias change and every deletion appended to the hash-chained audit log. Methods return MLflow's JSON shapes,
 * so REST routes pass them through. Errors are SlipwayErrors with MLflow's codes.
 */
export class ModelRegistry {
  private readonly ctx: RegistryContext;

  constructor(store: Store, options: RegistryOptions = {}) {
    registerSearchFunctions(store.db);
    this.ctx = { store, actor: options.actor ?? defaultActor(), now: options.now ?? Date.now, objects: options.objects ?? null };
  }

  createModel(input: models.CreateModelInput): RegisteredModel {
    return models.createModel(this.ctx, input);
  }
  getModel(name: string): RegisteredModel {
    return models.getModel(this.ctx, name);
  }
  searchModels(input?: models.SearchInput): { models: RegisteredModel[]; nextPageToken?: string } {
    return models.searchModels(this.ctx, input);
  }
  updateModel(name: string, description: string | undefined): RegisteredModel {
    return models.updateModel(this.ctx, name, description);
  }
  renameModel(name: string, newName: string, meta?: ChangeMeta): RegisteredModel {
    return models.renameModel(this.ctx, name, newName, meta);
  }
  deleteModel(name: string, meta?: ChangeMeta): void {
    models.deleteModel(this.ctx, name, meta);
  }
  setModelTag(name: string, key: string, value: string): void {
    models.setModelTag(this.ctx, name, key, value);
  }
  deleteModelTag(name: string, key: string, meta?: ChangeMeta): void {
    models.deleteModelTag(this.ctx, name, key, meta);
  }

  createVersion(input: versions.CreateVersionInput): ModelVersion {
    return versions.createVersion(this.ctx, input);
  }
  createVersionFromRun(name: string, runId: string, artifactPath: string, extra?: Omit<versions.CreateVersionInput, 'name' | 'source' | 'runId'>): ModelVersion {
    return versions.createVersionFromRun(this.ctx, name, runId, artifactPath, extra);
  }
  createVersionFromLoggedModel(name: string, modelId: string, extra?: Omit<versions.CreateVersionInput, 'name' | 'source' | 'modelId'>): ModelVersion {
    return versions.createVersionFromLoggedModel(this.ctx, name, modelId, extra);
  }
  createVersionFromFile(name: string, filePath: string, extra?: Omit<versions.CreateVersionInput, 'name' | 'source' | 'file'>): Promise<ModelVersion> {
    return versions.createVersionFromFile(this.ctx, name, filePath, extra);
  }
  getVersion(name: string, version: string | number): ModelVersion {
    return versions.getVersion(this.ctx, name, version);
  }
  getVersionRow(name: string, version: string | number): VersionRow {
    return versions.getVersionRow(this.ctx, name, version);
  }
  searchVersions(input?: models.SearchInput): { versions: ModelVersion[]; nextPageToken?: string } {
    return versions.searchVersions(this.ctx, input);
  }
  updateVersion(name: string, version: string | number, description: string | undefined): ModelVersion {
    return versions.updateVersion(this.ctx, name, version, description);
  }
  deleteVersion(name: string, version: string | number, meta?: ChangeMeta): void {
    versions.deleteVersion(this.ctx, name, version, meta);
  }
  setVersionTag(name: string, version: string | number, key: string, value: string): void {
    versions.setVersionTag(this.ctx, name, version, key, value);
  }
  deleteVersionTag(name: string, version: string | number, key: string, meta?: ChangeMeta): void {
    versions.deleteVersionTag(this.ctx, name, version, key, meta);
  }
  downloadUri(name: string, version: string | number): string {
    return versions.downloadUri(this.ctx, name, version);
  }
  openVersionFile(name: string, version: string | number): ReturnType<typeof versions.openVersionFile> {
    return versions.openVersionFile(this.ctx, name, version);
  }
  latestVersions(name: string, stages?: readonly string[]): ModelVersion[] {
    return versions.latestVersions(this.ctx, name, stages);
  }

  transitionStage(name: string, version: string | number, stage: string, archiveExisting: boolean, meta?: ChangeMeta): ModelVersion {
    return aliases.transitionStage(this.ctx, name, version, stage, archiveExisting, meta);
  }
  setAlias(name: string, alias: string, version: string | number, meta?: ChangeMeta): ModelVersion {
    return aliases.setAlias(this.ctx, name, alias, version, meta);
  }
  deleteAlias(name: string, alias: string, meta?: ChangeMeta): void {
    aliases.deleteAlias(this.ctx, name, alias, meta);
  }
  versionByAlias(name: string, alias: string): ModelVersion {
    return aliases.versionByAlias(this.ctx, name, alias);
  }
  resolve(ref: string | ModelRef): ModelVersion {
    return aliases.resolveModelRef(this.ctx, ref);
  }
  rollback(name: string, alias: string, meta: ChangeMeta): ModelVersion {
    return aliases.rollbackAlias(this.ctx, name, alias, meta);
  }
  /** The file a MODELREF serves from, in the artifact object store (see resolveModelFile). */
  modelFile(ref: string | ModelRef, extension?: string): RegisteredModelFile {
    return resolveModelFile(this.ctx, ref, extension);
  }

  /** Audit entries in append order, optionally for one model (following renames). */
  history(name?: string): RegistryAuditEntry[] {
    return this.ctx.store.read(() => readAudit(this.ctx.store.db, name));
  }
  /** Verifies the audit chain and compares it with the registry's current aliases and stages. */
  verify(name?: string): AuditVerification {
    return verifyAuditChain(this.ctx.store, name);
  }
}
