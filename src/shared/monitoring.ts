/**
 * Monitoring contracts: model performance from labels, monitors declared in slipway.yaml, their stored reports, and
 * alerts. Shared by the engine (which computes and stores them), the CLI (`--json` outputs), the daemon's routes and
 * the extension's Monitoring tree and report panel. Field names of stored/exported documents are snake_case like the
 * drift report (docs/monitoring.md documents them); route envelopes are camelCase like the other Slipway routes.
 */
import type { DriftReport } from './drift';

/** Classification metrics computed from labelled predictions. */
export type PerformanceMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'log_loss' | 'brier' | 'ece';

export const PERFORMANCE_METRICS: readonly PerformanceMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss', 'brier', 'ece'];

/** Metrics where lower is better; for the others higher is better. */
export const LOWER_IS_BETTER: readonly PerformanceMetric[] = ['log_loss', 'brier', 'ece'];

/** One bin of a reliability (calibration) diagram: predictions whose score falls in [lo, hi). */
export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted score of the bin; null when empty. */
  mean_score: number | null;
  /** Observed share of positives in the bin; null when empty. */
  positive_rate: number | null;
}

/** Performance of one time window (or of the whole input when there are no windows). */
export interface PerformanceWindow {
  /** Window bounds in epoch ms, [start, end). */
  start_ms: number;
  end_ms: number;
  /** Predictions in the window, and how many of them have a label. */
  predictions: number;
  labelled: number;
  positives: number;
  /** Each metric's value; null when it cannot be computed (no labels, one class only for roc_auc, no scores). */
  metrics: Record<PerformanceMetric, number | null>;
  calibration: CalibrationBin[];
  /** Metrics that fell beyond the allowed change from the baseline (see PerformanceReport.max_change). */
  degraded: PerformanceMetric[];
}

export interface PerformanceReport {
  schema_version: 1;
  generated_at: string;
  /** Where predictions and labels came from. */
  source: { kind: 'endpoint'; endpoint: string } | { kind: 'file'; path: string };
  /** The model version whose run supplied the baseline, when known. */
  model: string | null;
  version: string | null;
  positive_label: string;
  /** Score threshold at which a prediction counts as positive (default 0.5). */
  threshold: number;
  /** Values the model's training run logged, by metric (MLflow metric names mapped onto ours, e.g. auc → roc_auc). */
  baseline: Partial<Record<PerformanceMetric, number>>;
  /** Allowed worsening from the baseline, absolute (e.g. 0.05), before a metric counts as degraded. */
  max_change: number;
  /** Windows need at least this many labels to be judged (fewer: metrics shown, nothing degraded). */
  min_labels: number;
  windows: PerformanceWindow[];
  /** The whole range at once. */
  overall: PerformanceWindow;
  notes: string[];
}

/** Verdict of one monitor window. `insufficient`: too little data to judge (too few rows or labels). */
export type MonitorStatus = 'ok' | 'drift' | 'degraded' | 'drift_and_degraded' | 'insufficient' | 'error';

/** What a monitor watches. */
export type MonitorSource = { kind: 'endpoint'; endpoint: string } | { kind: 'data'; path: string };

/** Stored result of evaluating one monitor window. */
export interface MonitorReportSummary {
  id: string;
  monitor: string;
  window_start_ms: number;
  window_end_ms: number;
  created_ms: number;
  status: MonitorStatus;
  /** Rows compared in the window (current side). */
  rows: number;
  dataset_drift: boolean | null;
  number_of_columns: number;
  number_of_drifted_columns: number;
  /** Metrics degraded in the window (empty when no performance was computed). */
  degraded: PerformanceMetric[];
  /** One sentence, e.g. "Drift detected in 7 of 12 columns". */
  summary: string;
}

/** `GET /api/slipway/v1/monitor-reports/{id}`: the whole stored report. */
export interface MonitorReport extends MonitorReportSummary {
  reference: { path: string; rev: string | null; md5: string | null };
  drift: DriftReport | null;
  performance: PerformanceReport | null;
  error: string | null;
  /** Notes about the evaluation (e.g. performance not computed, windows left out). */
  notes?: string[];
}

export interface MonitorInfo {
  name: string;
  source: MonitorSource;
  /** The model it judges (MODELREF), when configured or known from the endpoint. */
  model: string | null;
  /** Window length in ms, and the declared text (e.g. "1d"). */
  window_ms: number;
  window: string;
  /** The newest stored report, if any. */
  latest: MonitorReportSummary | null;
  /** End of the next window that is not yet evaluated (due when it is in the past). */
  next_due_ms: number;
  /** Alerts of this monitor that are not acknowledged. */
  open_alerts: number;
}

/** What an alert did when it fired. `skipped`: not run (untrusted workspace, or no action configured). */
export interface AlertAction {
  kind: 'command' | 'webhook';
  target: string;
  status: 'ok' | 'failed' | 'skipped';
  detail: string;
}

export interface AlertRecord {
  id: string;
  /** Name under `alerts:` in slipway.yaml. */
  rule: string;
  monitor: string;
  report_id: string;
  created_ms: number;
  status: MonitorStatus;
  message: string;
  actions: AlertAction[];
  acknowledged_ms: number | null;
}

/** One point of a column's (or metric's) value over time. */
export interface MonitorHistoryPoint {
  window_start_ms: number;
  window_end_ms: number;
  report_id: string;
  value: number | null;
  /** For drift: whether the column drifted; for metrics: whether it degraded. */
  flagged: boolean;
}

/** `GET /api/slipway/v1/monitors/{name}/history`: drift score per column and metric value per metric, over time. */
export interface MonitorHistoryResponse {
  monitor: string;
  columns: Record<string, { test: string; threshold: number; points: MonitorHistoryPoint[] }>;
  metrics: Partial<Record<PerformanceMetric, MonitorHistoryPoint[]>>;
}

export interface MonitorsResponse {
  monitors: MonitorInfo[];
}

export interface MonitorReportsResponse {
  reports: MonitorReportSummary[];
}

export interface AlertsResponse {
  alerts: AlertRecord[];
}

/** `slipway monitor run --json`. */
export interface MonitorRunOutput {
  reports: MonitorReportSummary[];
  alerts: AlertRecord[];
  /** True when any evaluated window drifted or degraded (the command then exits 1). */
  negative: boolean;
}

/**
 * Read routes (no token); `alertAck` is a POST and needs the bearer token. Change events: topic `monitors` with key
 * `<monitor name>` when a report is stored and `alert:<id>` when an alert is raised or acknowledged.
 */
export const MONITOR_ROUTES = {
  monitors: '/api/slipway/v1/monitors',
  /** `${monitors}/{name}/reports?limit=50` (newest first) */
  reports: (name: string) => `/api/slipway/v1/monitors/${encodeURIComponent(name)}/reports`,
  /** `${monitors}/{name}/history?limit=90` */
  history: (name: string) => `/api/slipway/v1/monitors/${encodeURIComponent(name)}/history`,
  report: (id: string) => `/api/slipway/v1/monitor-reports/${encodeURIComponent(id)}`,
  /** `?open=1&limit=100` (newest first) */
  alerts: '/api/slipway/v1/alerts',
  alertAck: (id: string) => `/api/slipway/v1/alerts/${encodeURIComponent(id)}/ack`,
} as const;

/** `slipway monitor show NAME --json`: the monitor's newest reports and one whole report (the newest, or --report). */
export interface MonitorShowOutput {
  monitor: string;
  reports: MonitorReportSummary[];
  /** null when the monitor has no report yet. */
  report: MonitorReport | null;
}
