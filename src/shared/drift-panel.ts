/**
 * Messages between the extension host and the Drift Report webview. Both directions are discriminated unions on
 * `type`. The webview posts `ready` once its script runs; the host answers with `init` and posts nothing before that.
 * Data is fetched by request: each request carries a `requestId` that its answer (`reportLoaded`, `historyLoaded` or
 * `requestFailed`) repeats. The host shapes the report (shares per bin, at most DETAIL_BINS bins per column) so the
 * webview only draws: its work grows with the number of columns and bins, never with the rows behind them.
 */
import type { MonitorHistoryPoint, MonitorStatus, PerformanceMetric } from './monitoring';
import type { DriftColumnRole, DriftColumnType, DriftScoreKind, DriftTestName } from './drift';

/** Where a panel's report comes from: a stored monitor report (by id) or a `slipway drift --out-json` file. */
export type DriftPanelSource = { kind: 'monitor'; reportId: string } | { kind: 'file'; path: string };

/** Tests whose score is a p-value (drift when it falls below the threshold); the others score a distance. */
export const P_VALUE_TESTS: readonly DriftTestName[] = ['ks', 'chisquare', 'z'];

/** Bins sent per column; finer histograms are merged (adjacent numerical bins, or the rarest categories). */
export const DETAIL_BINS = 60;

/** Message types the webview sends to the host. */
export enum DriftPanelRequest {
  /** The script has loaded and listens; the host may post now. */
  Ready = 'ready',
  /** Load the report (answered by `reportLoaded` or `requestFailed` with the same requestId). */
  LoadReport = 'loadReport',
  /** A column's drift score over time (answered by `historyLoaded` or `requestFailed`). */
  LoadHistory = 'loadHistory',
  /** The monitor's performance metrics over time (answered by `performanceLoaded` or `requestFailed`). */
  LoadPerformance = 'loadPerformance',
}

/** Message types the host sends to the webview. */
export enum DriftPanelUpdate {
  /** Answer to `ready`: which report this panel shows. */
  Init = 'init',
  ReportLoaded = 'reportLoaded',
  HistoryLoaded = 'historyLoaded',
  PerformanceLoaded = 'performanceLoaded',
  RequestFailed = 'requestFailed',
  /** The monitor stored a new report: its history may have grown. */
  MonitorChanged = 'monitorChanged',
  /** The engine went away or came back; the panel keeps its data and says so. */
  EngineState = 'engineState',
}

export type MessageFromDriftPanel =
  | { type: DriftPanelRequest.Ready }
  | { type: DriftPanelRequest.LoadReport; requestId: number; source: DriftPanelSource }
  | { type: DriftPanelRequest.LoadHistory; requestId: number; monitor: string; column: string }
  | { type: DriftPanelRequest.LoadPerformance; requestId: number; monitor: string };

export type MessageToDriftPanel =
  | { type: DriftPanelUpdate.Init; source: DriftPanelSource; engineConnected: boolean }
  | { type: DriftPanelUpdate.ReportLoaded; requestId: number; report: PanelReport }
  | { type: DriftPanelUpdate.HistoryLoaded; requestId: number; column: string; history: PanelHistory | null }
  | { type: DriftPanelUpdate.PerformanceLoaded; requestId: number; monitor: string; metrics: PanelMetricHistory[] }
  | { type: DriftPanelUpdate.RequestFailed; requestId: number; message: string }
  | { type: DriftPanelUpdate.MonitorChanged; monitor: string }
  | { type: DriftPanelUpdate.EngineState; connected: boolean };

/** State the webview persists with `setState`, handed back to the panel serializer after a reload. */
export interface DriftPanelState {
  source: DriftPanelSource;
  /** The column whose detail is open. */
  column: string | null;
  /** Whether "Performance over time" is collapsed (absent: open). */
  performanceCollapsed?: boolean;
}

/** One side of a column, without its histogram. */
export interface PanelSide {
  rows: number;
  missing: number;
  distinct: number;
}

/** A column's distribution on shared bins, as shares of each side's counted values (each side sums to 1, or 0 when empty). */
export interface PanelHistogram {
  /** One label per bin: a category, or "lo – hi" for a numerical bin. */
  labels: string[];
  /** Numerical bin edges (labels.length + 1) when the column is numerical. */
  edges: number[] | null;
  reference: number[];
  current: number[];
}

export interface PanelColumn {
  column: string;
  role: DriftColumnRole;
  type: DriftColumnType;
  test: DriftTestName;
  testLabel: string;
  scoreKind: DriftScoreKind;
  score: number | null;
  threshold: number;
  drifted: boolean;
  reference: PanelSide;
  current: PanelSide;
  histogram: PanelHistogram;
  notes: string[];
}

/** A performance metric of the report's window next to the value the model's run logged. */
export interface PanelMetric {
  metric: PerformanceMetric;
  value: number | null;
  baseline: number | null;
  /** value − baseline, when both are known. */
  change: number | null;
  lowerIsBetter: boolean;
  degraded: boolean;
}

/** Everything the Drift Report panel displays, shaped by the host from a monitor report or a drift JSON file. */
export interface PanelReport {
  source: DriftPanelSource;
  /** Panel title, e.g. "credit-live · Dec 4" or the file name. */
  title: string;
  monitor: string | null;
  status: MonitorStatus | null;
  window: { startMs: number; endMs: number } | null;
  /** "Drift detected in 7 of 12 columns", or why there is no drift part. */
  summary: string;
  datasetDrift: boolean | null;
  /** Sentences under the summary: the dataset verdict with its share, prediction and target drift. */
  verdicts: string[];
  reference: string;
  current: string;
  generatedAt: string | null;
  columns: PanelColumn[];
  skipped: string[];
  notes: string[];
  performance: { metrics: PanelMetric[]; predictions: number; labelled: number; maxChange: number } | null;
  error: string | null;
}

/** A column's drift score over the monitor's windows, oldest first. */
export interface PanelHistory {
  monitor: string;
  column: string;
  test: string;
  /** p-value tests are drawn on a log10 axis, distances on a linear one. */
  scoreKind: DriftScoreKind;
  threshold: number;
  points: MonitorHistoryPoint[];
}

/**
 * One metric's value over the monitor's windows, oldest first; `flagged` points degraded. Only metrics with at least
 * one value are sent. The baseline and allowed change come from the report the panel shows.
 */
export interface PanelMetricHistory {
  metric: PerformanceMetric;
  lowerIsBetter: boolean;
  points: MonitorHistoryPoint[];
}
