import type {
  AuditVerification,
  ModelVersion,
  ModelVersionResponse,
  RegisteredModel,
  RegistryAuditEntry,
  SearchModelVersionsResponse,
  SearchRegisteredModelsResponse,
} from '../../shared/mlflow-registry';
import { REGISTRY_ROUTES } from '../../shared/mlflow-registry';
import type { EngineHttp } from '../connection/http';

const RM = REGISTRY_ROUTES.registeredModels;
const MV = REGISTRY_ROUTES.modelVersions;

/** Every registered model, following page tokens. */
export async function fetchModels(http: EngineHttp): Promise<RegisteredModel[]> {
  const all: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = await http.get<SearchRegisteredModelsResponse>(`${RM}/search`, { max_results: 1000, page_token: pageToken });
    all.push(...(page.registered_models ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return all;
}

/** Every version of every model, following page tokens. */
export async function fetchVersions(http: EngineHttp): Promise<ModelVersion[]> {
  const all: ModelVersion[] = [];
  let pageToken: string | undefined;
  do {
    const page = await http.get<SearchModelVersionsResponse>(`${MV}/search`, { max_results: 10_000, page_token: pageToken });
    all.push(...(page.model_versions ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return all;
}

/** Points `alias` at `version`; the reason goes into the registry's audit log. */
export async function setAlias(http: EngineHttp, name: string, alias: string, version: string, reason: string): Promise<void> {
  await http.post(`${RM}/alias`, { name, alias, version, reason });
}

/** Moves `alias` back to the version that held it before; returns the version it now points at. */
export async function rollbackAlias(http: EngineHttp, name: string, alias: string, reason: string): Promise<ModelVersion> {
  const { model_version } = await http.post<ModelVersionResponse>(REGISTRY_ROUTES.rollback, { name, alias, reason });
  return model_version;
}

export interface ModelHistory {
  entries: RegistryAuditEntry[];
  verification?: AuditVerification;
}

/** A model's audit trail, with the hash chain verified by the engine. */
export function fetchHistory(http: EngineHttp, name: string): Promise<ModelHistory> {
  return http.get<ModelHistory>(REGISTRY_ROUTES.audit, { name, verify: 'true' });
}
