import * as vscode from 'vscode';
import type { EngineState } from '../connection/connection';
import { engineStatus } from '../connection/status';

/** A status-bar item that follows the engine connection; clicking it shows the engine's status. */
export function createEngineStatusItem(command: string): { update(state: EngineState): void; dispose(): void } {
  const item = vscode.window.createStatusBarItem('slipway.engine', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Slipway Engine';
  item.command = command;
  item.show();
  return {
    update(state) {
      const status = engineStatus(state);
      item.text = status.text;
      item.tooltip = status.tooltip;
      item.backgroundColor = status.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    },
    dispose: () => item.dispose(),
  };
}
