import { DriftPanelRequest, DriftPanelUpdate } from '../../shared/drift-panel';
import type { DriftPanelSource, MessageFromDriftPanel, MessageToDriftPanel } from '../../shared/drift-panel';
import type { EngineService } from '../connection/service';
import { loadColumnHistory, loadMetricHistory, loadPanelReport } from './load';

/** The panel side the host talks to; implemented over a WebviewPanel in ../vscode/drift-report-panel.ts. */
export interface DriftWebviewPort {
  post(message: MessageToDriftPanel): void;
  setTitle(title: string): void;
  onMessage(listener: (message: MessageFromDriftPanel) => void): { dispose(): void };
}

const ENGINE_DOWN = 'The Slipway engine is not running; the panel updates when it is back.';

/**
 * Serves one Drift Report panel: answers `ready` with its source, each `loadReport`, `loadHistory` and `loadPerformance` request by id,
 * and tells the panel when its monitor stores a new report or the engine comes and goes. Holds nothing the webview
 * cannot ask for again.
 */
export class DriftPanelHost {
  private ready = false;
  private monitor: string | null = null;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    readonly source: DriftPanelSource,
    private readonly port: DriftWebviewPort,
    private readonly engine: EngineService,
  ) {
    this.subscriptions.push(
      port.onMessage((message) => void this.receive(message)),
      engine.onChange((event) => {
        if (this.ready && this.monitor !== null && event.topic === 'monitors' && event.key === this.monitor) this.port.post({ type: DriftPanelUpdate.MonitorChanged, monitor: this.monitor });
      }),
      engine.onState((state) => {
        if (this.ready && state.kind !== 'connecting') this.port.post({ type: DriftPanelUpdate.EngineState, connected: state.kind === 'connected' });
      }),
    );
  }

  private http() {
    const state = this.engine.state;
    return state.kind === 'connected' ? state.http : undefined;
  }

  private async receive(message: MessageFromDriftPanel): Promise<void> {
    switch (message.type) {
      case DriftPanelRequest.Ready:
        this.ready = true;
        this.port.post({ type: DriftPanelUpdate.Init, source: this.source, engineConnected: this.engine.state.kind === 'connected' });
        return;
      case DriftPanelRequest.LoadReport:
        try {
          const report = await loadPanelReport(message.source, this.http());
          this.monitor = report.monitor;
          this.port.setTitle(`Drift: ${report.title}`);
          this.port.post({ type: DriftPanelUpdate.ReportLoaded, requestId: message.requestId, report });
        } catch (error) {
          this.port.post({ type: DriftPanelUpdate.RequestFailed, requestId: message.requestId, message: (error as Error).message });
        }
        return;
      case DriftPanelRequest.LoadHistory: {
        const http = this.http();
        if (!http) {
          this.port.post({ type: DriftPanelUpdate.RequestFailed, requestId: message.requestId, message: ENGINE_DOWN });
          return;
        }
        try {
          const history = await loadColumnHistory(http, message.monitor, message.column);
          this.port.post({ type: DriftPanelUpdate.HistoryLoaded, requestId: message.requestId, column: message.column, history });
        } catch (error) {
          this.port.post({ type: DriftPanelUpdate.RequestFailed, requestId: message.requestId, message: (error as Error).message });
        }
        return;
      }
      case DriftPanelRequest.LoadPerformance: {
        const http = this.http();
        if (!http) {
          this.port.post({ type: DriftPanelUpdate.RequestFailed, requestId: message.requestId, message: ENGINE_DOWN });
          return;
        }
        try {
          const metrics = await loadMetricHistory(http, message.monitor);
          this.port.post({ type: DriftPanelUpdate.PerformanceLoaded, requestId: message.requestId, monitor: message.monitor, metrics });
        } catch (error) {
          this.port.post({ type: DriftPanelUpdate.RequestFailed, requestId: message.requestId, message: (error as Error).message });
        }
        return;
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
