import type { Experiment, KeyValue, Metric, Run, RunInfo, RunStatus, LifecycleStage } from '../../shared/mlflow';

/** A row of `experiments`: the MLflow experiment without its tags, which live in their own table. */
export type ExperimentRow = Omit<Experiment, 'tags'>;

export interface RunRow {
  run_uuid: string;
  experiment_id: string;
  run_name: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: LifecycleStage;
  artifact_uri: string;
}

export interface MetricRow {
  key: string;
  value: number | null;
  is_nan: number;
  timestamp: number;
  step: number;
}

/** A stored metric value back to MLflow's JSON: NaN and infinities as strings. */
export function metricValueToJson(value: number | null, isNan: number): Metric['value'] {
  if (isNan || value === null || Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}

export function metricToJson(row: MetricRow): Metric {
  return { key: row.key, value: metricValueToJson(row.value, row.is_nan), timestamp: row.timestamp, step: row.step };
}

export function experimentToJson(row: ExperimentRow, tags: KeyValue[]): Experiment {
  const out: Experiment = {
    experiment_id: row.experiment_id,
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage,
    creation_time: row.creation_time,
    last_update_time: row.last_update_time,
  };
  if (tags.length) out.tags = tags;
  return out;
}

export function runInfoToJson(row: RunRow): RunInfo {
  const info: RunInfo = {
    run_id: row.run_uuid,
    run_uuid: row.run_uuid,
    run_name: row.run_name,
    experiment_id: row.experiment_id,
    user_id: row.user_id,
    status: row.status,
    start_time: row.start_time,
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage,
  };
  if (row.end_time !== null) info.end_time = row.end_time;
  return info;
}

export function runToJson(row: RunRow, metrics: MetricRow[], params: KeyValue[], tags: KeyValue[]): Run {
  return {
    info: runInfoToJson(row),
    data: { metrics: metrics.map(metricToJson), params, tags },
    inputs: {},
  };
}
