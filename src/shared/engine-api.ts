/**
 * Slipway's own engine contracts: discovery file, routes under /api/slipway/v1, and server-sent events.
 */

/** `.slipway/engine.json`, written by a running daemon (file mode 0600). */
export interface EngineDiscovery {
  port: number;
  pid: number;
  token: string;
  version: string;
  /** Base URL, e.g. http://127.0.0.1:43123 */
  url: string;
  startedAt: number;
}

/** Topics carried by change events. A view listens only to the topics it shows. */
export type ChangeTopic = 'experiments' | 'runs' | 'metrics' | 'artifacts' | 'models' | 'data' | 'predictions' | 'monitors' | 'pipelines' | 'features';

/** One `data:` payload of `GET /api/slipway/v1/events` (event name `change`). */
export interface ChangeEvent {
  /** Sequence number in the store's change log; strictly increasing. */
  seq: number;
  topic: ChangeTopic;
  /** What changed within the topic, e.g. a run id or an experiment id. */
  key: string;
  tsMs: number;
}

/** First event of every stream (event name `hello`), so a client knows where the log stood when it connected. */
export interface EventsHello {
  seq: number;
  version: string;
}

/** `GET /api/slipway/v1/health`. */
export interface EngineHealth {
  ok: true;
  version: string;
  pid: number;
  schemaVersion: number;
  root: string;
}

export const ENGINE_ROUTES = {
  events: '/api/slipway/v1/events',
  health: '/api/slipway/v1/health',
} as const;
