/**
 * Runs a reload one at a time. A reload asked for while one runs is done exactly once more right after it, so the
 * last change is never missed and a burst of changes costs at most two reloads.
 */
export class SerialRefresh {
  private loading: Promise<void> | undefined;
  private again = false;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly load: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.loading;
  }

  /** Runs once `delayMs` after the last call: a burst of change events (a training loop logging) costs one reload. */
  soon(delayMs: number): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.run(), delayMs);
  }

  /** Drops a reload scheduled with `soon`. */
  cancel(): void {
    clearTimeout(this.pending);
  }
}
