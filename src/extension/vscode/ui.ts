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
    ask: (prompt, options) => Promise.resolve(vscode.window.showInputBox({ prompt, placeHolder: options?.placeholder, value: options?.value, ignoreFocusOut: true })),
    async openUntitled(content, language) {
      const document = await vscode.workspace.openTextDocument({ content, language });
      await vscode.window.showTextDocument(document, { preview: false });
    },
    cancellable<T>(title: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const run = async (_progress: unknown, token: vscode.CancellationToken): Promise<T> => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        try {
          const result: T = await work(abort.signal);
          return result;
        } finally {
          subscription.dispose();
        }
      };
      return Promise.resolve(vscode.window.withProgress<T>({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, run));
    },
    async choosePaths(title, folder) {
      const uris = await vscode.window.showOpenDialog({ title, defaultUri: vscode.Uri.file(folder), canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Track' });
      return uris?.map((uri) => uri.fsPath);
    },
    async confirm(message, action) {
      return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
    },
  };
}
