import type { ChangeEvent } from '../../shared/engine-api';
import type { EngineService } from '../connection/service';
import type { TreeNode, TreeSource } from '../tree/node';
import { Emitter } from '../util/emitter';
import { collectRunsTree } from './collect';
import { fetchExperiments, fetchRuns } from './fetch';
import { SerialRefresh } from '../util/serial-refresh';
import { disconnectedMessage } from '../connection/status';

export interface RunsSettings {
  keyMetrics: readonly string[];
  maxRuns: number;
}

const TOPICS = new Set(['experiments', 'runs', 'metrics', 'artifacts']);
/** Writes come in bursts (a training loop logging metrics); one refresh per burst is enough. */
const COALESCE_MS = 100;

/**
 * The Runs view's state. Reloads from the engine when the connection comes up and when the event stream reports a
 * change to runs or experiments; never on a timer. While the engine is away the tree is empty and says why.
 */
export class RunsModel implements TreeSource {
  roots: TreeNode[] = [];
  message: string | undefined = 'Connecting to the Slipway engine…';
  private readonly changed = new Emitter<void>();
  readonly onDidChange = (listener: () => void) => this.changed.event(listener);
  private readonly refresher = new SerialRefresh(() => this.load());
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly engine: EngineService,
    private readonly settings: () => RunsSettings,
  ) {
    this.subscriptions.push(
      engine.onState((state) => {
        if (state.kind === 'connected') void this.refresh();
        else {
          this.roots = [];
          this.message = disconnectedMessage(state);
          this.changed.fire();
        }
      }),
      engine.onChange((event) => this.onEngineChange(event)),
    );
  }

  private onEngineChange(event: ChangeEvent): void {
    if (!TOPICS.has(event.topic)) return;
    this.refresher.soon(COALESCE_MS);
  }

  /** Reloads the tree; a refresh asked for while one runs is done once more right after it. */
  refresh(): Promise<void> {
    return this.refresher.run();
  }

  private async load(): Promise<void> {
    const state = this.engine.state;
    if (state.kind !== 'connected') return;
    try {
      const { keyMetrics, maxRuns } = this.settings();
      const experiments = await fetchExperiments(state.http);
      const runs = await fetchRuns(state.http, experiments.map((e) => e.experiment_id), maxRuns);
      this.roots = collectRunsTree(experiments, runs, keyMetrics);
      this.message = this.roots.length ? undefined : 'No runs yet. Log one with `slipway run -- python train.py`, or point MLflow at the engine from a terminal.';
    } catch (error) {
      this.message = `Could not load runs: ${(error as Error).message}`;
    }
    this.changed.fire();
  }

  dispose(): void {
    this.refresher.cancel();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
