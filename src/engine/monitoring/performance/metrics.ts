import type { CalibrationBin, PerformanceMetric } from '../../../shared/monitoring';

/** Equal-width calibration bins over [0, 1], as scikit-learn's `calibration_curve(strategy="uniform")`. */
export const CALIBRATION_BINS = 10;

/** Probabilities are clipped to [EPS, 1 − EPS] before the log (scikit-learn's `log_loss(eps=1e-15)`). */
export const LOG_LOSS_EPS = 1e-15;

/** Interior bin edges the way numpy's `linspace(0, 1, 11)` computes them (i × 0.1, so 0.30000000000000004). */
const EDGES = Float64Array.from({ length: CALIBRATION_BINS + 1 }, (_, i) => (i === CALIBRATION_BINS ? 1 : i * (1 / CALIBRATION_BINS)));

/** Metric values of one group of labelled predictions, plus why some are missing. */
export interface GroupMetrics {
  metrics: Record<PerformanceMetric, number | null>;
  calibration: CalibrationBin[];
  /** Only one class among the labels: roc_auc is undefined. */
  singleClass: boolean;
  /** Some score lies outside [0, 1]: log loss, Brier score and calibration are not computed. */
  notProbabilities: boolean;
}

export function emptyMetrics(): Record<PerformanceMetric, number | null> {
  return { accuracy: null, precision: null, recall: null, f1: null, roc_auc: null, log_loss: null, brier: null, ece: null };
}

/**
 * The bin a probability falls in: bins are (lo, hi] with 0 in the first, as numpy's `searchsorted(edges[1:-1], p)`
 * assigns them inside `calibration_curve`, so the figures match scikit-learn's even for scores on an edge.
 */
export function calibrationBin(p: number): number {
  let b = Math.min(CALIBRATION_BINS - 1, Math.max(0, Math.ceil(p * CALIBRATION_BINS) - 1));
  while (b > 0 && p <= EDGES[b]!) b--;
  while (b < CALIBRATION_BINS - 1 && p > EDGES[b + 1]!) b++;
  return b;
}

/**
 * Classification metrics of one group, from the scores of its positive and its negative rows. Sorts both arrays in
 * place (callers pass scratch copies). Threshold metrics count `score >= threshold` as a positive prediction; precision,
 * recall and F1 are 0 when their denominator is 0 (scikit-learn's `zero_division` default). ROC AUC is the
 * Mann–Whitney statistic with ties counted as one half, so it equals the area under the ROC curve exactly.
 * `predicted` replaces the threshold with the model's own positive predictions among the positives (tp) and the
 * negatives (fp), for inputs that carry a predicted label.
 */
export function groupMetrics(pos: Float64Array, neg: Float64Array, threshold: number, predicted?: { tp: number; fp: number }): GroupMetrics {
  const p = pos.length;
  const q = neg.length;
  const n = p + q;
  const metrics = emptyMetrics();
  const out: GroupMetrics = { metrics, calibration: [], singleClass: n > 0 && (p === 0 || q === 0), notProbabilities: false };
  if (!n) return out;

  let tp = 0;
  let fp = 0;
  let logLoss = 0;
  let brier = 0;
  const binCount = new Float64Array(CALIBRATION_BINS);
  const binScore = new Float64Array(CALIBRATION_BINS);
  const binPositive = new Float64Array(CALIBRATION_BINS);
  let inRange = true;
  for (let i = 0; i < p; i++) {
    const s = pos[i]!;
    if (s >= threshold) tp++;
    if (!(s >= 0 && s <= 1)) {
      inRange = false;
      continue;
    }
    logLoss -= Math.log(Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, s)));
    brier += (1 - s) * (1 - s);
    const b = calibrationBin(s);
    binCount[b]!++;
    binScore[b]! += s;
    binPositive[b]!++;
  }
  for (let i = 0; i < q; i++) {
    const s = neg[i]!;
    if (s >= threshold) fp++;
    if (!(s >= 0 && s <= 1)) {
      inRange = false;
      continue;
    }
    logLoss -= Math.log(1 - Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, s)));
    brier += s * s;
    const b = calibrationBin(s);
    binCount[b]!++;
    binScore[b]! += s;
  }
  if (predicted) {
    tp = predicted.tp;
    fp = predicted.fp;
  }
  const tn = q - fp;
  metrics.accuracy = (tp + tn) / n;
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = p ? tp / p : 0;
  metrics.precision = precision;
  metrics.recall = recall;
  metrics.f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;

  if (inRange) {
    metrics.log_loss = logLoss / n;
    metrics.brier = brier / n;
    let ece = 0;
    for (let b = 0; b < CALIBRATION_BINS; b++) {
      const count = binCount[b]!;
      const meanScore = count ? binScore[b]! / count : null;
      const positiveRate = count ? binPositive[b]! / count : null;
      if (count) ece += (count / n) * Math.abs(meanScore! - positiveRate!);
      out.calibration.push({ lo: EDGES[b]!, hi: EDGES[b + 1]!, count, mean_score: meanScore, positive_rate: positiveRate });
    }
    metrics.ece = ece;
  } else {
    out.notProbabilities = true;
  }

  if (p && q) metrics.roc_auc = mannWhitneyAuc(pos, neg);
  return out;
}

/** P(score of a positive > score of a negative) + ½ P(equal), by sorting both groups and one merge pass. */
function mannWhitneyAuc(pos: Float64Array, neg: Float64Array): number {
  pos.sort();
  neg.sort();
  let below = 0;
  let equal = 0;
  let j = 0;
  let u = 0;
  for (let i = 0; i < pos.length; i++) {
    const s = pos[i]!;
    if (i > 0 && s === pos[i - 1]) {
      u += below + equal / 2;
      continue;
    }
    below += equal;
    equal = 0;
    while (j < neg.length && neg[j]! < s) {
      below++;
      j++;
    }
    while (j < neg.length && neg[j] === s) {
      equal++;
      j++;
    }
    u += below + equal / 2;
  }
  return u / (pos.length * neg.length);
}
