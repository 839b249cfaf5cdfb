import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { CommandContext } from './commands/context';
import { COMMANDS } from './commands/table';
import { chooseRuntime } from './connection/launcher';
import { EngineService } from './connection/service';
import { ModelsModel } from './models/model';
import { ENDPOINTS_GLOB } from './serving/endpoints';
import { EndpointsModel } from './serving/model';
import { startServing } from './serving/process';
import { DataModel } from './data/model';
import { runCli } from './data/runner';
import { MonitoringModel } from './monitoring/model';
import { RunsModel } from './runs/model';
import { readSettings } from './settings';
import { CONTEXT_KEYS, VIEWS } from './views';
import { registerCommands } from './vscode/commands';
import { startLanguageClient } from './vscode/language-client';
import { createEngineStatusItem } from './vscode/status-bar';
import { TerminalEnvironment } from './vscode/terminal-env';
import { createTreeView } from './vscode/tree-view';
import { createUi } from './vscode/ui';
import { createServedStatusItem, ModelHistoryDocuments, relativeTo, workspaceJsonFiles } from './vscode/models';
import { ShowRunPanels } from './vscode/webview-panel';
import { DriftReportPanels } from './vscode/drift-report-panel';
import { chooseJsonFile, notifyAlert } from './vscode/monitoring';
import { getSetting, isTrusted, onDidChangeSettings, onDidGrantTrust, setContext, watchFile, workspaceRoot } from './vscode/workspace';

let stopLanguageClient: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const ui = createUi();
  const root = workspaceRoot();
  if (!root) {
    context.subscriptions.push(...registerCommands(COMMANDS, ui, undefined, () => ({ engineConnected: false, engineProblem: undefined, trusted: true })));
    return;
  }
  const settings = () => readSettings(getSetting);
  const engine = new EngineService({ root, distDir: join(context.extensionPath, 'dist'), nodePath: () => settings()['engine.nodePath'], trusted: isTrusted });
  const runs = new RunsModel(engine, () => ({ keyMetrics: settings()['runs.keyMetrics'], maxRuns: settings()['runs.maxRuns'] }));
  const panels = new ShowRunPanels(context.extensionUri, engine);
  const terminals = new TerminalEnvironment(context.environmentVariableCollection);
  const status = createEngineStatusItem('slipway.showEngineStatus');
  status.update(engine.state);
  const data = new DataModel(engine);
  const cliOptions = { cliScript: join(context.extensionPath, 'dist', 'cli.js'), cwd: root, runtime: () => chooseRuntime(settings()['engine.nodePath'], process.versions, process.execPath) };
  const endpoints = new EndpointsModel(root);
  const models = new ModelsModel(engine, endpoints);
  const histories = new ModelHistoryDocuments(engine);
  const monitoring = new MonitoringModel(engine);
  const driftPanels = new DriftReportPanels(context.extensionUri, engine);
  const serve = (modelRef: string) =>
    startServing({ root, cliScript: join(context.extensionPath, 'dist', 'cli.js'), runtime: chooseRuntime(settings()['engine.nodePath'], process.versions, process.execPath), modelRef }, endpoints);
  const ctx: CommandContext = {
    engine,
    runs,
    ui,
    showRun: (runId) => panels.show(runId),
    models: { tree: models, endpoints, serve, showHistory: (name) => histories.show(name), requestFiles: workspaceJsonFiles, relative: relativeTo(root) },
    data: { tree: data, root, runCli: (args, signal) => runCli(cliOptions, args, signal) },
    monitoring: {
      tree: monitoring,
      runCli: (args, signal) => runCli({ ...cliOptions, negativeIsResult: true }, args, signal),
      openReport: (source) => driftPanels.show(source),
      chooseJsonFile: (title) => chooseJsonFile(title, root),
    },
  };

  const autoStart = () => {
    if (!settings()['engine.autoStart'] || !isTrusted() || engine.state.kind !== 'disconnected' || !engine.initialized) return;
    engine.start().catch((error: Error) => ui.error(error.message));
  };
  let firstAnswer = true;
  context.subscriptions.push(
    engine.onState((state) => {
      setContext(CONTEXT_KEYS.engineRunning, state.kind === 'connected');
      status.update(state);
      if (state.kind === 'connected') terminals.engineUp(state.engine);
      else terminals.engineDown();
      if (firstAnswer && state.kind === 'disconnected') autoStart();
      firstAnswer = false;
    }),
    createTreeView(VIEWS.runs, runs),
    createTreeView(VIEWS.models, models),
    histories.register(),
    createServedStatusItem(endpoints, 'slipway.requestPlayground'),
    watchFile(root, ENDPOINTS_GLOB, () => void endpoints.reload()),
    createTreeView(VIEWS.data, data),
    watchFile(root, '**/*.dvc', () => data.pointerFilesChanged()),
    panels.register(),
    createTreeView(VIEWS.monitoring, monitoring, () => monitoring.rerender()),
    driftPanels.register(),
    monitoring.onAlert((alert) => void notifyAlert(alert)),
    ...registerCommands(COMMANDS, ui, ctx, () => ({
      engineConnected: engine.state.kind === 'connected',
      engineProblem: engine.state.kind === 'disconnected' ? engine.state.reason : undefined,
      trusted: isTrusted(),
    })),
    watchFile(root, '.slipway/engine.json', () => engine.nudge()),
    onDidChangeSettings(() => void runs.refresh()),
    onDidGrantTrust(autoStart),
    status,
    { dispose: () => runs.dispose() },
    { dispose: () => models.dispose() },
    { dispose: () => endpoints.dispose() },
    { dispose: () => data.dispose() },
    { dispose: () => monitoring.dispose() },
    { dispose: () => engine.dispose() },
  );
  engine.connect();
  void endpoints.reload();

  const language = startLanguageClient(join(context.extensionPath, 'dist', 'server.js'));
  stopLanguageClient = () => language.client.stop();
  language.started.catch((error: Error) => ui.error(`The Slipway language server did not start: ${error.message}`));
}

export async function deactivate(): Promise<void> {
  await stopLanguageClient?.();
}
