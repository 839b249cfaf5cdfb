import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { FeedbackItem } from '../../shared/serving';
import { SlipwayError } from '../errors';
import type { Store } from '../store';
import { LOG_WORKER_SOURCE } from './log-worker';

/** One answered row, as the prediction log keeps it. Serialised to JSON by the writer thread. */
export interface PredictionEntry {
  id: string;
  endpoint: string;
  model: string;
  version: string;
  tsMs: number;
  latencyUs: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface PredictionLogOptions {
  /** Rows that are handed to the writer at once (default 512). */
  batchRows?: number;
  /** Longest a row waits before it is handed to the writer (default 50 ms). */
  flushMs?: number;
  /** Rows held (queued or being written); beyond this the oldest queued rows are dropped and counted (default 50,000). */
  maxPending?: number;
}

type WorkerReply =
  | { type: 'written'; count: number }
  | { type: 'error'; message: string; count: number }
  | { type: 'feedback'; id: number; accepted?: number; unknown?: string[]; error?: string }
  | { type: 'closed' };

/**
 * Appends predictions to `prediction_log` from a writer thread, so neither SQLite's work (JSON, inserts, WAL
 * checkpoints) nor another process's lock ever runs on the thread that answers requests. A request only pushes its
 * rows onto a queue; a timer hands the queue to the writer in batches. Memory is bounded by `maxPending`. The store
 * must already be migrated (open it with `Store.open` first). Emits `written` (row count) after each batch.
 */
export class PredictionLog extends EventEmitter {
  private queue: PredictionEntry[] = [];
  private readonly queuedIds = new Set<string>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly worker: Worker;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly maxPending: number;
  private posted = 0;
  private acked = 0;
  private readonly waiters: { upTo: number; resolve: () => void }[] = [];
  private readonly feedbackWaiters = new Map<number, (reply: Extract<WorkerReply, { type: 'feedback' }>) => void>();
  private nextFeedback = 1;
  private closed: Promise<void> | null = null;
  written = 0;
  dropped = 0;
  lastError: string | null = null;

  constructor(databasePath: string, options: PredictionLogOptions = {}) {
    super();
    this.batchRows = options.batchRows ?? 512;
    this.flushMs = options.flushMs ?? 50;
    this.maxPending = options.maxPending ?? 50_000;
    this.worker = new Worker(LOG_WORKER_SOURCE, { eval: true, workerData: { path: databasePath, sqlite: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    this.worker.on('error', (error) => {
      this.lastError = error.message;
    });
  }

  /** Rows queued or being written. */
  get pendingCount(): number {
    return this.queue.length + this.inFlight;
  }

  /** Queues rows for the log. Costs the caller an array push. */
  append(entries: readonly PredictionEntry[]): void {
    for (const entry of entries) {
      this.queue.push(entry);
      this.queuedIds.add(entry.id);
    }
    const excess = this.pendingCount - this.maxPending;
    if (excess > 0) {
      for (const entry of this.queue.splice(0, Math.min(excess, this.queue.length))) {
        this.queuedIds.delete(entry.id);
        this.dropped++;
      }
    }
    if (this.queue.length >= this.batchRows) this.post();
    else if (!this.timer) this.timer = setTimeout(() => this.post(), this.flushMs);
  }

  private post(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.queue.length) return;
    const rows = this.queue;
    this.queue = [];
    this.queuedIds.clear();
    this.inFlight += rows.length;
    this.posted++;
    this.worker.ref();
    this.worker.postMessage({ type: 'rows', rows });
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'written' || reply.type === 'error') {
      this.inFlight -= reply.count;
      this.acked++;
      if (reply.type === 'written') {
        this.written += reply.count;
        this.lastError = null;
        this.emit('written', reply.count);
      } else {
        this.dropped += reply.count;
        this.lastError = reply.message;
      }
      while (this.waiters.length && this.waiters[0]!.upTo <= this.acked) this.waiters.shift()!.resolve();
    } else if (reply.type === 'feedback') {
      this.feedbackWaiters.get(reply.id)?.(reply);
      this.feedbackWaiters.delete(reply.id);
    }
    if (!this.inFlight && !this.feedbackWaiters.size) this.worker.unref();
  }

  /** Hands every queued row to the writer and resolves once all of them are written (or failed, see `lastError`). */
  flush(): Promise<void> {
    this.post();
    if (this.acked >= this.posted) return Promise.resolve();
    const upTo = this.posted;
    return new Promise((resolve) => this.waiters.push({ upTo, resolve }));
  }

  /**
   * Records true labels. Rows still queued are handed to the writer first, so their ids are found; an id that is in
   * neither fails the whole request with RESOURCE_DOES_NOT_EXIST and nothing is recorded.
   */
  addFeedback(items: readonly FeedbackItem[]): Promise<number> {
    if (this.closed) return Promise.reject(new SlipwayError('INVALID_STATE', 'The prediction log is closed.'));
    this.post();
    const id = this.nextFeedback++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.feedbackWaiters.set(id, (reply) => {
        if (reply.unknown) reject(unknownIds(reply.unknown));
        else if (reply.error !== undefined) reject(new SlipwayError('INTERNAL_ERROR', `Cannot record feedback: ${reply.error}`));
        else resolve(reply.accepted ?? 0);
      });
      this.worker.postMessage({ type: 'feedback', id, items });
    });
  }

  /** Writes everything queued, then stops the writer. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.flush();
      await new Promise<void>((resolve) => {
        this.worker.ref();
        this.worker.once('exit', () => resolve());
        this.worker.once('message', () => void this.worker.terminate());
        this.worker.postMessage({ type: 'close' });
      });
    })();
    return this.closed;
  }
}

function unknownIds(unknown: string[]): SlipwayError {
  const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? `, … (${unknown.length} in all)` : '');
  return new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No prediction with id ${shown}; nothing was recorded. Send ids returned by this endpoint.`);
}

/** Records labels directly in the store (no serve process running), with the same all-or-nothing rule. */
export function recordFeedback(store: Store, items: readonly FeedbackItem[]): number {
  const exists = store.db.prepare('SELECT 1 FROM prediction_log WHERE id = ?').pluck();
  const insert = store.db.prepare('INSERT INTO prediction_feedback (id, label, ts_ms) VALUES (?, ?, ?)');
  return store.write((changed) => {
    const unknown = items.filter((item) => !exists.get(item.id)).map((item) => item.id);
    if (unknown.length) throw unknownIds(unknown);
    const now = Date.now();
    for (const item of items) insert.run(item.id, typeof item.label === 'boolean' ? Number(item.label) : item.label, now);
    changed('predictions', 'feedback');
    return items.length;
  });
}
