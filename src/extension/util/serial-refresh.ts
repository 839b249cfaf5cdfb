/**
 * Runs a reload one at a time. A reload asked for while one runs is done exactly once more right after it, so the
 * last change is never missed and a burst of changes costs at most two reloads.
 */
export class SerialRefresh {
  private loading: Promise<void> | undefined;
  private again = false;

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
}
