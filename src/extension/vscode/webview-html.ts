import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** What one panel's page loads from the extension: its bundle in dist/webviews, its stylesheet in media. */
export interface WebviewPage {
  /** File name under dist/webviews, e.g. `show-run.js`. */
  script: string;
  /** File name under media, e.g. `show-run.css`. */
  style: string;
  title: string;
  /** Shown until the script has rendered. */
  loading: string;
}

/** Scripts on, and nothing readable but the bundles and the stylesheets. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webviews'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * The page shell every panel uses: a fresh nonce per page, and a policy that allows nothing but the nonce-tagged script
 * and stylesheet and the extension's own fonts and images.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webviews', page.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', page.style));
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource} 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${style.toString()}">
<title>${page.title}</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="muted">${page.loading}</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** The port a panel host talks through: messages both ways and the panel's title. */
export interface PanelPort<ToPanel, FromPanel> {
  post(message: ToPanel): void;
  setTitle(title: string): void;
  onMessage(listener: (message: FromPanel) => void): { dispose(): void };
}

/** Wires a host's port to a WebviewPanel. */
export function panelPort<ToPanel, FromPanel>(panel: vscode.WebviewPanel): PanelPort<ToPanel, FromPanel> {
  return {
    post: (message) => void panel.webview.postMessage(message),
    setTitle: (title) => (panel.title = title),
    onMessage: (listener) => panel.webview.onDidReceiveMessage((message: FromPanel) => listener(message)),
  };
}
