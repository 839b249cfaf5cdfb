import { request } from 'node:http';
import type { EngineDiscovery } from '../../shared/engine-api';
import type { MlflowError } from '../../shared/mlflow';

/** An engine answer that is not 2xx, with MLflow's error code when the body carried one. */
export class EngineRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

export type Query = Record<string, string | number | readonly string[] | undefined>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * A small JSON client for one daemon. It always sends the bearer token and a loopback Host header (the daemon rejects
 * anything else), and gives up after `timeoutMs` so a hung daemon cannot hang a view.
 */
export class EngineHttp {
  constructor(
    readonly engine: EngineDiscovery,
    private readonly timeoutMs = 10_000,
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.send<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('POST', path, JSON.stringify(body));
  }

  private send<T>(method: string, path: string, body?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.engine.port,
          method,
          path,
          timeout: this.timeoutMs,
          headers: {
            host: `127.0.0.1:${this.engine.port}`,
            authorization: `Bearer ${this.engine.token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              reject(new EngineRequestError(status, 'BAD_RESPONSE', `The engine answered ${method} ${path} with something that is not JSON (HTTP ${status}).`));
              return;
            }
            if (status >= 200 && status < 300) resolve(parsed as T);
            else {
              const error = parsed as Partial<MlflowError>;
              reject(new EngineRequestError(status, error.error_code ?? 'HTTP_ERROR', error.message ?? `The engine answered ${method} ${path} with HTTP ${status}.`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`The engine did not answer ${method} ${path} within ${this.timeoutMs} ms.`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
