import { ShowRunRequest, ShowRunUpdate } from '../../shared/show-run';
import type { MessageFromShowRun, MessageToShowRun } from '../../shared/show-run';
import type { EngineService } from '../connection/service';
import { loadRunDetails } from './load';

/** The panel side the host talks to; implemented over a WebviewPanel in ../vscode/webview-panel.ts. */
export interface WebviewPort {
  post(message: MessageToShowRun): void;
  setTitle(title: string): void;
  onMessage(listener: (message: MessageFromShowRun) => void): { dispose(): void };
}

/**
 * Serves one Show Run panel: answers `ready` with the run id, answers each `loadRun` request by id, and tells the
 * panel when its run changes or the engine comes and goes. Holds nothing the webview cannot ask for again.
 */
export class ShowRunHost {
  private ready = false;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    readonly runId: string,
    private readonly port: WebviewPort,
    private readonly engine: EngineService,
  ) {
    this.subscriptions.push(
      port.onMessage((message) => void this.receive(message)),
      engine.onChange((event) => {
        if (this.ready && event.key === runId) this.port.post({ type: ShowRunUpdate.RunChanged, runId });
      }),
      engine.onState((state) => {
        if (this.ready && state.kind !== 'connecting') this.port.post({ type: ShowRunUpdate.EngineState, connected: state.kind === 'connected' });
      }),
    );
  }

  private async receive(message: MessageFromShowRun): Promise<void> {
    switch (message.type) {
      case ShowRunRequest.Ready:
        this.ready = true;
        this.port.post({ type: ShowRunUpdate.Init, runId: this.runId, engineConnected: this.engine.state.kind === 'connected' });
        return;
      case ShowRunRequest.LoadRun: {
        const state = this.engine.state;
        if (state.kind !== 'connected') {
          this.port.post({ type: ShowRunUpdate.RequestFailed, requestId: message.requestId, message: 'The Slipway engine is not running; the panel updates when it is back.' });
          return;
        }
        try {
          const run = await loadRunDetails(state.http, message.runId);
          this.port.setTitle(`Run ${run.runName}`);
          this.port.post({ type: ShowRunUpdate.RunLoaded, requestId: message.requestId, run });
        } catch (error) {
          this.port.post({ type: ShowRunUpdate.RequestFailed, requestId: message.requestId, message: (error as Error).message });
        }
        return;
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
