import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MessageFromShowRun, ShowRunState } from '../../shared/show-run';
import type { EngineService } from '../connection/service';
import { ShowRunHost } from '../show-run/host';
import { SHOW_RUN_VIEW_TYPE } from '../views';


/**
 * Opens Show Run panels (one per run) and restores them after a reload: the webview saves `{runId}` with setState, and
 * VS Code hands it to deserializeWebviewPanel.
 */
export class ShowRunPanels implements vscode.WebviewPanelSerializer<ShowRunState> {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: EngineService,
  ) {}

  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(SHOW_RUN_VIEW_TYPE, this);
  }

  show(runId: string): void {
    const existing = this.open.get(runId);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(SHOW_RUN_VIEW_TYPE, `Run ${runId.slice(0, 8)}`, vscode.ViewColumn.Active, this.options());
    this.attach(panel, runId);
  }

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ShowRunState | undefined): Thenable<void> {
    if (state && typeof state.runId === 'string') this.attach(panel, state.runId);
    else panel.dispose();
    return Promise.resolve();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel, runId: string): void {
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    const host = new ShowRunHost(
      runId,
      {
        post: (message) => void panel.webview.postMessage(message),
        setTitle: (title) => (panel.title = title),
        onMessage: (listener) => panel.webview.onDidReceiveMessage((message: MessageFromShowRun) => listener(message)),
      },
      this.engine,
    );
    this.open.set(runId, panel);
    panel.onDidDispose(() => {
      host.dispose();
      this.open.delete(runId);
    });
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews', 'show-run.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'show-run.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style.toString()}">
<title>Slipway run</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading run…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
