import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/**
 * Starts the language server (dist/server.js) in its own Node process over IPC. It checks dvc.yaml files.
 */
export function startLanguageClient(serverModule: string): { client: LanguageClient; started: Promise<void> } {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', pattern: '**/dvc.yaml' }],
    // Any file appearing or disappearing may satisfy or break a dep; pipeline files also matter when edited on disk.
    synchronize: { fileEvents: [vscode.workspace.createFileSystemWatcher('**/*', false, true, false), vscode.workspace.createFileSystemWatcher('**/dvc.yaml')] },
  };
  const client = new LanguageClient('slipway', 'Slipway Language Server', serverOptions, clientOptions);
  return { client, started: client.start() };
}
