import type { EngineService } from '../connection/service';
import type { RunsModel } from '../runs/model';

/** A pickable item for quick picks. */
export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
}

/** The editor interactions commands use; implemented over the VS Code API in ../vscode/ui.ts. */
export interface Ui {
  info(message: string): void;
  error(message: string): void;
  pick<T>(items: PickItem<T>[], placeholder: string): Promise<T | undefined>;
  progress<T>(title: string, work: () => Promise<T>): Promise<T>;
}

/** What commands act on. */
export interface CommandContext {
  engine: EngineService;
  runs: RunsModel;
  ui: Ui;
  showRun(runId: string): void;
}
