/**
 * Output of `slipway … --json`. Every read command prints one of these; errors print CliErrorOutput on stderr.
 */
import type { EngineDiscovery } from './engine-api';
import type { Metric, RunStatus, KeyValue } from './mlflow';

export interface CliErrorOutput {
  error: { code: string; message: string };
}

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  /** A negative verdict: gate blocked, validation failed, drift detected. */
  negative: 1,
  usage: 2,
  runtime: 3,
  interrupted: 130,
} as const;

export interface RunSummary {
  runId: string;
  runName: string;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  durationMs: number | null;
  gitCommit: string | null;
  gitBranch: string | null;
  gitDirty: boolean | null;
  /** Latest value of each metric. */
  metrics: Record<string, number | null>;
}

export interface RunsListOutput {
  runs: RunSummary[];
  nextPageToken: string | null;
}

export interface RunShowOutput extends RunSummary {
  artifactUri: string;
  params: KeyValue[];
  tags: KeyValue[];
  latestMetrics: Metric[];
  artifacts: { path: string; size: number; md5: string }[];
  /** The data versions the run used (tracked path, hash), from its start. */
  data: { path: string; md5: string; dvcFile: string }[];
}

export interface InitOutput {
  root: string;
  created: boolean;
  gitignoreUpdated: boolean;
}

export interface EnvOutput {
  MLFLOW_TRACKING_URI: string;
  MLFLOW_TRACKING_TOKEN: string;
}

export type EngineStatusOutput = { running: true; engine: EngineDiscovery } | { running: false; reason: string };

/** Printed by `slipway run --json` when the child has exited. */
export interface RunResultOutput {
  runId: string;
  status: RunStatus;
  exitCode: number;
  signal: string | null;
  durationMs: number;
}

/** `slipway import mlruns --json`: what was newly written (a repeated import reports zeros). */
export interface ImportMlrunsOutput {
  experiments: number;
  runs: number;
  metrics: number;
  params: number;
  tags: number;
  artifacts: number;
  loggedModels: number;
  registeredModels: number;
  modelVersions: number;
  skippedRuns: number;
  notes: string[];
}

/** One path recorded by `slipway add --json`. */
export interface DataAddResult {
  path: string;
  dvcFile: string;
  /** md5, or `<md5>.dir` for a folder. */
  md5: string;
  size: number;
  nfiles?: number;
  /** False when the .dvc file already recorded this version. */
  changed: boolean;
}

export interface DataAddOutput {
  added: DataAddResult[];
}

/** `slipway status --json`: one entry per tracked path. */
export interface DataStatusEntry {
  path: string;
  dvcFile: string;
  recorded?: string;
  current?: string;
  workspace: 'unchanged' | 'modified' | 'missing' | 'not-saved';
  inCache: boolean;
  files?: { added: string[]; modified: string[]; deleted: string[] };
}

export interface DataStatusOutput {
  data: DataStatusEntry[];
}

export interface DataCheckoutOutput {
  checkedOut: { path: string; dvcFile: string; action: 'unchanged' | 'restored' | 'updated' | 'not-saved'; written: number; removed: number }[];
}

export interface DataDiffEntry {
  path: string;
  old?: string;
  new?: string;
}

export interface DataDiffOutput {
  added: DataDiffEntry[];
  modified: DataDiffEntry[];
  deleted: DataDiffEntry[];
}

/** `slipway fsck --json`; the exit code is 1 when `corrupt` is not empty. */
export interface DataFsckOutput {
  checked: number;
  corrupt: { oid: string; path: string; reason: string }[];
}

/** `slipway push|fetch --json`. */
export interface DataTransferOutput {
  remote: string;
  /** Objects the selected versions need. */
  needed: number;
  /** Objects copied; the rest were already there. */
  transferred: number;
  /** Objects the source lacks. */
  missing: string[];
  /** Run records, artifacts and registry state sent under `slipway/` (push only). */
  records?: RecordsPushOutput;
}

/** What `slipway push` sent of runs, artifacts and the registry; all zero when the remote had everything. */
export interface RecordsPushOutput {
  runs: number;
  artifacts: number;
  auditEntries: number;
  snapshotWritten: boolean;
}

/** What `slipway pull` took of runs, artifacts and the registry. */
export interface RecordsPullOutput {
  runs: string[];
  artifacts: number;
  appendedEntries: number;
  addedModels: string[];
  addedVersions: string[];
}

export interface DataPullOutput {
  fetched: DataTransferOutput;
  checkedOut: DataCheckoutOutput['checkedOut'];
  records?: RecordsPullOutput;
}

export interface RemoteAddOutput {
  name: string;
  url: string;
  /** The file the remote was written to (.dvc/config or slipway.yaml). */
  file: string;
}

/** `slipway remote modify`: which setting changed where (never its value, which may be a secret). */
export interface RemoteModifyOutput {
  name: string;
  key: string;
  file: string;
  unset: boolean;
}

export interface RemoteListOutput {
  remotes: { name: string; url: string; isDefault: boolean }[];
}
