import type { DatasetInput, RunInputs, RunOutputs } from '../../shared/mlflow-logged-models';
import { SlipwayError } from '../errors';
import type { TrackingContext } from './context';
import { LIMITS, checkKey, checkValue, toInt64 } from './limits';
import { activeRun } from './runs';

const LOG_MODEL_TAG = 'mlflow.log-model.history';

function modelIds(name: string, value: unknown): { model_id: string; step: number }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `'${name}' must be a list of {model_id}.`);
  return value.map((m) => {
    const { model_id: id, step } = (m ?? {}) as { model_id?: unknown; step?: unknown };
    if (typeof id !== 'string' || !id) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Each entry of '${name}' needs a model_id.`);
    return { model_id: id, step: toInt64('step', step, 0) };
  });
}

function datasets(value: unknown): DatasetInput[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new SlipwayError('INVALID_PARAMETER_VALUE', "'datasets' must be a list.");
  return value.map((item) => {
    const { dataset, tags } = (item ?? {}) as { dataset?: Record<string, unknown>; tags?: unknown };
    if (!dataset || typeof dataset.name !== 'string' || typeof dataset.digest !== 'string') {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Each dataset input needs dataset.name and dataset.digest.');
    }
    if (dataset.name.length > 500 || dataset.digest.length > 36) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Dataset names are limited to 500 characters and digests to 36.');
    const tagList = Array.isArray(tags)
      ? tags.map((t) => {
          const { key, value: v } = (t ?? {}) as { key?: unknown; value?: unknown };
          const k = checkKey('tag', key);
          return { key: k, value: checkValue('tag', k, v ?? '') };
        })
      : [];
    const clean: DatasetInput['dataset'] = { name: dataset.name, digest: dataset.digest };
    for (const field of ['source_type', 'source', 'schema', 'profile'] as const) {
      const v = dataset[field];
      if (typeof v === 'string') clean[field] = v;
    }
    return { tags: tagList, dataset: clean };
  });
}

/** runs/log-inputs: datasets (and MLflow 3 model inputs) a run used; logging the same input again is a no-op. */
export function logInputs(ctx: TrackingContext, request: { run_id?: unknown; datasets?: unknown; models?: unknown }): void {
  const items = datasets(request.datasets);
  const models = modelIds('models', request.models);
  ctx.store.write((changed) => {
    const run = activeRun(ctx, request.run_id);
    const position = (ctx.store.db.prepare('SELECT coalesce(max(position), -1) + 1 AS next FROM run_dataset_inputs WHERE run_uuid = ?').get(run.run_uuid) as { next: number }).next;
    const insert = ctx.store.db.prepare('INSERT OR IGNORE INTO run_dataset_inputs (run_uuid, position, name, digest, dataset_json, tags_json) VALUES (?, ?, ?, ?, ?, ?)');
    items.forEach((d, i) => insert.run(run.run_uuid, position + i, d.dataset.name, d.dataset.digest, JSON.stringify(d.dataset), JSON.stringify(d.tags ?? [])));
    const link = ctx.store.db.prepare("INSERT OR IGNORE INTO run_model_links (run_uuid, direction, model_id, step) VALUES (?, 'input', ?, 0)");
    for (const m of models) link.run(run.run_uuid, m.model_id);
    changed('runs', run.run_uuid);
  });
}

/** runs/outputs: logged models a run produced, with the step they were logged at. */
export function logOutputs(ctx: TrackingContext, request: { run_id?: unknown; models?: unknown }): void {
  const models = modelIds('models', request.models);
  ctx.store.write((changed) => {
    const run = activeRun(ctx, request.run_id);
    const link = ctx.store.db.prepare("INSERT OR IGNORE INTO run_model_links (run_uuid, direction, model_id, step) VALUES (?, 'output', ?, ?)");
    for (const m of models) link.run(run.run_uuid, m.model_id, m.step);
    changed('runs', run.run_uuid);
  });
}

/**
 * runs/log-model (MLflow 2): appends the model's MLmodel description to the run's `mlflow.log-model.history` tag, a
 * JSON list, as MLflow's own stores do.
 */
export function logModel(ctx: TrackingContext, request: { run_id?: unknown; model_json?: unknown }): void {
  if (typeof request.model_json !== 'string') throw new SlipwayError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'model_json'.");
  let model: unknown;
  try {
    model = JSON.parse(request.model_json);
  } catch {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', "'model_json' is not valid JSON.");
  }
  if (!model || typeof model !== 'object' || Array.isArray(model)) throw new SlipwayError('INVALID_PARAMETER_VALUE', "'model_json' must be a JSON object.");
  ctx.store.write((changed) => {
    const run = activeRun(ctx, request.run_id);
    const existing = ctx.store.db.prepare('SELECT value FROM tags WHERE run_uuid = ? AND key = ?').get(run.run_uuid, LOG_MODEL_TAG) as { value: string } | undefined;
    const history = existing ? (JSON.parse(existing.value) as unknown[]) : [];
    history.push(model);
    let value = JSON.stringify(history);
    // Keep the newest entries when the history outgrows a tag value.
    while (value.length > LIMITS.tagValueLength && history.length > 1) {
      history.shift();
      value = JSON.stringify(history);
    }
    ctx.store.db.prepare('INSERT INTO tags (run_uuid, key, value) VALUES (?, ?, ?) ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value').run(run.run_uuid, LOG_MODEL_TAG, value);
    changed('runs', run.run_uuid);
  });
}

/** Inputs and outputs of many runs, for runs/get and runs/search. */
export function runIo(ctx: TrackingContext, runIds: string[]): Map<string, { inputs: RunInputs; outputs: RunOutputs }> {
  const out = new Map<string, { inputs: RunInputs; outputs: RunOutputs }>();
  if (!runIds.length) return out;
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { inputs: {}, outputs: {} }));
    return e;
  };
  for (let i = 0; i < runIds.length; i += 500) {
    const chunk = runIds.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(',');
    const inputs = ctx.store.db.prepare(`SELECT run_uuid, dataset_json, tags_json FROM run_dataset_inputs WHERE run_uuid IN (${marks}) ORDER BY position`).all(...chunk) as { run_uuid: string; dataset_json: string; tags_json: string }[];
    for (const row of inputs) (entry(row.run_uuid).inputs.dataset_inputs ??= []).push({ dataset: JSON.parse(row.dataset_json) as DatasetInput['dataset'], tags: JSON.parse(row.tags_json) as DatasetInput['tags'] });
    const links = ctx.store.db.prepare(`SELECT run_uuid, direction, model_id, step FROM run_model_links WHERE run_uuid IN (${marks}) ORDER BY step, model_id`).all(...chunk) as { run_uuid: string; direction: string; model_id: string; step: number }[];
    for (const link of links) {
      const e = entry(link.run_uuid);
      if (link.direction === 'input') (e.inputs.model_inputs ??= []).push({ model_id: link.model_id });
      else (e.outputs.model_outputs ??= []).push({ model_id: link.model_id, step: link.step });
    }
  }
  return out;
}
