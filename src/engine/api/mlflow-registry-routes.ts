import type {
  GetLatestVersionsResponse,
  GetModelVersionDownloadUriResponse,
  ModelVersionResponse,
  RegisteredModelResponse,
  RegistryAuditEntry,
  RegistryTag,
  AuditVerification,
  SearchModelVersionsResponse,
  SearchRegisteredModelsResponse,
} from '../../shared/mlflow-registry';
import { REGISTRY_ROUTES } from '../../shared/mlflow-registry';
import { pipeline } from 'node:stream/promises';
import { SlipwayError } from '../errors';
import type { ChangeMeta, ModelRegistry } from '../registry';
import { queryObject, readJsonBody, sendJson } from './http-util';
import type { Method, Route, RouteContext } from './router';

const RM = REGISTRY_ROUTES.registeredModels;
const MV = REGISTRY_ROUTES.modelVersions;
/** Where file-registered versions are downloaded (their download URI is `mlflow-artifacts:/registry/<name>/<version>/<file>`). */
export const REGISTRY_FILES_ROUTE = '/api/2.0/mlflow-artifacts/artifacts/registry/*';
const LIST_FIELDS = ['order_by', 'stages'] as const;

type Body = Record<string, unknown>;

/**
 * Request fields: the query string for GET; the JSON body otherwise, over the query string for DELETE (MLflow's
 * Python client sends DELETE parameters as a body, browsers and curl users often as a query).
 */
async function input(ctx: RouteContext): Promise<Body> {
  if (ctx.req.method === 'GET') return queryObject(ctx.url, LIST_FIELDS);
  const body = await readJsonBody(ctx.req);
  return ctx.req.method === 'DELETE' ? { ...queryObject(ctx.url, LIST_FIELDS), ...body } : body;
}

function required(body: Body, field: string): string {
  const value = body[field];
  if (value === undefined || value === null || value === '') throw new SlipwayError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${field}'.`);
  if (typeof value !== 'string') throw new SlipwayError('INVALID_PARAMETER_VALUE', `Parameter '${field}' must be a string, got ${JSON.stringify(value)}.`);
  return value;
}

/** Versions are strings in MLflow's protos; some clients send them as numbers. */
function version(body: Body): string {
  const value = body.version;
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : required(body, 'version');
}

function optionalString(body: Body, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SlipwayError('INVALID_PARAMETER_VALUE', `Parameter '${field}' must be a string, got ${JSON.stringify(value)}.`);
  return value;
}

/** int64 fields arrive as numbers from the Python client and as strings from query strings and other clients. */
function optionalInt(body: Body, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Parameter '${field}' must be an integer, got ${JSON.stringify(value)}.`);
  return n;
}

function optionalBool(body: Body, field: string): boolean {
  const value = body[field];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new SlipwayError('INVALID_PARAMETER_VALUE', `Parameter '${field}' must be true or false, got ${JSON.stringify(value)}.`);
}

function stringList(body: Body, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((v): v is string => typeof v === 'string')) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Parameter '${field}' must be a list of strings.`);
  return list;
}

function tagList(body: Body): RegistryTag[] | undefined {
  const value = body.tags;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Parameter 'tags' must be a list of {key, value} objects.");
  return value.map((tag: unknown) => {
    if (typeof tag !== 'object' || tag === null) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Each entry of 'tags' must be a {key, value} object.");
    const { key, value: tagValue } = tag as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || typeof tagValue !== 'string') throw new SlipwayError('INVALID_PARAMETER_VALUE', "Each entry of 'tags' needs a string key and a string value.");
    return { key, value: tagValue };
  });
}

/** Slipway accepts an optional `reason` on registry writes (MLflow clients send none); it goes into the audit log. */
function meta(body: Body): ChangeMeta {
  const reason = optionalString(body, 'reason');
  return reason ? { reason } : {};
}

function route(method: Method, path: string, mutating: boolean, handler: (body: Body) => unknown): Route {
  return {
    method,
    path,
    mutating,
    async handle(ctx) {
      sendJson(ctx.res, 200, handler(await input(ctx)));
    },
  };
}

/** MLflow's model registry API at MLflow's paths, plus Slipway's audit and rollback routes. */
export function mlflowRegistryRoutes(registry: ModelRegistry): Route[] {
  const searchModels = (b: Body): SearchRegisteredModelsResponse => {
    const found = registry.searchModels({ filter: optionalString(b, 'filter'), maxResults: optionalInt(b, 'max_results'), orderBy: stringList(b, 'order_by'), pageToken: optionalString(b, 'page_token') });
    const out: SearchRegisteredModelsResponse = {};
    if (found.models.length) out.registered_models = found.models;
    if (found.nextPageToken) out.next_page_token = found.nextPageToken;
    return out;
  };
  const searchVersions = (b: Body): SearchModelVersionsResponse => {
    const found = registry.searchVersions({ filter: optionalString(b, 'filter'), maxResults: optionalInt(b, 'max_results'), orderBy: stringList(b, 'order_by'), pageToken: optionalString(b, 'page_token') });
    const out: SearchModelVersionsResponse = {};
    if (found.versions.length) out.model_versions = found.versions;
    if (found.nextPageToken) out.next_page_token = found.nextPageToken;
    return out;
  };
  const latest = (b: Body): GetLatestVersionsResponse => {
    const versions = registry.latestVersions(required(b, 'name'), stringList(b, 'stages'));
    return versions.length ? { model_versions: versions } : {};
  };
  return [
    route('POST', `${RM}/create`, true, (b): RegisteredModelResponse => ({
      registered_model: registry.createModel({ name: required(b, 'name'), description: optionalString(b, 'description'), tags: tagList(b) }),
    })),
    route('GET', `${RM}/get`, false, (b): RegisteredModelResponse => ({ registered_model: registry.getModel(required(b, 'name')) })),
    route('POST', `${RM}/rename`, true, (b): RegisteredModelResponse => ({ registered_model: registry.renameModel(required(b, 'name'), required(b, 'new_name'), meta(b)) })),
    route('PATCH', `${RM}/update`, true, (b): RegisteredModelResponse => ({ registered_model: registry.updateModel(required(b, 'name'), optionalString(b, 'description')) })),
    route('DELETE', `${RM}/delete`, true, (b) => (registry.deleteModel(required(b, 'name'), meta(b)), {})),
    route('GET', `${RM}/search`, false, searchModels),
    route('POST', `${RM}/get-latest-versions`, false, latest),
    route('GET', `${RM}/get-latest-versions`, false, latest),
    route('POST', `${RM}/set-tag`, true, (b) => (registry.setModelTag(required(b, 'name'), required(b, 'key'), optionalString(b, 'value') ?? ''), {})),
    route('DELETE', `${RM}/delete-tag`, true, (b) => (registry.deleteModelTag(required(b, 'name'), required(b, 'key'), meta(b)), {})),
    route('POST', `${RM}/alias`, true, (b) => (registry.setAlias(required(b, 'name'), required(b, 'alias'), version(b), meta(b)), {})),
    route('DELETE', `${RM}/alias`, true, (b) => (registry.deleteAlias(required(b, 'name'), required(b, 'alias'), meta(b)), {})),
    route('GET', `${RM}/alias`, false, (b): ModelVersionResponse => ({ model_version: registry.versionByAlias(required(b, 'name'), required(b, 'alias')) })),

    route('POST', `${MV}/create`, true, (b): ModelVersionResponse => ({
      model_version: registry.createVersion({
        name: required(b, 'name'),
        source: required(b, 'source'),
        runId: optionalString(b, 'run_id'),
        runLink: optionalString(b, 'run_link'),
        description: optionalString(b, 'description'),
        tags: tagList(b),
        modelId: optionalString(b, 'model_id'),
      }),
    })),
    route('GET', `${MV}/get`, false, (b): ModelVersionResponse => ({ model_version: registry.getVersion(required(b, 'name'), version(b)) })),
    route('PATCH', `${MV}/update`, true, (b): ModelVersionResponse => ({
      model_version: registry.updateVersion(required(b, 'name'), version(b), optionalString(b, 'description')),
    })),
    route('DELETE', `${MV}/delete`, true, (b) => (registry.deleteVersion(required(b, 'name'), version(b), meta(b)), {})),
    route('GET', `${MV}/search`, false, searchVersions),
    route('POST', `${MV}/transition-stage`, true, (b): ModelVersionResponse => ({
      model_version: registry.transitionStage(required(b, 'name'), version(b), required(b, 'stage'), optionalBool(b, 'archive_existing_versions'), meta(b)),
    })),
    route('GET', `${MV}/get-download-uri`, false, (b): GetModelVersionDownloadUriResponse => ({ artifact_uri: registry.downloadUri(required(b, 'name'), version(b)) })),
    route('POST', `${MV}/set-tag`, true, (b) => (registry.setVersionTag(required(b, 'name'), version(b), required(b, 'key'), optionalString(b, 'value') ?? ''), {})),
    route('DELETE', `${MV}/delete-tag`, true, (b) => (registry.deleteVersionTag(required(b, 'name'), version(b), required(b, 'key'), meta(b)), {})),

    {
      method: 'GET',
      path: REGISTRY_FILES_ROUTE,
      mutating: false,
      async handle(ctx) {
        const parts = ctx.rest.split('/').map((p) => decodeURIComponent(p));
        if (parts.length !== 3) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No registry file at "${ctx.rest}"; expected registry/<model>/<version>/<file>.`);
        const [name, versionText, fileName] = parts as [string, string, string];
        const file = registry.openVersionFile(name, versionText);
        if (file.fileName !== fileName) {
          file.stream.destroy();
          throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Model version ${name}:${versionText} holds ${file.fileName}, not ${fileName}.`);
        }
        ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.size });
        await pipeline(file.stream, ctx.res);
      },
    },
    route('GET', REGISTRY_ROUTES.audit, false, (b): { entries: RegistryAuditEntry[]; verification?: AuditVerification } => {
      const name = optionalString(b, 'name');
      const entries = registry.history(name);
      return optionalBool(b, 'verify') ? { entries, verification: registry.verify(name) } : { entries };
    }),
    route('POST', REGISTRY_ROUTES.rollback, true, (b): ModelVersionResponse => ({
      model_version: registry.rollback(required(b, 'name'), required(b, 'alias'), { reason: required(b, 'reason') }),
    })),
  ];
}
