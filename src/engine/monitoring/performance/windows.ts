import { LOWER_IS_BETTER, PERFORMANCE_METRICS, type PerformanceMetric, type PerformanceWindow } from '../../../shared/monitoring';
import { SlipwayError } from '../../errors';
import { groupMetrics } from './metrics';

/** Label codes in {@link LabelledScores.labels}. */
export const POSITIVE = 1;
export const NEGATIVE = 0;
export const UNLABELLED = -1;

/** Predictions as parallel typed arrays: one score, one label code and one timestamp per row. */
export interface LabelledScores {
  /** The positive class's score; NaN when the row has none. */
  scores: Float64Array;
  /** 1 positive, 0 negative, −1 no label yet. */
  labels: Int8Array;
  /** Epoch ms; rows with NaN are left out when windows or a range are asked for. Omit when rows have no time. */
  ts?: Float64Array;
  /**
   * The model's predicted label per row when the input has one (1 positive, 0 negative, −1 unknown): accuracy,
   * precision, recall and F1 then use it instead of `score >= threshold` (rows with −1 still use the threshold).
   */
  predicted?: Int8Array;
  /** Rows used (the arrays may be longer, e.g. grown buffers); default scores.length. */
  length?: number;
}

export interface WindowingOptions {
  /** score >= threshold counts as a positive prediction (default 0.5). */
  threshold?: number;
  /** Split into windows aligned to multiples of windowMs since the epoch (UTC); omitted: one window. */
  windowMs?: number;
  /** Keep rows with fromMs <= ts < toMs. */
  fromMs?: number;
  toMs?: number;
}

export interface WindowedPerformance {
  windows: PerformanceWindow[];
  overall: PerformanceWindow;
  notes: string[];
}

/** Windows beyond this are refused: the report would be unreadable and the caller almost certainly meant a longer window. */
export const MAX_WINDOWS = 100_000;

const day = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z').replace('T00:00Z', '');

/**
 * Computes accuracy, precision, recall, F1, ROC AUC, log loss, Brier score and calibration per time window and over
 * the whole range, from typed arrays (no object per row). Windows are [start, end) and cover the range without gaps,
 * empty ones included. `degraded` is left empty: judging against a baseline is {@link degradedMetrics}' job.
 */
export function performanceWindows(data: LabelledScores, options: WindowingOptions = {}): WindowedPerformance {
  const { scores, labels, ts, predicted } = data;
  const n = data.length ?? scores.length;
  const threshold = options.threshold ?? 0.5;
  if (!ts && (options.windowMs !== undefined || options.fromMs !== undefined || options.toMs !== undefined)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Time windows and ranges need a timestamp for each prediction.');
  }
  const from = options.fromMs ?? -Infinity;
  const to = options.toMs ?? Infinity;

  const order = new Int32Array(n);
  let kept = 0;
  let untimed = 0;
  let minTs = Infinity;
  let maxTs = -Infinity;
  for (let i = 0; i < n; i++) {
    if (ts) {
      const t = ts[i]!;
      if (!(t >= from && t < to)) {
        if (Number.isNaN(t)) untimed++;
        continue;
      }
      if (t < minTs) minTs = t;
      if (t > maxTs) maxTs = t;
    }
    order[kept++] = i;
  }
  const start = options.fromMs ?? (kept && ts ? minTs : 0);
  const end = options.toMs ?? (kept && ts ? maxTs + 1 : start);

  const pos = new Float64Array(kept);
  const neg = new Float64Array(kept);
  const flags = { noLabels: [] as string[], singleClass: [] as string[], notProbabilities: [] as string[], unscored: 0 };
  const summarize = (rows: Int32Array, a: number, b: number, startMs: number, endMs: number, name: string): PerformanceWindow => {
    let labelled = 0;
    let positives = 0;
    let np = 0;
    let nn = 0;
    let tp = 0;
    let fp = 0;
    for (let k = a; k < b; k++) {
      const i = rows[k]!;
      const label = labels[i]!;
      if (label === UNLABELLED) continue;
      labelled++;
      const s = scores[i]!;
      if (label === POSITIVE) positives++;
      if (Number.isNaN(s)) {
        flags.unscored++;
        continue;
      }
      if (label === POSITIVE) pos[np++] = s;
      else neg[nn++] = s;
      if (predicted) {
        const said = predicted[i]!;
        if (said === POSITIVE || (said === UNLABELLED && s >= threshold)) {
          if (label === POSITIVE) tp++;
          else fp++;
        }
      }
    }
    const group = groupMetrics(pos.subarray(0, np), neg.subarray(0, nn), threshold, predicted ? { tp, fp } : undefined);
    if (b > a && !labelled) flags.noLabels.push(name);
    if (group.singleClass) flags.singleClass.push(name);
    if (group.notProbabilities) flags.notProbabilities.push(name);
    return { start_ms: startMs, end_ms: endMs, predictions: b - a, labelled, positives, metrics: group.metrics, calibration: group.calibration, degraded: [] };
  };

  const windows: PerformanceWindow[] = [];
  if (options.windowMs !== undefined && ts) {
    const w = options.windowMs;
    if (!(w > 0)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `The window length must be positive, got ${w} ms.`);
    const first = Math.floor(start / w) * w;
    const count = end > start ? Math.ceil((end - first) / w) : 0;
    if (count > MAX_WINDOWS) throw new SlipwayError('INVALID_PARAMETER_VALUE', `The range splits into ${count} windows (at most ${MAX_WINDOWS}); choose a longer window or a shorter range.`);
    const counts = new Int32Array(count + 1);
    const slot = new Int32Array(kept);
    for (let k = 0; k < kept; k++) counts[(slot[k] = Math.floor((ts[order[k]!]! - first) / w)) + 1]!++;
    for (let c = 0; c < count; c++) counts[c + 1]! += counts[c]!;
    const grouped = new Int32Array(kept);
    const fill = counts.slice(0, count);
    for (let k = 0; k < kept; k++) grouped[fill[slot[k]!]!++] = order[k]!;
    for (let c = 0; c < count; c++) {
      const s = first + c * w;
      windows.push(summarize(grouped, counts[c]!, counts[c + 1]!, s, s + w, `window ${day(s)}`));
    }
  }
  const overall = summarize(order, 0, kept, start, end, 'the whole range');
  if (options.windowMs === undefined) windows.push(overall);
  return { windows, overall, notes: notesOf(flags, untimed, kept) };
}

function listed(names: string[]): string {
  const unique = [...new Set(names)];
  return unique.slice(0, 3).join(', ') + (unique.length > 3 ? ` and ${unique.length - 3} more` : '');
}

function notesOf(flags: { noLabels: string[]; singleClass: string[]; notProbabilities: string[]; unscored: number }, untimed: number, kept: number): string[] {
  const notes: string[] = [];
  if (!kept) notes.push('No predictions in the range.');
  if (untimed) notes.push(untimed === 1 ? '1 prediction has no timestamp and was left out.' : `${untimed} predictions have no timestamp and were left out.`);
  if (flags.noLabels.length) notes.push(`No labels yet in ${listed(flags.noLabels)}: metrics are null and nothing is judged there.`);
  if (flags.singleClass.length) notes.push(`Only one class among the labels in ${listed(flags.singleClass)}: roc_auc is not defined there.`);
  if (flags.notProbabilities.length) notes.push(`Scores outside [0, 1] in ${listed(flags.notProbabilities)}: log_loss, brier, ece and calibration need probabilities and are not computed there.`);
  if (flags.unscored) notes.push(flags.unscored === 1 ? '1 labelled prediction has no score and was left out of the metrics.' : `${flags.unscored} labelled predictions have no score and were left out of the metrics.`);
  return notes;
}

/**
 * Metrics of a window that are worse than the baseline by more than `maxChange` (absolute), judged only when the
 * window has at least `minLabels` labels. Direction: LOWER_IS_BETTER metrics degrade upwards, the others downwards.
 */
export function degradedMetrics(window: PerformanceWindow, baseline: Partial<Record<PerformanceMetric, number>>, maxChange: number, minLabels: number): PerformanceMetric[] {
  if (window.labelled < minLabels || window.labelled === 0) return [];
  return PERFORMANCE_METRICS.filter((metric) => {
    const value = window.metrics[metric];
    const base = baseline[metric];
    if (value === null || base === undefined) return false;
    return LOWER_IS_BETTER.includes(metric) ? value - base > maxChange : base - value > maxChange;
  });
}
