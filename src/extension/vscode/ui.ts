import * as vscode from 'vscode';
import type { PickItem, Ui } from '../commands/context';

export function createUi(): Ui {
  return {
    info: (message) => void vscode.window.showInformationMessage(message),
    error: (message) => void vscode.window.showErrorMessage(message),
    async pick<T>(items: PickItem<T>[], placeholder: string) {
      const chosen = await vscode.window.showQuickPick(items, { placeHolder: placeholder, matchOnDescription: true, matchOnDetail: true });
      return chosen?.value;
    },
    progress: (title, work) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, work)),
  };
}
