import type { Store } from '../store';

interface Pending {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for small writes arriving together over HTTP. Writes queued in the same turn of the event loop run in
 * one `BEGIN IMMEDIATE` transaction, each inside its own savepoint (a nested `Store.write`), so one request's
 * error rolls back only that request. Sixteen concurrent `log-metric` calls then cost one commit instead of sixteen.
 */
export class WriteBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly maxBatch = 512,
  ) {}

  /** Runs `fn` (a synchronous engine write) in the next group commit and resolves with its result. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.store.write(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: item.fn() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The transaction itself failed (e.g. the store stayed locked): nothing was written, for anyone.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
