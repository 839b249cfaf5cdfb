import * as vscode from 'vscode';

/** The first workspace folder on disk, which the engine serves; undefined for untitled or remote-only workspaces. */
export function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

export function onDidGrantTrust(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidGrantWorkspaceTrust(listener);
}

/** Reads `slipway.<key>`. */
export function getSetting<T>(key: string): T | undefined {
  return vscode.workspace.getConfiguration('slipway').get<T>(key);
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('slipway')) listener();
  });
}

/** Calls `listener` when a file matching `glob` under `root` is created, changed or deleted. */
export function watchFile(root: string, glob: string, listener: () => void): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), glob));
  return vscode.Disposable.from(watcher, watcher.onDidCreate(listener), watcher.onDidChange(listener), watcher.onDidDelete(listener));
}

/** Sets a context key used in `when` clauses of package.json. */
export function setContext(key: string, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
