/**
 * Contracts of column schemas (`*.schema.yaml`) and of the serving HTTP routes, shared by the engine, the CLI, the
 * language server and the extension.
 */
import type { SourceRange } from './diagnostics';

/** Column types a schema may declare. */
export type ColumnType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'string' | 'category' | 'datetime';

export const COLUMN_TYPES: readonly ColumnType[] = ['float32', 'float64', 'int32', 'int64', 'bool', 'string', 'category', 'datetime'];

/** One column of a schema, in file order (the order is the model's input order). */
export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Inclusive bounds for numeric columns. */
  min?: number;
  max?: number;
  /** Allowed values of a category column. */
  values?: string[];
  /** Whether null is an accepted value (default false). */
  nullable: boolean;
  /** Where the column is declared (its key). */
  range: SourceRange;
}

/** A parsed `*.schema.yaml`. */
export interface ColumnSchema {
  file: string;
  columns: ColumnSpec[];
}

/** The JSON value of one model output for one row (a scalar, or an array for outputs with more than one value per row). */
export type OutputValue = number | string | boolean | null | OutputValue[];

/** One answered row of `POST /predict`. */
export interface PredictionResult {
  /** Sortable unique id; send it back with `POST /feedback` when the true label is known. */
  id: string;
  /** Each ONNX output's value for this row, by output name. */
  outputs: Record<string, OutputValue>;
  /** The positive class's score (`score_output` at `positive_label`), when the model has a probability output. */
  score?: number;
  /** Fields computed by the endpoint's `postprocess` config, e.g. `{ "risk_tier": "HIGH" }`. */
  postprocessed?: Record<string, string>;
}

/** `POST /predict` with one object. */
export interface PredictOneResponse extends PredictionResult {
  model: string;
  version: string;
}

/** `POST /predict` with an array. */
export interface PredictBatchResponse {
  model: string;
  version: string;
  predictions: PredictionResult[];
}

/** One label for `POST /feedback`: `{ id, label }`, or `{ feedback: [...] }`, or an array of them. */
export interface FeedbackItem {
  id: string;
  label: number | string | boolean;
}

export interface FeedbackResponse {
  accepted: number;
}

/** Error body of every serving route (MLflow's `/invocations` included, which uses MLflow's error codes). */
export interface ServingErrorBody {
  error_code: string;
  message: string;
}

/** `.slipway/endpoints/<name>.json`, written by a serve process while it is up (file mode 0600). */
export interface EndpointDiscovery {
  name: string;
  url: string;
  host: string;
  port: number;
  pid: number;
  model: string;
  version: string;
  /** Bearer token for `POST /feedback`. */
  token: string;
  startedAt: number;
}

/** Response headers every serving response carries (MLflow's and KServe's bodies have no room for them). */
export const SERVING_HEADERS = {
  model: 'x-slipway-model',
  version: 'x-slipway-model-version',
  /** Comma-separated prediction ids, in row order. */
  predictionIds: 'x-slipway-prediction-ids',
} as const;

/** `slipway serve --json`: printed once the endpoint listens (the token stays in the endpoint file). */
export type ServeOutput = Omit<EndpointDiscovery, 'token'>;

/** `slipway deploy docker|k8s --json`. */
export interface DeployOutput {
  out: string;
  image: string;
  /** The container's start command (the Dockerfile's CMD, exec form), run from the context's root. */
  command: string[];
  files: string[];
}

/** `slipway feedback FILE --endpoint NAME --json`. */
export interface FeedbackOutput extends FeedbackResponse {
  /** `endpoint` when the running server took the labels, `store` when they were written directly. */
  via: 'endpoint' | 'store';
}
