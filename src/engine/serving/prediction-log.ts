import type { FeedbackItem } from '../../shared/serving';
import { SlipwayError } from '../errors';
import type { Store } from '../store';

/** One answered row, as the prediction log keeps it. Serialised to JSON only when its batch is written. */
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
  /** Rows that trigger a write at once (default 512). */
  batchRows?: number;
  /** Longest a row waits before its batch is written (default 100 ms). */
  flushMs?: number;
  /** Rows kept while the store cannot be written; beyond this the oldest are dropped and counted (default 50,000). */
  maxPending?: number;
  /** How long a write waits for another process's lock: 0 in a serve process (retry on the next tick), 5 s for the CLI. */
  busyTimeoutMs?: number;
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Appends predictions to `prediction_log` in batches, off the response path: a request only pushes its rows onto an
 * in-memory queue; a timer writes the queue in one transaction. The serving connection waits for no lock (busy
 * timeout 0): when another process holds the write lock, the batch stays queued and the next tick retries, so a busy
 * store never stalls a response. Memory is bounded by `maxPending`.
 */
export class PredictionLog {
  private pending: PredictionEntry[] = [];
  private readonly pendingIds = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly batchRows: number;
  private readonly flushMs: number;
  private readonly maxPending: number;
  private readonly insert;
  private readonly exists;
  private readonly insertFeedback;
  written = 0;
  dropped = 0;
  lastError: string | null = null;

  constructor(
    private readonly store: Store,
    options: PredictionLogOptions = {},
  ) {
    this.batchRows = options.batchRows ?? 512;
    this.flushMs = options.flushMs ?? 100;
    this.maxPending = options.maxPending ?? 50_000;
    store.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 0}`);
    this.insert = store.db.prepare(
      'INSERT OR IGNORE INTO prediction_log (id, endpoint, model, version, ts_ms, latency_us, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.exists = store.db.prepare('SELECT 1 FROM prediction_log WHERE id = ?').pluck();
    this.insertFeedback = store.db.prepare('INSERT INTO prediction_feedback (id, label, ts_ms) VALUES (?, ?, ?)');
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Queues rows for the log. Never writes on the caller's turn of the event loop. */
  append(entries: readonly PredictionEntry[]): void {
    for (const entry of entries) {
      this.pending.push(entry);
      this.pendingIds.add(entry.id);
    }
    if (this.pending.length > this.maxPending) {
      const excess = this.pending.splice(0, this.pending.length - this.maxPending);
      for (const entry of excess) this.pendingIds.delete(entry.id);
      this.dropped += excess.length;
    }
    if (this.pending.length >= this.batchRows) this.schedule(0);
    else this.schedule(this.flushMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
      if (this.pending.length) this.schedule(this.flushMs);
    }, delayMs);
  }

  /** Writes every queued row now. Returns false (rows kept) when the store is locked by another writer. */
  flush(): boolean {
    if (!this.pending.length) return true;
    const batch = this.pending;
    try {
      this.store.write((changed) => {
        for (const e of batch) {
          this.insert.run(e.id, e.endpoint, e.model, e.version, e.tsMs, e.latencyUs, JSON.stringify(e.inputs), JSON.stringify(e.outputs));
          changed('predictions', e.endpoint);
        }
      });
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      if (error instanceof SlipwayError && error.code === 'STORE_BUSY') return false;
      throw error;
    }
    this.pending = this.pending === batch ? [] : this.pending.slice(batch.length);
    for (const e of batch) this.pendingIds.delete(e.id);
    this.written += batch.length;
    this.lastError = null;
    return true;
  }

  /**
   * Records true labels. Ids still queued are written first (they are not unknown); any id that is in neither the
   * queue nor the log fails the whole request with RESOURCE_DOES_NOT_EXIST, and nothing is recorded.
   */
  addFeedback(items: readonly FeedbackItem[]): number {
    if (items.some((item) => this.pendingIds.has(item.id)) && !this.flush()) {
      throw new SlipwayError('STORE_BUSY', 'The prediction log is locked by another process; retry in a moment.');
    }
    const unknown = items.filter((item) => !this.exists.get(item.id)).map((item) => item.id);
    if (unknown.length) {
      const shown = unknown.slice(0, 5).join(', ') + (unknown.length > 5 ? `, … (${unknown.length} in all)` : '');
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No prediction with id ${shown}; nothing was recorded. Send ids returned by this endpoint.`);
    }
    const now = Date.now();
    this.store.write((changed) => {
      for (const item of items) this.insertFeedback.run(item.id, typeof item.label === 'boolean' ? Number(item.label) : item.label, now);
      changed('predictions', 'feedback');
    });
    return items.length;
  }

  /** Writes what is queued, waiting for the lock as long as any writer would, and stops the timer. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.store.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.flush();
  }
}
