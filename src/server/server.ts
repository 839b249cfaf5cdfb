import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver/node';
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkMissingDeps } from '../engine/pipeline';
import type { PathExists } from '../engine/pipeline';
import { YamlFile } from '../engine/yaml';
import { toLspDiagnostic } from './diagnostics';
import { findFiles } from './workspace-scan';

/** File names the server checks. The rules live in the engine; this class only adapts them to LSP. */
const CHECKED = ['dvc.yaml'];

export interface ServerOptions {
  exists?: PathExists;
}

/**
 * Slipway's language server. It publishes the engine's diagnostics for pipeline files: open documents from their
 * buffer, the rest of the workspace from disk (so the Problems panel lists them without opening each file), and checks
 * again when files are created or deleted, since a dep's existence can change without the dvc.yaml changing.
 */
export class SlipwayLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly onDisk = new Set<string>();
  private roots: string[] = [];
  private connection: Connection | undefined;

  constructor(private readonly options: ServerOptions = {}) {}

  listen(connection: Connection): void {
    this.connection = connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.scanWorkspace());
    connection.onDidChangeWatchedFiles(() => void this.checkAll());
    this.documents.onDidChangeContent((event) => void this.check(event.document.uri));
    this.documents.onDidClose((event) => void this.check(event.document.uri));
    this.documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.roots = folders.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
      serverInfo: { name: 'slipway', version: '0.1.0' },
    };
  }

  private async scanWorkspace(): Promise<void> {
    for (const root of this.roots) {
      for (const path of await findFiles(root, CHECKED)) this.onDisk.add(pathToFileURL(path).toString());
    }
    await this.checkAll();
  }

  private async checkAll(): Promise<void> {
    const uris = new Set([...this.onDisk, ...this.documents.keys()]);
    for (const uri of uris) await this.check(uri);
  }

  /** Publishes the diagnostics of one file; a failure is logged and never stops the server. */
  private async check(uri: string): Promise<void> {
    const connection = this.connection;
    if (!connection || !uri.startsWith('file:')) return;
    const path = fileURLToPath(uri);
    if (!CHECKED.includes(basename(path))) return;
    try {
      const text = this.documents.get(uri)?.getText() ?? (await readIfPresent(path));
      if (text === null) {
        this.onDisk.delete(uri);
        await connection.sendDiagnostics({ uri, diagnostics: [] });
        return;
      }
      this.onDisk.add(uri);
      const diagnostics = checkMissingDeps(new YamlFile(path, text), this.options.exists);
      await connection.sendDiagnostics({ uri, diagnostics: diagnostics.map(toLspDiagnostic) });
    } catch (error) {
      connection.console.error(`Checking ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}
