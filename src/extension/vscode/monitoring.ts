import * as vscode from 'vscode';
import type { AlertRecord } from '../../shared/monitoring';
import { alertMessage } from '../monitoring/collect';

export const ALERT_ACTIONS = { open: 'Open Report', acknowledge: 'Acknowledge' } as const;

/**
 * A warning notification for a newly raised alert, with "Open Report" and "Acknowledge" actions that run the
 * corresponding commands (so their preconditions and error reporting apply).
 */
export async function notifyAlert(alert: AlertRecord): Promise<void> {
  const choice = await vscode.window.showWarningMessage(alertMessage(alert), ALERT_ACTIONS.open, ALERT_ACTIONS.acknowledge);
  if (choice === ALERT_ACTIONS.open) await vscode.commands.executeCommand('slipway.openDriftReport', { reportId: alert.report_id });
  else if (choice === ALERT_ACTIONS.acknowledge) await vscode.commands.executeCommand('slipway.acknowledgeAlert', alert);
}

/** An open dialog for one JSON file under `folder`. */
export async function chooseJsonFile(title: string, folder: string): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({ title, defaultUri: vscode.Uri.file(folder), canSelectFiles: true, canSelectFolders: false, canSelectMany: false, filters: { 'Drift report (JSON)': ['json'] }, openLabel: 'Open Report' });
  return uris?.[0]?.fsPath;
}
