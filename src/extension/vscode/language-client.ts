import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

/** The files the server checks (src/server/checks.ts); VS Code sends their buffers and on-disk changes. */
const CHECKED_FILES = ['**/dvc.yaml', '**/slipway.yaml', '**/*.schema.yaml'];

/**
 * Starts the language server (dist/server.js) in its own Node process over IPC. It checks dvc.yaml, slipway.yaml and
 * column schemas (`*.schema.yaml`).
 */
export function startLanguageClient(serverModule: string): { client: LanguageClient; started: Promise<void> } {
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: CHECKED_FILES.map((pattern) => ({ scheme: 'file', pattern })),
    // Any file appearing or disappearing may satisfy or break a dep; checked files also matter when edited on disk.
    synchronize: {
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*', false, true, false), ...CHECKED_FILES.map((pattern) => vscode.workspace.createFileSystemWatcher(pattern))],
    },
  };
  const client = new LanguageClient('slipway', 'Slipway Language Server', serverOptions, clientOptions);
  return { client, started: client.start() };
}
