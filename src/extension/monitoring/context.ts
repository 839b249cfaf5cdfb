import type { DriftPanelSource } from '../../shared/drift-panel';
import type { MonitoringModel } from './model';

/** What the monitoring commands act on, beside the shared command context. */
export interface MonitoringCommandContext {
  tree: MonitoringModel;
  /** Runs `slipway <args> --json` in the workspace root; exit 1 with JSON (drift detected) is a result. */
  runCli<T>(args: readonly string[], signal?: AbortSignal): Promise<T>;
  /** Opens (or reveals) the Drift Report panel for a stored report or a drift JSON file. */
  openReport(source: DriftPanelSource): void;
  /** An open dialog for one JSON file; its absolute path, or undefined when dismissed. */
  chooseJsonFile(title: string): Promise<string | undefined>;
}
