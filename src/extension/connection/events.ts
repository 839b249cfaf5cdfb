import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { ENGINE_ROUTES } from '../../shared/engine-api';
import type { ChangeEvent, EngineDiscovery, EventsHello } from '../../shared/engine-api';
import { SseParser } from './sse';

export interface EventStreamHandlers {
  hello(hello: EventsHello): void;
  change(event: ChangeEvent): void;
  /** The stream ended or failed; called once. */
  closed(reason: string): void;
}

/** The daemon pings every 15 s; silence for this long means the connection is dead even if the socket says not. */
const SILENCE_LIMIT_MS = 40_000;

/**
 * Subscribes to the daemon's change stream. `since` asks the daemon to replay changes after that sequence number, so
 * a reconnect misses nothing.
 */
export function openEventStream(engine: EngineDiscovery, since: number | null, handlers: EventStreamHandlers): { close(): void } {
  let finished = false;
  let watchdog: NodeJS.Timeout | undefined;
  const finish = (reason: string) => {
    if (finished) return;
    finished = true;
    clearTimeout(watchdog);
    req.destroy();
    handlers.closed(reason);
  };
  const alive = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => finish('the engine stopped sending events'), SILENCE_LIMIT_MS);
  };
  const path = since === null ? ENGINE_ROUTES.events : `${ENGINE_ROUTES.events}?since=${since}`;
  const req: ClientRequest = request(
    {
      host: '127.0.0.1',
      port: engine.port,
      path,
      headers: { host: `127.0.0.1:${engine.port}`, authorization: `Bearer ${engine.token}`, accept: 'text/event-stream' },
    },
    (res) => {
      if (res.statusCode !== 200) {
        finish(`the engine refused the event stream (HTTP ${res.statusCode ?? '?'})`);
        return;
      }
      const parser = new SseParser();
      res.setEncoding('utf8');
      alive();
      res.on('data', (chunk: string) => {
        alive();
        for (const event of parser.push(chunk)) {
          try {
            if (event.event === 'hello') handlers.hello(JSON.parse(event.data) as EventsHello);
            else if (event.event === 'change') handlers.change(JSON.parse(event.data) as ChangeEvent);
          } catch {
            // A malformed event is skipped; the next full refresh corrects any view it would have touched.
          }
        }
      });
      res.on('end', () => finish('the engine closed the event stream'));
      res.on('error', (error) => finish(error.message));
    },
  );
  req.on('error', (error) => finish(error.message));
  req.end();
  return { close: () => finish('closed') };
}
