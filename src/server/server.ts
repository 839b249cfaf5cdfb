import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver/node';
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PathExists } from '../engine/pipeline';
import { YamlFile } from '../engine/yaml';
import { DEFAULT_CHECKS } from './checks';
import type { FileCheck } from './checks';
import { toLspDiagnostic } from './diagnostics';
import { findFiles, inScannedFolder } from './workspace-scan';

export interface ServerOptions {
  exists?: PathExists;
  /** The kinds of files checked; the engine's pipeline, slipway.yaml and column-schema rules unless given. */
  checks?: readonly FileCheck[];
}

/**
 * Slipway's language server. It publishes the engine's diagnostics for dvc.yaml, slipway.yaml and `*.schema.yaml`:
 * open documents from their buffer, the rest of the workspace from disk (so the Problems panel lists them without
 * opening each file), and checks again when files are created, changed or deleted, since a dep's existence can change
 * without the dvc.yaml changing.
 */
export class SlipwayLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly onDisk = new Set<string>();
  private roots: string[] = [];
  private connection: Connection | undefined;

  private readonly checks: readonly FileCheck[];

  constructor(private readonly options: ServerOptions = {}) {
    this.checks = options.checks ?? DEFAULT_CHECKS;
  }

  listen(connection: Connection): void {
    this.connection = connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => void this.scanWorkspace());
    connection.onDidChangeWatchedFiles((params) => void this.checkAll(params.changes.map((change) => change.uri).filter((uri) => this.inWorkspace(uri))));
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
      for (const path of await findFiles(root, (name) => this.checkFor(name) !== undefined)) this.onDisk.add(pathToFileURL(path).toString());
    }
    await this.checkAll();
  }

  /** Checks every known file, plus `changed` ones (a checked file created on disk is new to the server). */
  private async checkAll(changed: readonly string[] = []): Promise<void> {
    const uris = new Set([...this.onDisk, ...this.documents.keys(), ...changed]);
    for (const uri of uris) await this.check(uri);
  }

  /** Publishes the diagnostics of one file; a failure is logged and never stops the server. */
  private async check(uri: string): Promise<void> {
    const connection = this.connection;
    if (!connection || !uri.startsWith('file:')) return;
    let path = uri;
    try {
      path = fileURLToPath(uri);
      const kind = this.checkFor(basename(path));
      if (!kind) return;
      const text = this.documents.get(uri)?.getText() ?? (await readIfPresent(path));
      if (text === null) {
        this.onDisk.delete(uri);
        await connection.sendDiagnostics({ uri, diagnostics: [] });
        return;
      }
      this.onDisk.add(uri);
      const diagnostics = kind.check(new YamlFile(path, text), this.options.exists);
      await connection.sendDiagnostics({ uri, diagnostics: diagnostics.map(toLspDiagnostic) });
    } catch (error) {
      connection.console.error(`Checking ${path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      // Findings from an earlier text would point at lines that may have moved; none is better than wrong ones.
      await connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
    }
  }

  /** A file created on disk is checked when the workspace scan would have found it (not in .git, node_modules...). */
  private inWorkspace(uri: string): boolean {
    if (this.onDisk.has(uri)) return true;
    try {
      return uri.startsWith('file:') && inScannedFolder(this.roots, fileURLToPath(uri));
    } catch {
      return false;
    }
  }

  private checkFor(name: string): FileCheck | undefined {
    return this.checks.find((kind) => kind.matches(name));
  }
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}
