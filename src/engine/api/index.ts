export { EngineServer } from './server';
export type { EngineServerOptions } from './server';
export type { Route, RouteContext, Method } from './router';
export { sendJson, sendError, readJsonBody, queryObject, statusOf, MAX_JSON_BODY } from './http-util';
export { mlflowRegistryRoutes, REGISTRY_FILES_ROUTE } from './mlflow-registry-routes';
