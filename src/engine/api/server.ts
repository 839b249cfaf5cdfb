import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ENGINE_ROUTES, type EngineHealth } from '../../shared/engine-api';
import { SlipwayError } from '../errors';
import type { OpenProject } from '../project';
import { EventHub } from './events';
import { dataRoutes } from './data-routes';
import { sendError, sendJson } from './http-util';
import { lineageRoutes } from './lineage-routes';
import { monitorRoutes } from './monitor-routes';
import { LiveProject } from '../monitoring/live-config';
import { mlflowArtifactRoutes } from './mlflow-artifact-routes';
import { mlflowReadRoutes } from './mlflow-read-routes';
import { mlflowRegistryRoutes } from './mlflow-registry-routes';
import { mlflowWriteRoutes } from './mlflow-write-routes';
import { ModelRegistry } from '../registry';
import { matchRoute, type Route } from './router';

export interface EngineServerOptions {
  project: OpenProject;
  token: string;
  version: string;
  /** Extra routes contributed by other pillars. */
  routes?: Route[];
  /** The project with slipway.yaml re-read on change (shared with the monitor scheduler); made here when absent. */
  live?: LiveProject;
}

/**
 * The engine's HTTP server: MLflow's REST API, Slipway's own routes and the event stream. It answers only requests
 * addressed to its loopback address and port (DNS-rebinding defence) and requires the bearer token on every
 * mutating route.
 */
export class EngineServer {
  readonly server: Server;
  readonly events: EventHub;
  private readonly routes: Route[];
  private allowedHosts = new Set<string>();

  constructor(private readonly options: EngineServerOptions) {
    this.events = new EventHub(options.project.store, options.version);
    const tracking = options.project.tracking;
    const registry = new ModelRegistry(options.project.store, { objects: tracking.artifacts });
    // Registry routes come first: their artifact prefix (registry/...) is more specific than the run artifact routes.
    this.routes = [
      ...this.ownRoutes(),
      ...dataRoutes(options.project),
      ...mlflowRegistryRoutes(registry),
      ...mlflowReadRoutes(tracking),
      ...mlflowWriteRoutes(tracking),
      ...mlflowArtifactRoutes(tracking),
      ...lineageRoutes(options.project.store),
      ...monitorRoutes(options.live ?? new LiveProject(options.project)),
      ...(options.routes ?? []),
    ];
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => sendError(res, error));
    });
    this.server.keepAliveTimeout = 65_000;
  }

  /** Listens on 127.0.0.1; port 0 picks a free one. Resolves to the bound port. */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        const bound = (this.server.address() as AddressInfo).port;
        this.allowedHosts = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`]);
        resolve(bound);
      });
    });
  }

  /** Stops accepting connections, ends event streams, and waits for requests in flight (at most `graceMs`). */
  async close(graceMs = 5000): Promise<void> {
    this.events.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(timer);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (!this.allowedHosts.has(host.toLowerCase())) {
      throw new SlipwayError('PERMISSION_DENIED', `Host "${host}" is not served here; use http://127.0.0.1:${[...this.allowedHosts][0]?.split(':')[1] ?? ''}.`);
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const match = matchRoute(this.routes, req.method ?? 'GET', url.pathname);
    if (!('route' in match)) {
      if (match.methodMismatch) {
        sendJson(res, 405, { error_code: 'BAD_REQUEST', message: `${req.method ?? ''} is not allowed on ${url.pathname}.` });
        return;
      }
      sendJson(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No route ${req.method ?? ''} ${url.pathname}.` });
      return;
    }
    if (match.route.mutating && !this.authorized(req)) {
      throw new SlipwayError('UNAUTHENTICATED', 'This route changes data and needs `Authorization: Bearer <token>`; `slipway env` prints the token.');
    }
    await match.route.handle({ req, res, url, rest: match.rest });
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return false;
    const given = Buffer.from(match[1]!.trim());
    const expected = Buffer.from(this.options.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private ownRoutes(): Route[] {
    const { project, version } = this.options;
    return [
      {
        method: 'GET',
        path: ENGINE_ROUTES.health,
        mutating: false,
        handle: ({ res }) => {
          const health: EngineHealth = { ok: true, version, pid: process.pid, schemaVersion: project.store.schemaVersion, root: project.paths.root };
          sendJson(res, 200, health);
        },
      },
      {
        method: 'GET',
        path: ENGINE_ROUTES.events,
        mutating: false,
        handle: ({ req, res, url }) => {
          const sinceText = url.searchParams.get('since') ?? (req.headers['last-event-id'] as string | undefined) ?? null;
          const since = sinceText !== null && /^\d+$/.test(sinceText) ? Number(sinceText) : null;
          const topics = url.searchParams.get('topics')?.split(',').filter(Boolean) ?? null;
          this.events.connect(res, { since, topics });
        },
      },
    ];
  }
}
