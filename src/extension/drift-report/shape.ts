import { DETAIL_BINS } from '../../shared/drift-panel';
import type { DriftPanelSource, PanelColumn, PanelHistogram, PanelMetric, PanelReport } from '../../shared/drift-panel';
import type { DriftColumnResult, DriftHistogram, DriftReport } from '../../shared/drift';
import { LOWER_IS_BETTER, PERFORMANCE_METRICS } from '../../shared/monitoring';
import type { MonitorReport, PerformanceReport } from '../../shared/monitoring';

/** A number in a few significant digits, as reports print it. */
export function formatNumber(x: number | null): string {
  if (x === null) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const shares = (counts: readonly number[]) => {
  const total = sum(counts);
  return counts.map((c) => (total ? c / total : 0));
};

/**
 * The column's two histograms as shares on at most `maxBins` bins. Numerical bins are merged in runs of adjacent
 * bins (edges kept); categories beyond the first maxBins − 1 by combined count are merged into one "other" bin.
 */
export function shapeHistogram(ref: DriftHistogram, cur: DriftHistogram, maxBins = DETAIL_BINS): PanelHistogram {
  const n = Math.min(ref.counts.length, cur.counts.length);
  if (ref.categories) {
    const order = [...Array(n).keys()].sort((a, b) => (ref.counts[b]! + cur.counts[b]!) - (ref.counts[a]! + cur.counts[a]!) || a - b);
    const kept = n > maxBins ? order.slice(0, maxBins - 1).sort((a, b) => a - b) : [...Array(n).keys()];
    const rest = n > maxBins ? order.slice(maxBins - 1) : [];
    const pick = (counts: readonly number[]) => [...kept.map((i) => counts[i]!), ...(rest.length ? [sum(rest.map((i) => counts[i]!))] : [])];
    return {
      labels: [...kept.map((i) => ref.categories![i] ?? String(i)), ...(rest.length ? [`${rest.length} other categories`] : [])],
      edges: null,
      reference: shares(pick(ref.counts)),
      current: shares(pick(cur.counts)),
    };
  }
  const step = Math.max(1, Math.ceil(n / maxBins));
  const merge = (counts: readonly number[]) => {
    const out: number[] = [];
    for (let i = 0; i < n; i += step) out.push(sum(counts.slice(i, Math.min(i + step, n))));
    return out;
  };
  const edges = ref.edges ? [...Array(Math.ceil(n / step)).keys()].map((k) => ref.edges![k * step]!).concat([ref.edges[n] ?? ref.edges.at(-1)!]) : null;
  const labels = edges ? edges.slice(0, -1).map((lo, k) => `${formatNumber(lo)} – ${formatNumber(edges[k + 1]!)}`) : merge(ref.counts).map((_, k) => `bin ${k + 1}`);
  return { labels, edges, reference: shares(merge(ref.counts)), current: shares(merge(cur.counts)) };
}

function column(c: DriftColumnResult): PanelColumn {
  return {
    column: c.column,
    role: c.role,
    type: c.type,
    test: c.test,
    testLabel: c.test_label,
    scoreKind: c.score_kind,
    score: c.score,
    threshold: c.threshold,
    drifted: c.drifted,
    reference: { rows: c.reference.rows, missing: c.reference.missing, distinct: c.reference.distinct },
    current: { rows: c.current.rows, missing: c.current.missing, distinct: c.current.distinct },
    histogram: shapeHistogram(c.reference.histogram, c.current.histogram),
    notes: c.notes,
  };
}

/** "Drift detected in 7 of 12 columns" (features only, as the dataset verdict counts them). */
export function driftSentence(report: Pick<DriftReport, 'number_of_columns' | 'number_of_drifted_columns'>): string {
  const { number_of_drifted_columns: drifted, number_of_columns: total } = report;
  if (total === 0) return 'No columns could be compared';
  return drifted === 0 ? `No drift in ${total} column${total === 1 ? '' : 's'}` : `Drift detected in ${drifted} of ${total} column${total === 1 ? '' : 's'}`;
}

function verdicts(report: DriftReport): string[] {
  const share = `${formatNumber(report.share_of_drifted_columns * 100)}% of the feature columns drifted; the dataset drifts at ${formatNumber(report.drift_share * 100)}%`;
  return [
    `${report.dataset_drift ? 'Dataset drift detected' : 'No dataset drift'}: ${share}.`,
    ...(report.prediction_drift === null ? [] : [`Prediction drift: ${report.prediction_drift ? 'yes' : 'no'}.`]),
    ...(report.target_drift === null ? [] : [`Target drift: ${report.target_drift ? 'yes' : 'no'}.`]),
  ];
}

function performance(p: PerformanceReport): NonNullable<PanelReport['performance']> {
  const metrics: PanelMetric[] = PERFORMANCE_METRICS.filter((m) => p.overall.metrics[m] !== null || p.baseline[m] !== undefined).map((metric) => {
    const value = p.overall.metrics[metric];
    const baseline = p.baseline[metric] ?? null;
    return {
      metric,
      value,
      baseline,
      change: value !== null && baseline !== null ? value - baseline : null,
      lowerIsBetter: LOWER_IS_BETTER.includes(metric),
      degraded: p.overall.degraded.includes(metric) || p.windows.some((w) => w.degraded.includes(metric)),
    };
  });
  return { metrics, predictions: p.overall.predictions, labelled: p.overall.labelled, maxChange: p.max_change };
}

function fromDrift(source: DriftPanelSource, title: string, drift: DriftReport | null): PanelReport {
  return {
    source,
    title,
    monitor: null,
    status: null,
    window: null,
    summary: drift ? driftSentence(drift) : 'This report has no drift part',
    datasetDrift: drift?.dataset_drift ?? null,
    verdicts: drift ? verdicts(drift) : [],
    reference: drift ? `${drift.reference.path} (${drift.reference.rows} rows)` : '—',
    current: drift ? `${drift.current.path} (${drift.current.rows} rows)` : '—',
    generatedAt: drift?.generated_at ?? null,
    columns: drift ? drift.columns.map(column) : [],
    skipped: drift ? drift.skipped.map((s) => s.message) : [],
    notes: drift ? drift.notes : [],
    performance: null,
    error: null,
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** The panel's view of a stored monitor report. */
export function shapeMonitorReport(report: MonitorReport): PanelReport {
  const base = fromDrift({ kind: 'monitor', reportId: report.id }, `${report.monitor} · ${day(report.window_start_ms)}`, report.drift);
  const perf = report.performance ? performance(report.performance) : null;
  const degraded = report.degraded.length ? [`Degraded: ${report.degraded.join(', ')} (beyond ${formatNumber(report.performance?.max_change ?? null)} from the baseline).`] : [];
  return {
    ...base,
    monitor: report.monitor,
    status: report.status,
    window: { startMs: report.window_start_ms, endMs: report.window_end_ms },
    summary: report.drift ? base.summary : report.summary || base.summary,
    verdicts: [...base.verdicts, ...degraded],
    reference: report.drift ? base.reference : report.reference.path,
    generatedAt: base.generatedAt ?? new Date(report.created_ms).toISOString(),
    notes: [...base.notes, ...(report.notes ?? [])],
    performance: perf,
    error: report.error,
  };
}

/** The panel's view of a drift JSON file; throws naming the file when it is not one. */
export function shapeDriftFile(path: string, name: string, text: string): PanelReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not JSON (${(error as Error).message}). Choose a file written by \`slipway drift --out-json FILE\`.`);
  }
  const report = parsed as Partial<DriftReport> | null;
  if (!report || typeof report !== 'object' || report.schema_version !== 1 || !Array.isArray(report.columns) || typeof report.number_of_columns !== 'number') {
    throw new Error(`${path} is not a Slipway drift report (schema_version 1 with "columns"). Choose a file written by \`slipway drift --out-json FILE\`.`);
  }
  return fromDrift({ kind: 'file', path }, name, report as DriftReport);
}
