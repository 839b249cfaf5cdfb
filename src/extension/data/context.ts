import type { DataModel } from './model';

/** What the data commands act on, beside the shared command context. */
export interface DataCommandContext {
  tree: DataModel;
  /** The workspace root the engine serves and the CLI runs in. */
  root: string;
  /** Runs `slipway <args> --json` in the workspace root (see runner.ts). */
  runCli<T>(args: readonly string[], signal?: AbortSignal): Promise<T>;
}
