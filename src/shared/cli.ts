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
