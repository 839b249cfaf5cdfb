import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DriftPanelSource, DriftPanelState, MessageFromDriftPanel } from '../../shared/drift-panel';
import type { EngineService } from '../connection/service';
import { DriftPanelHost } from '../drift-report/host';
import { DRIFT_REPORT_VIEW_TYPE } from '../views';

const keyOf = (source: DriftPanelSource) => (source.kind === 'monitor' ? `monitor:${source.reportId}` : `file:${source.path}`);

function isSource(value: unknown): value is DriftPanelSource {
  if (!value || typeof value !== 'object' || !('kind' in value)) return false;
  if (value.kind === 'monitor') return 'reportId' in value && typeof value.reportId === 'string';
  return value.kind === 'file' && 'path' in value && typeof value.path === 'string';
}

/**
 * Opens Drift Report panels (one per report or file) and restores them after a reload: the webview saves its source
 * and open column with setState, and VS Code hands them to deserializeWebviewPanel.
 */
export class DriftReportPanels implements vscode.WebviewPanelSerializer<DriftPanelState> {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: EngineService,
  ) {}

  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DRIFT_REPORT_VIEW_TYPE, this);
  }

  show(source: DriftPanelSource): void {
    const existing = this.open.get(keyOf(source));
    if (existing) {
      existing.reveal();
      return;
    }
    const title = source.kind === 'monitor' ? 'Drift report' : `Drift: ${source.path.split(/[\\/]/).pop() ?? source.path}`;
    const panel = vscode.window.createWebviewPanel(DRIFT_REPORT_VIEW_TYPE, title, vscode.ViewColumn.Active, this.options());
    this.attach(panel, source);
  }

  deserializeWebviewPanel(panel: vscode.WebviewPanel, state: DriftPanelState | undefined): Thenable<void> {
    if (state && isSource(state.source)) this.attach(panel, state.source);
    else panel.dispose();
    return Promise.resolve();
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private attach(panel: vscode.WebviewPanel, source: DriftPanelSource): void {
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    const host = new DriftPanelHost(
      source,
      {
        post: (message) => void panel.webview.postMessage(message),
        setTitle: (title) => (panel.title = title),
        onMessage: (listener) => panel.webview.onDidReceiveMessage((message: MessageFromDriftPanel) => listener(message)),
      },
      this.engine,
    );
    const key = keyOf(source);
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      host.dispose();
      this.open.delete(key);
    });
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webviews', 'drift-report.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'drift-report.css'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style.toString()}">
<title>Slipway drift report</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">Loading the drift report…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
