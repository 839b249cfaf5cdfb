/** Evaluates a monitor's due windows: current data of each window against the reference, one stored report each. */
import type { DriftReport } from '../../shared/drift';
import type { MonitorReport, MonitorStatus, PerformanceReport } from '../../shared/monitoring';
import { compareTablesParallel } from '../drift/compare';
import type { CompareOptions } from '../drift/compare';
import { messageOf } from '../errors';
import type { OpenProject } from '../project';
import { defaultEndpoint } from '../serving/config';
import { newPredictionId } from '../serving/ids';
import type { ColumnKind, Table } from '../tables/types';
import type { MonitorSettings } from './config';
import { dataFiles, readDataFiles, rowsInWindow, takeRows } from './data-source';
import { readPredictionWindow } from './prediction-table';
import { hasReport, evaluatedUntil, insertReport } from './records';
import { readReference, resolveReference, type ResolvedReference } from './reference';
import { dueWindows, windowStart } from './window';
import { windowPerformance } from './window-performance';

export interface EvaluateOptions {
  /** Clock (epoch ms); default now. */
  now?: number;
  /** Evaluate every window from this time on (backfill). */
  since?: number;
  /** Evaluate windows that already have a report again (a new report is stored). */
  force?: boolean;
}

/** The model a monitor judges: its own `model:`, else its endpoint's. */
export function monitorModel(project: OpenProject, monitor: MonitorSettings): string | null {
  if (monitor.model) return monitor.model;
  if (monitor.endpoint) return project.config.settings.serving.endpoints[monitor.endpoint]?.model ?? (/[@:]/.test(monitor.endpoint) ? monitor.endpoint : null);
  return null;
}

/** Names a monitor uses for the prediction and target columns. */
function roles(monitor: MonitorSettings): { prediction?: string; target?: string } {
  if (monitor.endpoint) return { prediction: monitor.prediction ?? 'score', target: monitor.target ?? 'label' };
  return { prediction: monitor.prediction, target: monitor.target };
}

interface Context {
  reference: Table;
  ref: ResolvedReference;
  /** Data monitors: the whole current data (cut per window when there is a timestamp). */
  data: Table | null;
}

async function prepare(project: OpenProject, monitor: MonitorSettings): Promise<Context> {
  const ref = await resolveReference(project, monitor.reference, monitorModel(project, monitor), monitor.name);
  const reference = await readReference(ref, {});
  let data: Table | null = null;
  if (monitor.data) {
    const kinds: Record<string, ColumnKind> = Object.fromEntries(reference.columns.filter((c) => c.name !== monitor.timestamp).map((c) => [c.name, c.kind]));
    data = await readDataFiles(dataFiles(project.paths.root, monitor.data), { kinds });
    if (monitor.timestamp && !data.columns.some((c) => c.name === monitor.timestamp)) {
      throw new Error(`Monitor "${monitor.name}": the data has no timestamp column "${monitor.timestamp}". Its columns are: ${data.columns.map((c) => c.name).join(', ')}.`);
    }
  }
  return { reference, ref, data };
}

function currentTable(project: OpenProject, monitor: MonitorSettings, ctx: Context, start: number, end: number): Table {
  if (ctx.data) {
    if (!monitor.timestamp) return ctx.data;
    const ts = ctx.data.columns.find((c) => c.name === monitor.timestamp)!;
    return takeRows(ctx.data, rowsInWindow(ts, start, end), `${ctx.data.path}[${new Date(start).toISOString()}, ${new Date(end).toISOString()})`);
  }
  const endpoint = monitor.endpoint!;
  const settings = project.config.settings.serving.endpoints[endpoint] ?? defaultEndpoint(endpoint);
  const { prediction, target } = roles(monitor);
  return readPredictionWindow(project.store, {
    endpoint, startMs: start, endMs: end, settings, scoreColumn: prediction, labelColumn: target,
    kinds: Object.fromEntries(ctx.reference.columns.map((c) => [c.name, c.kind])),
  });
}

/** Columns compared by default: the reference's and the current features, without timestamp, prediction, target and outputs. */
function defaultColumns(project: OpenProject, monitor: MonitorSettings, reference: Table, current: Table): string[] {
  const { prediction, target } = roles(monitor);
  const skip = new Set([monitor.timestamp, prediction, target].filter((x): x is string => !!x));
  if (monitor.endpoint) {
    const rules = project.config.settings.serving.endpoints[monitor.endpoint]?.postprocess ?? [];
    for (const r of rules) skip.add(r.field);
  }
  const names = [...reference.columns.map((c) => c.name), ...current.columns.map((c) => c.name)];
  return [...new Set(names)].filter((n) => !skip.has(n) && !n.startsWith('output.'));
}

function compareOptions(project: OpenProject, monitor: MonitorSettings, reference: Table, current: Table): CompareOptions {
  const { prediction, target } = roles(monitor);
  const has = (n: string | undefined) => n !== undefined && (reference.columns.some((c) => c.name === n) || current.columns.some((c) => c.name === n));
  return {
    columns: monitor.columns ?? defaultColumns(project, monitor, reference, current),
    prediction: prediction && has(prediction) ? [prediction] : undefined,
    target: target && has(target) ? target : undefined,
    driftShare: monitor.driftShare,
    perColumn: monitor.tests,
  };
}

function statusOf(drift: DriftReport | null, performance: PerformanceReport | null, rows: number, minRows: number): MonitorStatus {
  if (rows < minRows || rows === 0) return 'insufficient';
  const drifted = drift?.dataset_drift === true;
  const degraded = (performance?.overall.degraded.length ?? 0) > 0;
  return drifted && degraded ? 'drift_and_degraded' : drifted ? 'drift' : degraded ? 'degraded' : 'ok';
}

function sentence(status: MonitorStatus, drift: DriftReport | null, performance: PerformanceReport | null, rows: number, minRows: number, error: string | null): string {
  if (status === 'error') return `Evaluation failed: ${error ?? 'unknown error'}`;
  if (rows === 0) return 'No rows in the window.';
  const parts: string[] = [];
  if (rows < minRows) parts.push(`Only ${rows} rows (min_rows ${minRows}): not judged.`);
  if (drift) parts.push(drift.number_of_drifted_columns > 0 ? `Drift detected in ${drift.number_of_drifted_columns} of ${drift.number_of_columns} columns.` : `No drift in ${drift.number_of_columns} columns.`);
  const degraded = performance?.overall.degraded ?? [];
  if (degraded.length) parts.push(`Degraded: ${degraded.join(', ')}.`);
  return parts.join(' ');
}

function makeReport(monitor: MonitorSettings, start: number, end: number, ref: ResolvedReference | null, body: { rows: number; drift: DriftReport | null; performance: PerformanceReport | null; error: string | null; notes: string[] }): MonitorReport {
  const status: MonitorStatus = body.error !== null ? 'error' : statusOf(body.drift, body.performance, body.rows, monitor.minRows);
  const created = Date.now();
  return {
    id: newPredictionId(created), monitor: monitor.name, window_start_ms: start, window_end_ms: end, created_ms: created, status, rows: body.rows,
    dataset_drift: body.drift ? body.drift.dataset_drift : null,
    number_of_columns: body.drift?.number_of_columns ?? 0, number_of_drifted_columns: body.drift?.number_of_drifted_columns ?? 0,
    degraded: body.performance?.overall.degraded ?? [],
    summary: sentence(status, body.drift, body.performance, body.rows, monitor.minRows, body.error),
    reference: ref ? { path: ref.path, rev: ref.rev, md5: ref.md5 } : { path: monitor.reference?.path ?? '', rev: monitor.reference?.rev ?? null, md5: null },
    drift: body.drift, performance: body.performance, error: body.error, notes: body.notes,
  };
}

/** The windows a run evaluates: due ones (minus those already stored unless forced). */
export function windowsToEvaluate(project: OpenProject, monitor: MonitorSettings, options: EvaluateOptions): { windows: { start: number; end: number }[]; skipped: number } {
  const now = options.now ?? Date.now();
  const until = evaluatedUntil(project.store, monitor.name);
  const due = dueWindows(monitor.windowMs, now, options.since !== undefined ? null : until, options.since);
  if (options.force && options.since === undefined && until !== null && due.windows.length === 0) {
    const end = windowStart(now, monitor.windowMs);
    due.windows.push({ start: end - monitor.windowMs, end });
  }
  const windows = options.force ? due.windows : due.windows.filter((w) => !hasReport(project.store, monitor.name, w.start, w.end));
  return { windows, skipped: due.skipped };
}

/**
 * Evaluates and stores every window of `monitor` that is due. A failure (missing reference, unreadable data) is
 * stored as a report with status `error` for each due window, so it shows where the reports do; it never throws for
 * a problem of the monitor's own inputs.
 */
export async function evaluateMonitor(project: OpenProject, monitor: MonitorSettings, options: EvaluateOptions = {}): Promise<MonitorReport[]> {
  const { windows, skipped } = windowsToEvaluate(project, monitor, options);
  if (!windows.length) return [];
  const notes = skipped ? [`${skipped} older due windows were not evaluated (at most ${windows.length} per run; use --since to backfill).`] : [];
  let ctx: Context | null = null;
  let setupError: string | null = null;
  try {
    ctx = await prepare(project, monitor);
  } catch (error) {
    setupError = messageOf(error);
  }
  const reports: MonitorReport[] = [];
  for (const { start, end } of windows) {
    let report: MonitorReport;
    if (!ctx) {
      report = makeReport(monitor, start, end, null, { rows: 0, drift: null, performance: null, error: setupError, notes });
    } else {
      try {
        const current = currentTable(project, monitor, ctx, start, end);
        const drift = current.rowCount > 0 ? await compareTablesParallel(ctx.reference, current, compareOptions(project, monitor, ctx.reference, current)) : null;
        const own = [...notes];
        let performance: PerformanceReport | null = null;
        if (monitor.performance) performance = await windowPerformance(project, monitor, start, end, monitorModel(project, monitor), own);
        report = makeReport(monitor, start, end, ctx.ref, { rows: current.rowCount, drift, performance, error: null, notes: own });
      } catch (error) {
        report = makeReport(monitor, start, end, ctx.ref, { rows: 0, drift: null, performance: null, error: messageOf(error), notes });
      }
    }
    if (insertReport(project.store, report, options.force === true)) reports.push(report);
  }
  return reports;
}
