import { PERFORMANCE_METRICS, type PerformanceMetric } from '../../../shared/monitoring';
import { SlipwayError } from '../../errors';
import { ModelRegistry } from '../../registry';
import type { Store } from '../../store';

/** MLflow-style metric names a training run may log for each of our metrics, in order of preference. */
export const METRIC_ALIASES: Readonly<Record<PerformanceMetric, readonly string[]>> = {
  accuracy: ['accuracy', 'acc', 'val_accuracy'],
  precision: ['precision', 'val_precision'],
  recall: ['recall', 'val_recall'],
  f1: ['f1', 'f1_score', 'val_f1'],
  roc_auc: ['roc_auc', 'auc', 'val_auc', 'val_roc_auc'],
  log_loss: ['log_loss', 'logloss', 'val_log_loss'],
  brier: ['brier', 'brier_score', 'brier_score_loss'],
  ece: ['ece'],
};

/** Maps a run's latest metrics (by MLflow key) onto our metric names; keys that map to nothing are ignored. */
export function baselineFromMetrics(latest: ReadonlyMap<string, number>): Partial<Record<PerformanceMetric, number>> {
  const out: Partial<Record<PerformanceMetric, number>> = {};
  for (const metric of PERFORMANCE_METRICS) {
    for (const key of METRIC_ALIASES[metric]) {
      const value = latest.get(key);
      if (value !== undefined && Number.isFinite(value)) {
        out[metric] = value;
        break;
      }
    }
  }
  return out;
}

export interface ModelBaseline {
  model: string | null;
  version: string | null;
  baseline: Partial<Record<PerformanceMetric, number>>;
  notes: string[];
}

/**
 * The metrics a model version's source run logged last (MLflow's "latest" value per key), mapped onto ours. A version
 * without a run, or a run without these metrics, gives an empty baseline and a note. With `required`, a reference
 * that does not resolve is an error; otherwise (a default taken from the prediction log) it is a note.
 */
export function modelBaseline(store: Store, ref: string, required: boolean): ModelBaseline {
  let resolved;
  try {
    resolved = new ModelRegistry(store).resolve(ref);
  } catch (error) {
    if (required || !(error instanceof SlipwayError) || !['RESOURCE_DOES_NOT_EXIST', 'INVALID_PARAMETER_VALUE'].includes(error.code)) throw error;
    return { model: null, version: null, baseline: {}, notes: [`${ref} is not a registered model version, so there is no baseline to compare with; pass --model MODELREF.`] };
  }
  const label = `${resolved.name} version ${resolved.version}`;
  let runId = resolved.run_id ?? null;
  if (!runId && resolved.model_id) {
    runId = (store.db.prepare('SELECT source_run_id FROM logged_models WHERE model_id = ?').pluck().get(resolved.model_id) as string | null | undefined) ?? null;
  }
  const base = { model: resolved.name, version: resolved.version };
  if (!runId) return { ...base, baseline: {}, notes: [`${label} has no source run, so there is no baseline to compare with.`] };
  const rows = store.db.prepare('SELECT key, value, is_nan FROM latest_metrics WHERE run_uuid = ?').all(runId) as { key: string; value: number | null; is_nan: number }[];
  const latest = new Map(rows.filter((r) => !r.is_nan && r.value !== null).map((r) => [r.key, r.value!]));
  const baseline = baselineFromMetrics(latest);
  if (!Object.keys(baseline).length) {
    const logged = rows.length ? `it logged ${rows.map((r) => r.key).slice(0, 10).join(', ')}` : 'it logged no metrics';
    return { ...base, baseline, notes: [`The run ${runId} of ${label} logged none of the metrics compared here (${logged}); baseline empty, nothing is judged.`] };
  }
  return { ...base, baseline, notes: [] };
}
