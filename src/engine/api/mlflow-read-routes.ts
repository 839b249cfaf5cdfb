import { pipeline } from 'node:stream/promises';
import type { GetExperimentResponse, GetRunResponse, SearchRunsRequest } from '../../shared/mlflow';
import {
  getExperiment,
  getExperimentByName,
  getMetricHistory,
  getRun,
  listArtifacts,
  openArtifact,
  searchExperiments,
  searchRuns,
  type TrackingContext,
} from '../tracking';
import { queryObject, readJsonBody, sendJson } from './http-util';
import type { Route, RouteContext } from './router';

const MLFLOW = '/api/2.0/mlflow';
const LIST_FIELDS = ['experiment_ids', 'order_by'] as const;

/** Request fields of a GET (query string) or POST (JSON body). */
async function input(ctx: RouteContext): Promise<Record<string, unknown>> {
  return ctx.req.method === 'GET' ? queryObject(ctx.url, LIST_FIELDS) : readJsonBody(ctx.req);
}

function read(method: 'GET' | 'POST', path: string, handler: (body: Record<string, unknown>) => unknown): Route {
  return {
    method,
    path,
    mutating: false,
    async handle(ctx) {
      sendJson(ctx.res, 200, handler(await input(ctx)));
    },
  };
}

/** Streams one run artifact; a corrupt stored object aborts the response instead of passing as complete. */
async function sendArtifact(tracking: TrackingContext, ctx: RouteContext, runId: unknown, path: unknown): Promise<void> {
  const { record, stream } = openArtifact(tracking, runId, path);
  ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': record.size, 'x-content-md5': record.md5 });
  await pipeline(stream, ctx.res);
}

/** The read side of MLflow's tracking API, at MLflow's paths and with its JSON shapes. */
export function mlflowReadRoutes(tracking: TrackingContext): Route[] {
  const searchExp = (body: Record<string, unknown>) => searchExperiments(tracking, body);
  const searchR = (body: Record<string, unknown>) => {
    const ids = body.experiment_ids;
    const request = { ...body, experiment_ids: typeof ids === 'string' ? [ids] : ids } as SearchRunsRequest;
    return searchRuns(tracking, request);
  };
  return [
    read('GET', `${MLFLOW}/experiments/search`, searchExp),
    read('POST', `${MLFLOW}/experiments/search`, searchExp),
    read('GET', `${MLFLOW}/experiments/get`, (b): GetExperimentResponse => ({ experiment: getExperiment(tracking, b.experiment_id) })),
    read('GET', `${MLFLOW}/experiments/get-by-name`, (b): GetExperimentResponse => ({ experiment: getExperimentByName(tracking, b.experiment_name) })),
    read('GET', `${MLFLOW}/runs/search`, searchR),
    read('POST', `${MLFLOW}/runs/search`, searchR),
    read('GET', `${MLFLOW}/runs/get`, (b): GetRunResponse => ({ run: getRun(tracking, b.run_id ?? b.run_uuid) })),
    read('GET', `${MLFLOW}/metrics/get-history`, (b) => getMetricHistory(tracking, b)),
    read('GET', `${MLFLOW}/artifacts/list`, (b) => listArtifacts(tracking, b)),
    {
      method: 'GET',
      path: '/get-artifact',
      mutating: false,
      handle: (ctx) => sendArtifact(tracking, ctx, ctx.url.searchParams.get('run_id') ?? ctx.url.searchParams.get('run_uuid'), ctx.url.searchParams.get('path')),
    },
  ];
}
