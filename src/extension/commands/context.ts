import type { EngineService } from '../connection/service';
import type { DataCommandContext } from '../data/context';
import type { RunsModel } from '../runs/model';
import type { ModelsCommandContext } from '../models/context';
import type { MonitoringCommandContext } from '../monitoring/context';

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
  /** A line of text; '' when the user confirms an empty box, undefined when they cancel. */
  ask(prompt: string, options?: { placeholder?: string; value?: string }): Promise<string | undefined>;
  /** Opens `content` in a new untitled editor (the user may save or discard it). */
  openUntitled(content: string, language: string): Promise<void>;
  /** A notification with a Cancel button; cancelling aborts `signal`. */
  cancellable<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** An open dialog for files and folders under `folder`; absolute paths, or undefined when dismissed. */
  choosePaths(title: string, folder: string): Promise<string[] | undefined>;
  /** A modal question; true when the user chose `action`. */
  confirm(message: string, action: string): Promise<boolean>;
}

/** What commands act on. */
export interface CommandContext {
  engine: EngineService;
  runs: RunsModel;
  ui: Ui;
  showRun(runId: string): void;
  models: ModelsCommandContext;
  data: DataCommandContext;
  monitoring: MonitoringCommandContext;
}
