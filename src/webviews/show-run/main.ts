import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import { ShowRunRequest, ShowRunUpdate } from '../../shared/show-run';
import type { MessageFromShowRun, MessageToShowRun, ShowRunState } from '../../shared/show-run';
import { HostChannel } from '../common/vscode-api';
import { el } from '../common/dom';
import { renderRun } from './render';

const host = new HostChannel<MessageFromShowRun, MessageToShowRun, ShowRunState>();
const app = document.getElementById('app')!;
let runId: string | undefined = host.state?.runId;
let nextRequest = 1;
/** Only the newest request's answer is shown; an older one arriving late is dropped. */
let latestRequest = 0;

function load(): void {
  if (!runId) return;
  latestRequest = nextRequest++;
  host.post({ type: ShowRunRequest.LoadRun, requestId: latestRequest, runId });
}

function banner(text: string | null): void {
  document.getElementById('banner')?.remove();
  if (text) app.prepend(el('p', { id: 'banner', class: 'banner', role: 'status' }, text));
}

host.onMessage((message) => {
  switch (message.type) {
    case ShowRunUpdate.Init:
      runId = message.runId;
      host.state = { runId };
      if (!message.engineConnected) banner('The Slipway engine is not running; this panel fills in when it is back.');
      load();
      return;
    case ShowRunUpdate.RunLoaded:
      if (message.requestId !== latestRequest) return;
      app.replaceChildren(renderRun(message.run));
      return;
    case ShowRunUpdate.RequestFailed:
      if (message.requestId !== latestRequest) return;
      banner(message.message);
      return;
    case ShowRunUpdate.RunChanged:
      if (message.runId === runId) load();
      return;
    case ShowRunUpdate.EngineState:
      if (message.connected) {
        banner(null);
        load();
      } else banner('The Slipway engine stopped; showing the last loaded state.');
      return;
  }
});

host.post({ type: ShowRunRequest.Ready });
