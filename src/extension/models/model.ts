import type { ChangeEvent } from '../../shared/engine-api';
import type { ModelVersion, RegisteredModel } from '../../shared/mlflow-registry';
import type { EngineService } from '../connection/service';
import type { ServedSource } from '../serving/served-state';
import type { TreeNode, TreeSource } from '../tree/node';
import { Emitter } from '../util/emitter';
import { collectModelsTree } from './collect';
import { fetchModels, fetchVersions } from './fetch';
import { SerialRefresh } from '../util/serial-refresh';
import { disconnectedMessage } from '../connection/status';

/** Alias moves and registrations come one at a time, but an import writes many; one refresh per burst. */
const COALESCE_MS = 100;

/**
 * The Models view's state: models and versions from the engine's registry routes, reloaded when the connection
 * comes up and on `models` change events (never on a timer), merged with the endpoints serving each version.
 */
export class ModelsModel implements TreeSource {
  roots: TreeNode[] = [];
  message: string | undefined = 'Connecting to the Slipway engine…';
  models: RegisteredModel[] = [];
  versions: ModelVersion[] = [];
  private readonly changed = new Emitter<void>();
  readonly onDidChange = (listener: () => void) => this.changed.event(listener);
  private readonly refresher = new SerialRefresh(() => this.load());
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly engine: EngineService,
    private readonly served: ServedSource,
  ) {
    this.subscriptions.push(
      engine.onState((state) => {
        if (state.kind === 'connected') void this.refresh();
        else {
          this.roots = [];
          this.models = [];
          this.versions = [];
          this.message = disconnectedMessage(state);
          this.changed.fire();
        }
      }),
      engine.onChange((event) => this.onEngineChange(event)),
      served.onDidChange(() => this.reshape()),
    );
  }

  private onEngineChange(event: ChangeEvent): void {
    if (event.topic !== 'models') return;
    this.refresher.soon(COALESCE_MS);
  }

  /** Reloads from the engine; a refresh asked for while one runs is done once more right after it. */
  refresh(): Promise<void> {
    return this.refresher.run();
  }

  private async load(): Promise<void> {
    const state = this.engine.state;
    if (state.kind !== 'connected') return;
    try {
      const [models, versions] = await Promise.all([fetchModels(state.http), fetchVersions(state.http)]);
      this.models = models;
      this.versions = versions;
      this.reshape();
    } catch (error) {
      this.message = `Could not load models: ${(error as Error).message}`;
      this.changed.fire();
    }
  }

  private reshape(): void {
    if (this.engine.state.kind !== 'connected') return;
    this.roots = collectModelsTree(this.models, this.versions, this.served.endpoints);
    this.message = this.roots.length ? undefined : 'No registered models yet. Register one with `slipway models register NAME runs:/RUN_ID/model` or from MLflow.';
    this.changed.fire();
  }

  dispose(): void {
    this.refresher.cancel();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
