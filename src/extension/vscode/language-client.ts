import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/**
 * Starts the language server (dist/server.js) in its own Node process over IPC. It checks dvc.yaml files; the
 * watcher tells it when any file appears or disappears, since a stage dep may start or stop existing.
 */
export function startLanguageClient(serverModule: string): { client: LanguageClient; started: Promise<void> } {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', pattern: '**/dvc.yaml' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*', false, true, false) },
  };
  const client = new LanguageClient('slipway', 'Slipway Language Server', serverOptions, clientOptions);
  return { client, started: client.start() };
}
