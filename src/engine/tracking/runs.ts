import type { KeyValue, Run, RunInfo, RunStatus } from '../../shared/mlflow';
import { SlipwayError } from '../errors';
import { newRunId } from '../ids';
import type { TrackingContext } from './context';
import { checkKey, checkValue, LIMITS, toId, toInt64 } from './limits';
import { generateRunName } from './run-names';
import { runIo } from './run-io';
import { runInfoToJson, runToJson, type MetricRow, type RunRow } from './shapes';

export const RUN_NAME_TAG = 'mlflow.runName';
const STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

export interface CreateRunRequest {
  experiment_id?: unknown;
  run_name?: unknown;
  user_id?: unknown;
  start_time?: unknown;
  tags?: unknown;
}

function runRow(ctx: TrackingContext, runId: unknown): RunRow {
  if (typeof runId !== 'string' || !runId) throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'run_id'.");
  const row = ctx.store.db.prepare('SELECT * FROM runs WHERE run_uuid = ?').get(runId) as RunRow | undefined;
  if (!row) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found.`);
  return row;
}

/** The run, which must exist and not be deleted, for logging into it. */
export function activeRun(ctx: TrackingContext, runId: unknown): RunRow {
  const row = runRow(ctx, runId);
  if (row.lifecycle_stage !== 'active') {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `The run ${row.run_uuid} must be in the 'active' state. Current state is ${row.lifecycle_stage}.`);
  }
  return row;
}

function parseTags(tags: unknown): KeyValue[] {
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags)) throw new SlipwayError('INVALID_PARAMETER_VALUE', "'tags' must be a list of {key, value}.");
  return tags.map((tag) => {
    const { key, value } = (tag ?? {}) as { key?: unknown; value?: unknown };
    const k = checkKey('tag', key);
    return { key: k, value: checkValue('tag', k, value ?? '') };
  });
}

/** Creates a RUNNING run. A name is generated when none is given; the mlflow.runName tag always matches it. */
export function createRun(ctx: TrackingContext, request: CreateRunRequest): Run {
  const experimentId = request.experiment_id === undefined || request.experiment_id === null || request.experiment_id === '' ? '0' : toId('experiment_id', request.experiment_id);
  const tags = parseTags(request.tags);
  const tagName = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  const requested = typeof request.run_name === 'string' && request.run_name ? request.run_name : undefined;
  if (requested && tagName && requested !== tagName) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Both run_name ('${requested}') and tag '${RUN_NAME_TAG}' ('${tagName}') were given and differ; give one.`);
  }
  const runName = requested ?? tagName ?? generateRunName();
  if (runName.length > LIMITS.runNameLength) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Run names are limited to ${LIMITS.runNameLength} characters.`);
  const startTime = toInt64('start_time', request.start_time, Date.now());
  const userId = typeof request.user_id === 'string' ? request.user_id : '';
  const runId = newRunId();
  ctx.store.write((changed) => {
    const experiment = ctx.store.db.prepare('SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?').get(experimentId) as { lifecycle_stage: string } | undefined;
    if (!experiment) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists.`);
    if (experiment.lifecycle_stage !== 'active') {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycle_stage}.`);
    }
    ctx.store.db
      .prepare(`INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
                VALUES (?, ?, ?, ?, 'RUNNING', ?, NULL, 'active', ?)`)
      .run(runId, experimentId, runName, userId, startTime, `mlflow-artifacts:/${experimentId}/${runId}/artifacts`);
    const insertTag = ctx.store.db.prepare('INSERT OR REPLACE INTO tags (run_uuid, key, value) VALUES (?, ?, ?)');
    for (const tag of tags) if (tag.key !== RUN_NAME_TAG) insertTag.run(runId, tag.key, tag.value);
    insertTag.run(runId, RUN_NAME_TAG, runName);
    changed('runs', runId);
  });
  return getRun(ctx, runId);
}

/** The run with its latest metrics, params and tags, in MLflow's shape. */
export function getRun(ctx: TrackingContext, runId: unknown): Run {
  return ctx.store.read(() => {
    const row = runRow(ctx, runId);
    return runsWithData(ctx, [row])[0]!;
  });
}

/** Attaches data to many runs with one query per table (search pages return up to thousands of runs). */
export function runsWithData(ctx: TrackingContext, rows: RunRow[]): Run[] {
  if (!rows.length) return [];
  const metrics = new Map<string, MetricRow[]>();
  const params = new Map<string, KeyValue[]>();
  const tags = new Map<string, KeyValue[]>();
  const db = ctx.store.db;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => r.run_uuid);
    const marks = chunk.map(() => '?').join(',');
    for (const m of db.prepare(`SELECT run_uuid, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid IN (${marks}) ORDER BY key`).all(...chunk) as (MetricRow & { run_uuid: string })[]) {
      push(metrics, m.run_uuid, { key: m.key, value: m.value, is_nan: m.is_nan, timestamp: m.timestamp, step: m.step });
    }
    for (const p of db.prepare(`SELECT run_uuid, key, value FROM params WHERE run_uuid IN (${marks}) ORDER BY key`).all(...chunk) as (KeyValue & { run_uuid: string })[]) {
      push(params, p.run_uuid, { key: p.key, value: p.value });
    }
    for (const t of db.prepare(`SELECT run_uuid, key, value FROM tags WHERE run_uuid IN (${marks}) ORDER BY key`).all(...chunk) as (KeyValue & { run_uuid: string })[]) {
      push(tags, t.run_uuid, { key: t.key, value: t.value });
    }
  }
  const io = runIo(ctx, rows.map((r) => r.run_uuid));
  return rows.map((r) => {
    const run = runToJson(r, metrics.get(r.run_uuid) ?? [], params.get(r.run_uuid) ?? [], tags.get(r.run_uuid) ?? []);
    const extra = io.get(r.run_uuid);
    if (extra) {
      run.inputs = extra.inputs;
      if (extra.outputs.model_outputs) run.outputs = extra.outputs;
    }
    return run;
  });
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** runs/update: status, end time and name. Renaming keeps the mlflow.runName tag consistent. */
export function updateRun(ctx: TrackingContext, request: { run_id?: unknown; run_uuid?: unknown; status?: unknown; end_time?: unknown; run_name?: unknown }): RunInfo {
  const runId = request.run_id ?? request.run_uuid;
  if (request.status !== undefined && !STATUSES.includes(request.status as RunStatus)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid run status ${JSON.stringify(request.status)}; use one of ${STATUSES.join(', ')}.`);
  }
  const endTime = request.end_time === undefined || request.end_time === null ? undefined : toInt64('end_time', request.end_time);
  const runName = typeof request.run_name === 'string' && request.run_name ? request.run_name : undefined;
  return ctx.store.write((changed) => {
    const row = activeRun(ctx, runId);
    const status = (request.status as RunStatus | undefined) ?? row.status;
    const finished = status !== 'RUNNING' && status !== 'SCHEDULED';
    const end = endTime ?? (finished && row.end_time === null && request.status !== undefined ? Date.now() : row.end_time);
    ctx.store.db.prepare('UPDATE runs SET status = ?, end_time = ?, run_name = ? WHERE run_uuid = ?').run(status, end, runName ?? row.run_name, row.run_uuid);
    if (runName) ctx.store.db.prepare('INSERT OR REPLACE INTO tags (run_uuid, key, value) VALUES (?, ?, ?)').run(row.run_uuid, RUN_NAME_TAG, runName);
    changed('runs', row.run_uuid);
    return runInfoToJson(runRow(ctx, row.run_uuid));
  });
}

/** Marks a run deleted (it stays in the store until garbage-collected) or restores it. */
export function setRunLifecycle(ctx: TrackingContext, runId: unknown, stage: 'active' | 'deleted'): void {
  ctx.store.write((changed) => {
    const row = runRow(ctx, runId);
    ctx.store.db.prepare('UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?').run(stage, stage === 'deleted' ? Date.now() : null, row.run_uuid);
    changed('runs', row.run_uuid);
  });
}
