import * as vscode from 'vscode';
import type { DriftPanelSource, DriftPanelState, MessageFromDriftPanel, MessageToDriftPanel } from '../../shared/drift-panel';
import type { EngineService } from '../connection/service';
import { DriftPanelHost } from '../drift-report/host';
import { DRIFT_REPORT_VIEW_TYPE } from '../views';
import { panelPort, webviewHtml, webviewOptions } from './webview-html';

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
    return { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false };
  }

  private attach(panel: vscode.WebviewPanel, source: DriftPanelSource): void {
    panel.webview.options = this.options();
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, { script: 'drift-report.js', style: 'drift-report.css', title: 'Slipway drift report', loading: 'Loading the drift report…' });
    const host = new DriftPanelHost(source, panelPort<MessageToDriftPanel, MessageFromDriftPanel>(panel), this.engine);
    const key = keyOf(source);
    this.open.set(key, panel);
    panel.onDidDispose(() => {
      host.dispose();
      this.open.delete(key);
    });
  }
}
