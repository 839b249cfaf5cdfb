import type { ServerResponse } from 'node:http';
import type { ChangeEvent, EventsHello } from '../../shared/engine-api';
import { ChangeFollower, type Store } from '../store';

const POLL_MS = 100;
const HEARTBEAT_MS = 15_000;

interface Client {
  res: ServerResponse;
  topics: Set<string> | null;
}

/**
 * Server-sent events for every change any process commits to the store. One follower polls the change log (a
 * `PRAGMA data_version` check when idle) and fans changes out to the connected clients.
 */
export class EventHub {
  private readonly clients = new Set<Client>();
  private readonly follower: ChangeFollower;
  private readonly poller: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly version: string,
  ) {
    this.follower = new ChangeFollower(store);
    this.poller = setInterval(() => this.pump(), POLL_MS);
    this.heartbeat = setInterval(() => this.broadcastRaw(': ping\n\n'), HEARTBEAT_MS);
  }

  /** Adds a client; `since` replays changes after that sequence number (for reconnects). */
  connect(res: ServerResponse, options: { since: number | null; topics: string[] | null }): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const client: Client = { res, topics: options.topics?.length ? new Set(options.topics) : null };
    const head = this.follower.position;
    const hello: EventsHello = { seq: head, version: this.version };
    res.write(`event: hello\ndata: ${JSON.stringify(hello)}\n\n`);
    if (options.since !== null && options.since < head) {
      const missed = this.store.db.prepare('SELECT seq, topic, key, ts_ms AS tsMs FROM change_log WHERE seq > ? AND seq <= ? ORDER BY seq').all(options.since, head) as ChangeEvent[];
      for (const change of missed) this.send(client, change);
    }
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Reads new changes now (also called on a timer). */
  pump(): void {
    let changes: ChangeEvent[];
    try {
      changes = this.follower.poll() as ChangeEvent[];
    } catch {
      return; // the store is busy; the next tick retries
    }
    for (const change of changes) for (const client of this.clients) this.send(client, change);
  }

  close(): void {
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    this.follower.close();
    for (const client of this.clients) client.res.end();
    this.clients.clear();
  }

  private send(client: Client, change: ChangeEvent): void {
    if (client.topics && !client.topics.has(change.topic)) return;
    client.res.write(`id: ${change.seq}\nevent: change\ndata: ${JSON.stringify(change)}\n\n`);
  }

  private broadcastRaw(text: string): void {
    for (const client of this.clients) client.res.write(text);
  }
}
