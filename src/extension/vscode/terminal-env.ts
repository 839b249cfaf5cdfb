import type * as vscode from 'vscode';
import type { EngineDiscovery } from '../../shared/engine-api';

/**
 * Points MLflow clients in new integrated terminals at the engine while it runs (terminals already open are marked
 * stale by VS Code and pick it up on relaunch). Not persisted: a restarted window sets it again once connected.
 */
export class TerminalEnvironment {
  constructor(private readonly collection: vscode.GlobalEnvironmentVariableCollection) {
    collection.persistent = false;
    collection.description = 'Points MLflow clients at the Slipway engine (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN).';
  }

  engineUp(engine: EngineDiscovery): void {
    this.collection.replace('MLFLOW_TRACKING_URI', engine.url);
    this.collection.replace('MLFLOW_TRACKING_TOKEN', engine.token);
  }

  engineDown(): void {
    this.collection.clear();
  }
}
