import {
  createExperiment,
  createLoggedModel,
  createRun,
  deleteLoggedModel,
  deleteLoggedModelTag,
  deleteTag,
  finalizeLoggedModel,
  getLoggedModel,
  logBatch,
  logInputs,
  logLoggedModelParams,
  logMetric,
  logModel,
  logOutputs,
  logParam,
  renameExperiment,
  searchLoggedModels,
  setExperimentLifecycle,
  setExperimentTag,
  setLoggedModelTags,
  setRunLifecycle,
  setTag,
  updateRun,
  type TrackingContext,
} from '../tracking';
import { SlipwayError } from '../errors';
import { readJsonBody, sendJson } from './http-util';
import type { Method, Route, RouteContext } from './router';
import { WriteBatcher } from './write-batcher';

const MLFLOW = '/api/2.0/mlflow';
type Body = Record<string, unknown>;

/** A POST route whose handler is a synchronous engine call; writes go through the group commit. */
function post(path: string, handler: (body: Body) => unknown, batcher: WriteBatcher | null): Route {
  return {
    method: 'POST',
    path,
    mutating: batcher !== null,
    async handle(ctx) {
      const body = await readJsonBody(ctx.req);
      const result = batcher ? await batcher.run(() => handler(body)) : handler(body);
      sendJson(ctx.res, 200, result ?? {});
    },
  };
}

function runIdOf(body: Body): unknown {
  return body.run_id ?? body.run_uuid;
}

/** Routes under /logged-models/{id}[/tags[/{key}] | /params], one handler per method. */
function loggedModelRoute(method: Method, tracking: TrackingContext): Route {
  return {
    method,
    path: `${MLFLOW}/logged-models/*`,
    mutating: method !== 'GET',
    async handle(ctx: RouteContext) {
      const parts = ctx.rest.split('/').map(decodeURIComponent);
      const [id, sub, key] = parts;
      const body = method === 'GET' ? {} : await readJsonBody(ctx.req);
      if (parts.length === 1 && method === 'GET') return sendJson(ctx.res, 200, { model: getLoggedModel(tracking, id) });
      if (parts.length === 1 && method === 'PATCH') return sendJson(ctx.res, 200, { model: finalizeLoggedModel(tracking, id, body.status) });
      if (parts.length === 1 && method === 'DELETE') return (deleteLoggedModel(tracking, id), sendJson(ctx.res, 200, {}));
      if (sub === 'tags' && parts.length === 2 && method === 'PATCH') return (setLoggedModelTags(tracking, id, body.tags), sendJson(ctx.res, 200, {}));
      if (sub === 'tags' && parts.length === 3 && method === 'DELETE') return (deleteLoggedModelTag(tracking, id, key), sendJson(ctx.res, 200, {}));
      if (sub === 'params' && parts.length === 2 && method === 'POST') return (logLoggedModelParams(tracking, id, body.params), sendJson(ctx.res, 200, {}));
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No route ${method} ${ctx.url.pathname}.`);
    },
  };
}

/** The write side of MLflow's tracking API (service.proto), plus MLflow 3's logged models. */
export function mlflowWriteRoutes(tracking: TrackingContext): Route[] {
  const batcher = new WriteBatcher(tracking.store);
  return [
    post(`${MLFLOW}/experiments/create`, (b) => ({ experiment_id: createExperiment(tracking, b) }), batcher),
    post(`${MLFLOW}/experiments/update`, (b) => renameExperiment(tracking, b.experiment_id, b.new_name), batcher),
    post(`${MLFLOW}/experiments/delete`, (b) => setExperimentLifecycle(tracking, b.experiment_id, 'deleted'), batcher),
    post(`${MLFLOW}/experiments/restore`, (b) => setExperimentLifecycle(tracking, b.experiment_id, 'active'), batcher),
    post(`${MLFLOW}/experiments/set-experiment-tag`, (b) => setExperimentTag(tracking, b.experiment_id, b.key, b.value), batcher),
    post(`${MLFLOW}/runs/create`, (b) => ({ run: createRun(tracking, b) }), batcher),
    post(`${MLFLOW}/runs/update`, (b) => ({ run_info: updateRun(tracking, b) }), batcher),
    post(`${MLFLOW}/runs/delete`, (b) => setRunLifecycle(tracking, runIdOf(b), 'deleted'), batcher),
    post(`${MLFLOW}/runs/restore`, (b) => setRunLifecycle(tracking, runIdOf(b), 'active'), batcher),
    post(`${MLFLOW}/runs/log-metric`, (b) => logMetric(tracking, runIdOf(b), { key: b.key, value: b.value, timestamp: b.timestamp, step: b.step }), batcher),
    post(`${MLFLOW}/runs/log-parameter`, (b) => logParam(tracking, runIdOf(b), b.key, b.value), batcher),
    post(`${MLFLOW}/runs/set-tag`, (b) => setTag(tracking, runIdOf(b), b.key, b.value), batcher),
    post(`${MLFLOW}/runs/delete-tag`, (b) => deleteTag(tracking, runIdOf(b), b.key), batcher),
    post(`${MLFLOW}/runs/log-batch`, (b) => logBatch(tracking, { run_id: runIdOf(b), metrics: b.metrics, params: b.params, tags: b.tags }), batcher),
    post(`${MLFLOW}/runs/log-model`, (b) => logModel(tracking, { run_id: runIdOf(b), model_json: b.model_json }), batcher),
    post(`${MLFLOW}/runs/log-inputs`, (b) => logInputs(tracking, { run_id: runIdOf(b), datasets: b.datasets, models: b.models }), batcher),
    post(`${MLFLOW}/runs/outputs`, (b) => logOutputs(tracking, { run_id: runIdOf(b), models: b.models }), batcher),
    post(`${MLFLOW}/logged-models`, (b) => ({ model: createLoggedModel(tracking, b) }), batcher),
    post(`${MLFLOW}/logged-models/search`, (b) => searchLoggedModels(tracking, b), null),
    loggedModelRoute('GET', tracking),
    loggedModelRoute('PATCH', tracking),
    loggedModelRoute('DELETE', tracking),
    loggedModelRoute('POST', tracking),
  ];
}

