import { messageOf } from '../errors';
import type { EndpointSettings } from './config';
import { LoadedModel, type ModelSpec } from './model';

/**
 * Holds the model that answers requests. A request takes the current model once with {@link ModelSlot.acquire} and
 * uses it to the end, so its response names the version that computed it. A new version is loaded and tried beside
 * the old one and then replaces it in one assignment: requests never see a half-loaded model. The old session is
 * freed when its last request finishes.
 */
export class ModelSlot {
  private model: LoadedModel | null = null;
  private readonly inFlight = new Map<LoadedModel, number>();
  private readonly retired = new Set<LoadedModel>();
  private loading: Promise<void> = Promise.resolve();
  /** Why the last load failed (null after a success). */
  lastError: string | null = null;
  onSwap: (model: LoadedModel) => void = () => undefined;

  constructor(private readonly settings: EndpointSettings) {}

  get current(): LoadedModel | null {
    return this.model;
  }

  /** The serving model plus a release function that must be called when the request is done. */
  acquire(): { model: LoadedModel; release: () => void } | null {
    const model = this.model;
    if (!model) return null;
    this.inFlight.set(model, (this.inFlight.get(model) ?? 0) + 1);
    let released = false;
    return {
      model,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(model) ?? 1) - 1;
        if (left > 0) this.inFlight.set(model, left);
        else {
          this.inFlight.delete(model);
          if (this.retired.delete(model)) void model.release();
        }
      },
    };
  }

  /**
   * Loads `spec` and makes it the serving model. Loads run one at a time, in call order. On failure the previous
   * model keeps serving, `lastError` says why, and the error is rethrown.
   */
  swapTo(spec: ModelSpec): Promise<LoadedModel> {
    const run = this.loading.then(async () => {
      if (this.model && this.model.version === spec.version && this.model.spec.modelFile === spec.modelFile) return this.model;
      let next: LoadedModel;
      try {
        next = await LoadedModel.load(spec, this.settings);
      } catch (error) {
        this.lastError = messageOf(error);
        throw error;
      }
      const previous = this.model;
      this.model = next;
      this.lastError = null;
      if (previous) this.retire(previous);
      this.onSwap(next);
      return next;
    });
    this.loading = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Resolves when every load started so far has finished (swapped in or failed). */
  settled(): Promise<void> {
    return this.loading;
  }

  private retire(model: LoadedModel): void {
    if (this.inFlight.has(model)) this.retired.add(model);
    else void model.release();
  }

  /** Waits for pending loads and frees every session. */
  async close(): Promise<void> {
    await this.loading;
    const models = new Set([...this.retired, ...(this.model ? [this.model] : [])]);
    this.model = null;
    this.retired.clear();
    await Promise.all([...models].map((m) => m.release()));
  }
}
