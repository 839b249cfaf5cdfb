import type { ChangeEvent, EngineDiscovery, EngineHealth } from '../../shared/engine-api';
import { ENGINE_ROUTES } from '../../shared/engine-api';
import { isInitialized, isProcessAlive, readDiscovery } from './discovery';
import { openEventStream } from './events';
import { EngineHttp } from './http';

export type EngineState =
  | { kind: 'connecting' }
  | { kind: 'connected'; engine: EngineDiscovery; http: EngineHttp }
  /** `uninitialized`: the folder has no .slipway/ yet, so there is nothing to start until `slipway init`. */
  | { kind: 'disconnected'; reason: string; uninitialized?: boolean };

export interface ConnectionOptions {
  /** Delays between reconnect attempts while the engine is away; the last one repeats. */
  backoffMs?: readonly number[];
  onState(state: EngineState): void;
  onChange(event: ChangeEvent): void;
}

const DEFAULT_BACKOFF = [250, 500, 1000, 2000, 4000, 5000];

/**
 * Keeps one live connection to the workspace's daemon: reads `.slipway/engine.json`, checks the pid and
 * `/health`, then holds the event stream open. When the daemon is missing or dies it reports why and retries with
 * backoff (not a poll of data: attempts stop as soon as the stream is back), resuming the stream where it stopped.
 */
export class EngineConnection {
  private state: EngineState = { kind: 'connecting' };
  private stream: { close(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastSeq: number | null = null;
  private attempt = 0;
  private disposed = false;
  /** An attempt is between reading the discovery file and the stream's hello (or its failure). */
  private inFlight = false;

  constructor(
    readonly root: string,
    private readonly options: ConnectionOptions,
  ) {}

  get current(): EngineState {
    return this.state;
  }

  start(): void {
    void this.connect();
  }

  /** Try now instead of waiting for the next backoff step (the discovery file changed, or the engine was started). */
  retryNow(): void {
    if (this.disposed || this.state.kind === 'connected' || this.inFlight) return;
    clearTimeout(this.timer);
    void this.connect();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.stream?.close();
  }

  private set(state: EngineState): void {
    const same = state.kind === 'disconnected' && this.state.kind === 'disconnected' && state.reason === this.state.reason;
    this.state = state;
    if (same) return;
    this.options.onState(state);
  }

  private async connect(): Promise<void> {
    const attempt = ++this.attempt;
    this.inFlight = true;
    const stale = () => this.disposed || attempt !== this.attempt;
    const discovery = await readDiscovery(this.root);
    if (stale()) return;
    if (!discovery && !isInitialized(this.root)) return this.lost('This folder is not a Slipway project yet (no .slipway/ folder). Run "Slipway: Initialize Project" or `slipway init`.', true);
    if (!discovery) return this.lost('The Slipway engine is not running.');
    if (!isProcessAlive(discovery.pid)) return this.lost(`The Slipway engine is not running (process ${discovery.pid} has exited).`);
    const http = new EngineHttp(discovery, 3000);
    try {
      await http.get<EngineHealth>(ENGINE_ROUTES.health);
    } catch (error) {
      if (stale()) return;
      return this.lost(`The Slipway engine at ${discovery.url} does not answer: ${(error as Error).message}`);
    }
    if (stale()) return;
    this.stream?.close();
    this.stream = openEventStream(discovery, this.lastSeq, {
      hello: (hello) => {
        if (stale()) return;
        this.inFlight = false;
        if (this.lastSeq === null || hello.seq < this.lastSeq) this.lastSeq = hello.seq;
        this.failures = 0;
        this.set({ kind: 'connected', engine: discovery, http: new EngineHttp(discovery) });
      },
      change: (event) => {
        if (stale()) return;
        this.lastSeq = Math.max(this.lastSeq ?? 0, event.seq);
        this.options.onChange(event);
      },
      closed: (reason) => {
        if (stale()) return;
        this.stream = undefined;
        this.lost(`Lost the connection to the Slipway engine (${reason}).`);
      },
    });
  }

  private lost(reason: string, uninitialized = false): void {
    this.inFlight = false;
    if (this.disposed) return;
    this.set(uninitialized ? { kind: 'disconnected', reason, uninitialized } : { kind: 'disconnected', reason });
    const backoff = this.options.backoffMs ?? DEFAULT_BACKOFF;
    const delay = backoff[Math.min(this.failures, backoff.length - 1)] ?? 5000;
    this.failures++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
