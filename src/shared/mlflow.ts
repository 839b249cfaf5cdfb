/**
 * MLflow REST API shapes (JSON mapping of mlflow/protos/service.proto), as the engine serves them and the extension
 * reads them. int64 fields are numbers here; ids are strings.
 */

import type { RunInputs, RunOutputs } from './mlflow-logged-models';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface KeyValue {
  key: string;
  value: string;
}

/** A metric point. `value` is a number, or the strings "NaN", "Infinity", "-Infinity" as MLflow's JSON writes them. */
export interface Metric {
  key: string;
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  timestamp: number;
  step: number;
}

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: number;
  last_update_time: number;
  tags?: KeyValue[];
}

export interface RunInfo {
  run_id: string;
  /** Deprecated alias of run_id that MLflow still returns. */
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface RunData {
  metrics?: Metric[];
  params?: KeyValue[];
  tags?: KeyValue[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs?: RunInputs;
  outputs?: RunOutputs;
}

export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

// Requests and responses of the routes the engine serves (GET takes these as query parameters).

export interface SearchExperimentsRequest {
  max_results?: number;
  page_token?: string;
  filter?: string;
  order_by?: string[];
  view_type?: ViewType;
}
export interface SearchExperimentsResponse {
  experiments?: Experiment[];
  next_page_token?: string;
}

export interface GetExperimentResponse {
  experiment: Experiment;
}

export interface SearchRunsRequest {
  experiment_ids: string[];
  filter?: string;
  run_view_type?: ViewType;
  max_results?: number;
  order_by?: string[];
  page_token?: string;
}
export interface SearchRunsResponse {
  runs?: Run[];
  next_page_token?: string;
}

export interface GetRunResponse {
  run: Run;
}

export interface GetMetricHistoryResponse {
  metrics?: Metric[];
  next_page_token?: string;
}

export interface ListArtifactsResponse {
  root_uri?: string;
  files?: FileInfo[];
  next_page_token?: string;
}

/** MLflow's error body. */
export interface MlflowError {
  error_code: string;
  message: string;
}
