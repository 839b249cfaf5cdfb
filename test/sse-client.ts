import { request, type ClientRequest } from 'node:http';

export interface SseEvent {
  event: string;
  id?: string;
  data: string;
  receivedAt: number;
}

/** A minimal server-sent-events client for tests: collects events and lets a test await the next matching one. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private req: ClientRequest | null = null;
  ended = false;

  static connect(port: number, path: string): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`events answered ${res.statusCode}`));
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          let sep: number;
          while ((sep = buffer.indexOf('\n\n')) >= 0) {
            client.dispatch(buffer.slice(0, sep));
            buffer = buffer.slice(sep + 2);
          }
        });
        res.on('end', () => (client.ended = true));
        res.on('close', () => (client.ended = true));
        resolve(client);
      });
      client.req.on('error', (error) => (client.ended ? undefined : reject(error)));
      client.req.end();
    });
  }

  next(match: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
    const found = this.events.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events.map((e) => e.data))}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  close(): void {
    this.req?.destroy();
  }

  private dispatch(block: string): void {
    const event: SseEvent = { event: 'message', data: '', receivedAt: Date.now() };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) return;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
      else if (field === 'data') data.push(value);
    }
    event.data = data.join('\n');
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
  }
}

/** A small HTTP client that sets the Host header the engine expects. */
export async function http(port: number, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; json: () => unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
