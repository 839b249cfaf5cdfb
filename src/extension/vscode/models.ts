import { relative } from 'node:path';
import * as vscode from 'vscode';
import type { EndpointDiscovery } from '../../shared/serving';
import type { EngineService } from '../connection/service';
import { loadHistoryDocument } from '../models/history';
import { servedStatus } from '../serving/endpoints';
import type { EndpointsModel } from '../serving/model';

export const HISTORY_SCHEME = 'slipway-model-history';

/**
 * Read-only history documents (`slipway-model-history:` URIs, the model name in the query). Their content is read
 * from the engine when opened and again on each `models` change event while open.
 */
export class ModelHistoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly engine: EngineService) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, this),
      this.engine.onChange((event) => {
        if (event.topic !== 'models') return;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === HISTORY_SCHEME) this.changed.fire(doc.uri);
      }),
      this.changed,
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    return loadHistoryDocument(this.engine, decodeURIComponent(uri.query));
  }

  async show(name: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${name.replace(/[/\\]/g, '_')} history.md`, query: encodeURIComponent(name) });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: false });
  }
}

/** The status-bar item listing served endpoints; hidden while nothing is served. */
export function createServedStatusItem(endpoints: EndpointsModel, command: string): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('slipway.served', vscode.StatusBarAlignment.Left, 9);
  item.name = 'Slipway Endpoints';
  item.command = command;
  const update = (list: readonly EndpointDiscovery[]) => {
    const status = servedStatus(list);
    if (!status) return item.hide();
    item.text = status.text;
    item.tooltip = status.tooltip;
    item.show();
  };
  update(endpoints.endpoints);
  const sub = endpoints.onDidChange(() => update(endpoints.endpoints));
  return vscode.Disposable.from(item, sub);
}

/** JSON files of the workspace, without dependency, build and state folders. */
export async function workspaceJsonFiles(): Promise<string[]> {
  const found = await vscode.workspace.findFiles('**/*.json', '{**/node_modules/**,**/.slipway/**,**/.git/**,**/.dvc/**,**/dist/**,**/.vscode/**}', 500);
  return found.map((uri) => uri.fsPath).sort();
}

export function relativeTo(root: string): (path: string) => string {
  return (path) => relative(root, path) || path;
}
