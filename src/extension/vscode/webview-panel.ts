import * as vscode from 'vscode';
import type { MessageFromShowRun, MessageToShowRun, ShowRunState } from '../../shared/show-run';
import type { EngineService } from '../connection/service';
import { ShowRunHost } from '../show-run/host';
import { SHOW_RUN_VIEW_TYPE } from '../views';
import { panelPort, webviewHtml, webviewOptions } from './webview-html';

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
    return webviewOptions(this.extensionUri);
  }

  private attach(panel: vscode.WebviewPanel, runId: string): void {
    panel.webview.options = this.options();
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'show-run.js', style: 'show-run.css', title: 'Slipway run', loading: 'Loading run…' });
    const host = new ShowRunHost(runId, panelPort<MessageToShowRun, MessageFromShowRun>(panel), this.engine);
    this.open.set(runId, panel);
    panel.onDidDispose(() => {
      host.dispose();
      this.open.delete(runId);
    });
  }
}
