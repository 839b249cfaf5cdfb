import { pipeline } from 'node:stream/promises';
import { SlipwayError } from '../errors';
import { deleteOwnerArtifacts, listOwnerArtifacts, normalizeArtifactPath, openOwnerArtifact, putArtifact, type ArtifactOwner, type TrackingContext } from '../tracking';
import { sendJson } from './http-util';
import type { Route, RouteContext } from './router';

const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

/**
 * Resolves a path under the artifact proxy root to its owner and the path within it:
 * `<experiment>/<run>/artifacts/<path>` for runs, `<experiment>/models/<model_id>/artifacts/<path>` for logged models.
 */
export function resolveProxyPath(raw: string): { owner: ArtifactOwner; path: string } {
  // An empty segment means an absolute path was appended to the location (".../artifacts//etc/passwd").
  if (/\/\//.test(raw)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid artifact path "${raw}": it must be relative, without empty segments.`);
  const path = normalizeArtifactPath(raw, { allowEmpty: true });
  const run = /^[^/]+\/([0-9a-f]{32})\/artifacts(?:\/(.*))?$/.exec(path);
  if (run) return { owner: { kind: 'run', id: run[1]! }, path: run[2] ?? '' };
  const model = /^[^/]+\/models\/(m-[0-9a-f]{32})\/artifacts(?:\/(.*))?$/.exec(path);
  if (model) return { owner: { kind: 'model', id: model[1]! }, path: model[2] ?? '' };
  throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No artifact location "${raw}"; expected <experiment_id>/<run_id>/artifacts/<path> or <experiment_id>/models/<model_id>/artifacts/<path>.`);
}

function restPath(ctx: RouteContext): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(ctx.rest);
  } catch {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', 'The artifact path is not valid percent-encoding.');
  }
  return decoded;
}

/** MLflow's artifact proxy (mlflow_artifacts.proto): upload, download, list and delete. */
export function mlflowArtifactRoutes(tracking: TrackingContext): Route[] {
  return [
    {
      method: 'GET',
      path: ARTIFACTS,
      mutating: false,
      handle(ctx) {
        const { owner, path } = resolveProxyPath(ctx.url.searchParams.get('path') ?? '');
        const prefix = path ? `${path}/` : '';
        const files = tracking.store.read(() => listOwnerArtifacts(tracking, owner, path)).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
        sendJson(ctx.res, 200, { files });
      },
    },
    {
      method: 'GET',
      path: `${ARTIFACTS}/*`,
      mutating: false,
      async handle(ctx) {
        const { owner, path } = resolveProxyPath(restPath(ctx));
        const { record, stream } = openOwnerArtifact(tracking, owner, path);
        ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': record.size, 'x-content-md5': record.md5 });
        await pipeline(stream, ctx.res);
      },
    },
    {
      method: 'PUT',
      path: `${ARTIFACTS}/*`,
      mutating: true,
      async handle(ctx) {
        const { owner, path } = resolveProxyPath(restPath(ctx));
        await putArtifact(tracking, owner, path, { stream: ctx.req });
        sendJson(ctx.res, 200, {});
      },
    },
    {
      method: 'DELETE',
      path: `${ARTIFACTS}/*`,
      mutating: true,
      handle(ctx) {
        const { owner, path } = resolveProxyPath(restPath(ctx));
        deleteOwnerArtifacts(tracking, owner, path);
        sendJson(ctx.res, 200, {});
      },
    },
  ];
}
