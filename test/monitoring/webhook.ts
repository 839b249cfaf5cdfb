import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP receiver on 127.0.0.1 that records POSTed JSON bodies and answers with the given statuses in turn. */
export class WebhookReceiver {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly bodies: unknown[],
    private readonly waiters: ((body: unknown) => void)[],
  ) {}

  static async start(statuses: number[] = [200]): Promise<WebhookReceiver> {
    let n = 0;
    const bodies: unknown[] = [];
    const waiters: ((body: unknown) => void)[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        bodies.push(body);
        res.writeHead(statuses[Math.min(n++, statuses.length - 1)]!).end();
        for (const w of waiters.splice(0)) w(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies, waiters);
  }

  /** The first body received (waits for it). */
  first(timeoutMs = 20_000): Promise<unknown> {
    if (this.bodies.length) return Promise.resolve(this.bodies[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no webhook call arrived')), timeoutMs);
      this.waiters.push((b) => { clearTimeout(timer); resolve(b); });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
