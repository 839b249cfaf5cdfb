import type { DataStatusEntry } from '../../shared/cli';
import type { ChangeEvent } from '../../shared/engine-api';
import type { EngineService } from '../connection/service';
import type { TreeNode, TreeSource } from '../tree/node';
import { Emitter } from '../util/emitter';
import { collectDataTree, dataBadge } from './collect';
import { fetchDataStatus } from './fetch';
import { SerialRefresh } from '../util/serial-refresh';
import { disconnectedMessage } from '../connection/status';

/** An add of many files reports each path; one status pass per burst is enough. */
const COALESCE_MS = 150;

/**
 * The Data view's state: the status of every tracked path. Reloads when the connection comes up, when the engine
 * reports a change with topic `data` (add, checkout and pull write one per path), and when a `.dvc` file changes on
 * disk (a git checkout, an edit); never on a timer.
 */
export class DataModel implements TreeSource {
  roots: TreeNode[] = [];
  entries: DataStatusEntry[] = [];
  message: string | undefined = 'Connecting to the Slipway engine…';
  badge: { value: number; tooltip: string } | undefined;
  private readonly changed = new Emitter<void>();
  readonly onDidChange = (listener: () => void) => this.changed.event(listener);
  private readonly refresher = new SerialRefresh(() => this.load());
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(private readonly engine: EngineService) {
    this.subscriptions.push(
      engine.onState((state) => {
        if (state.kind === 'connected') void this.refresh();
        else {
          this.roots = [];
          this.entries = [];
          this.badge = undefined;
          this.message = disconnectedMessage(state);
          this.changed.fire();
        }
      }),
      engine.onChange((event) => this.onEngineChange(event)),
    );
  }

  private onEngineChange(event: ChangeEvent): void {
    if (event.topic === 'data') this.refresher.soon(COALESCE_MS);
  }

  /** A `.dvc` file was created, changed or deleted on disk. */
  pointerFilesChanged(): void {
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
      this.entries = await fetchDataStatus(state.http);
      this.roots = collectDataTree(this.entries);
      this.badge = dataBadge(this.entries);
      this.message = this.roots.length ? undefined : 'No tracked data yet. Right-click a file or folder and choose "Slipway: Add to Data Versioning", or run `slipway add <path>`.';
    } catch (error) {
      this.message = `Could not load the data status: ${(error as Error).message}`;
    }
    this.changed.fire();
  }

  dispose(): void {
    this.refresher.cancel();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
