/** MLflow 3 logged models (service.proto LoggedModel), as the engine serves them. */
import type { KeyValue } from './mlflow';

export type LoggedModelStatus = 'LOGGED_MODEL_PENDING' | 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED';

export interface LoggedModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
  status: LoggedModelStatus;
  status_message?: string;
  model_type?: string;
  source_run_id?: string;
  tags: KeyValue[];
}

export interface LoggedModelMetric {
  key: string;
  value: number | 'NaN';
  timestamp: number;
  step: number;
  model_id: string;
  run_id: string;
}

export interface LoggedModel {
  info: LoggedModelInfo;
  data: { params: KeyValue[]; metrics: LoggedModelMetric[] };
}

export interface SearchLoggedModelsResponse {
  models: LoggedModel[];
  next_page_token?: string;
}

/** A dataset a run read, as MLflow's log-inputs sends it. */
export interface DatasetInput {
  tags?: KeyValue[];
  dataset: { name: string; digest: string; source_type?: string; source?: string; schema?: string; profile?: string };
}

export interface RunInputs {
  dataset_inputs?: DatasetInput[];
  model_inputs?: { model_id: string }[];
}

export interface RunOutputs {
  model_outputs?: { model_id: string; step: number }[];
}
