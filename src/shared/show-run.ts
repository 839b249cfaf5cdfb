/**
 * Messages between the extension host and the Show Run webview. Both directions are discriminated unions on `type`.
 * The webview posts `ready` once its script runs; the host answers with `init` and posts nothing before that. Data is
 * fetched by request: each request carries a `requestId` that its answer (`runLoaded` or `requestFailed`) repeats.
 */
import type { KeyValue, RunStatus } from './mlflow';

/** Message types the webview sends to the host. */
export enum ShowRunRequest {
  /** The script has loaded and listens; the host may post now. */
  Ready = 'ready',
  /** Load a run (answered by `runLoaded` or `requestFailed` with the same requestId). */
  LoadRun = 'loadRun',
}

/** Message types the host sends to the webview. */
export enum ShowRunUpdate {
  /** Answer to `ready`: which run this panel shows. */
  Init = 'init',
  RunLoaded = 'runLoaded',
  RequestFailed = 'requestFailed',
  /** The run changed in the store (a metric, tag or status was written): request it again. */
  RunChanged = 'runChanged',
  /** The engine went away or came back; the panel keeps its data and says so. */
  EngineState = 'engineState',
}

export type MessageFromShowRun = { type: ShowRunRequest.Ready } | { type: ShowRunRequest.LoadRun; requestId: number; runId: string };

export type MessageToShowRun =
  | { type: ShowRunUpdate.Init; runId: string; engineConnected: boolean }
  | { type: ShowRunUpdate.RunLoaded; requestId: number; run: RunDetails }
  | { type: ShowRunUpdate.RequestFailed; requestId: number; message: string }
  | { type: ShowRunUpdate.RunChanged; runId: string }
  | { type: ShowRunUpdate.EngineState; connected: boolean };

/** State the webview persists with `setState`, handed back to the panel serializer after a reload. */
export interface ShowRunState {
  runId: string;
}

/** A metric's latest point. */
export interface LatestMetric {
  key: string;
  /** null when the value is NaN or infinite (shown as its MLflow string). */
  value: number | null;
  display: string;
  step: number;
  timestamp: number;
}

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  size: number | null;
}

/** Everything the Show Run panel displays, shaped by the host from MLflow's run and artifact responses. */
export interface RunDetails {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  git: { commit: string | null; branch: string | null; dirty: boolean | null };
  params: KeyValue[];
  metrics: LatestMetric[];
  /** User tags; `mlflow.*` and `slipway.*` system tags are folded into the fields above or left out. */
  tags: KeyValue[];
  artifacts: ArtifactEntry[];
}
