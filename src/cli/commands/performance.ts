import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SlipwayError } from '../../engine/errors';
import { parseDuration } from '../../engine/monitoring/duration';
import { performanceReport, type PerformanceOptions } from '../../engine/monitoring/performance';
import { findProjectRoot, requireProject } from '../../engine/project';
import { ExitCode } from '../../shared/cli';
import type { PerformanceMetric, PerformanceReport, PerformanceWindow } from '../../shared/monitoring';
import { ExitWith, action, emit, table, withJson } from '../output';

interface PerformanceFlags {
  endpoint?: string;
  file?: string;
  label?: string;
  score?: string;
  timestamp?: string;
  prediction?: string;
  model?: string;
  window?: string;
  since?: string;
  from?: string;
  to?: string;
  threshold?: string;
  positiveLabel?: string;
  maxChange?: string;
  minLabels?: string;
  outJson?: string;
  json?: boolean;
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${flag} expects a number, got "${value}".`);
  return n;
}

/** An ISO date/time (a date alone is midnight UTC), or for --since a duration back from now (e.g. 7d). */
function instant(flag: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (flag === '--since' && /^\s*\d+\s*[smhdw]\s*$/.test(value)) return now - parseDuration(value, flag);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${flag} expects an ISO date or time such as 2026-12-01 or 2026-12-01T12:00Z${flag === '--since' ? ', or a duration such as 7d' : ''}, got "${value}".`);
  return ms;
}

/** Turns the flags into engine options; usage mistakes (both or neither source, a file without columns) are errors. */
export function performanceOptions(flags: PerformanceFlags, projectRoot: string, now = Date.now()): PerformanceOptions {
  if ((flags.endpoint === undefined) === (flags.file === undefined)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Give either --endpoint NAME (its prediction log and feedback) or --file F --label COL --score COL (a labelled file).');
  }
  if (flags.file !== undefined && (flags.label === undefined || flags.score === undefined)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `--file needs --label COL and --score COL naming the columns of ${flags.file} that hold the true label and the score.`);
  }
  if (flags.since !== undefined && flags.from !== undefined) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Give --since or --from, not both.');
  return {
    projectRoot,
    source: flags.endpoint !== undefined
      ? { kind: 'endpoint', endpoint: flags.endpoint }
      : { kind: 'file', path: resolve(flags.file!), label: flags.label!, score: flags.score!, timestamp: flags.timestamp, prediction: flags.prediction },
    model: flags.model,
    windowMs: flags.window === undefined ? undefined : parseDuration(flags.window, '--window'),
    fromMs: instant('--since', flags.since, now) ?? instant('--from', flags.from, now),
    toMs: instant('--to', flags.to, now),
    threshold: number('--threshold', flags.threshold),
    positiveLabel: flags.positiveLabel,
    maxChange: number('--max-change', flags.maxChange),
    minLabels: number('--min-labels', flags.minLabels),
  };
}

const value = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : x.toFixed(4));

function windowName(w: PerformanceWindow, overall: boolean, whole: boolean): string {
  if (overall) return 'overall';
  if (whole) return 'all';
  const iso = new Date(w.start_ms).toISOString();
  const spanMs = w.end_ms - w.start_ms;
  return spanMs % 86_400_000 === 0 && w.start_ms % 86_400_000 === 0 ? iso.slice(0, 10) : `${iso.slice(0, 16)}Z`;
}

function verdict(w: PerformanceWindow, report: PerformanceReport): string {
  if (w.degraded.length) return `DEGRADED (${w.degraded.join(', ')})`;
  if (!w.labelled) return w.predictions ? 'no labels' : '-';
  if (w.labelled < report.min_labels) return `not judged (< ${report.min_labels} labels)`;
  return Object.keys(report.baseline).length ? 'ok' : 'no baseline';
}

const SHOWN: PerformanceMetric[] = ['accuracy', 'roc_auc', 'precision', 'recall', 'ece'];

/** The human rendering: one row per window, the overall row, the baseline row, notes and a one-line verdict. */
export function performanceSummary(report: PerformanceReport): string {
  const whole = report.windows.length === 1 && report.windows[0]!.start_ms === report.overall.start_ms && report.windows[0]!.end_ms === report.overall.end_ms;
  const row = (w: PerformanceWindow, overall: boolean): string[] => [windowName(w, overall, whole), String(w.predictions), String(w.labelled), ...SHOWN.map((m) => value(w.metrics[m])), verdict(w, report)];
  const rows = report.windows.map((w) => row(w, false));
  if (!whole) rows.push(row(report.overall, true));
  const model = report.model ? `${report.model}:${report.version}` : 'none';
  rows.push([`baseline (${model})`, '', '', ...SHOWN.map((m) => value(report.baseline[m])), `max change ${report.max_change}`]);
  const degraded = report.windows.filter((w) => w.degraded.length);
  const lines = [
    table(['window', 'predictions', 'labelled', 'accuracy', 'auc', 'precision', 'recall', 'ece', 'result'], rows).trimEnd(),
    ...report.notes.map((n) => `note: ${n}`),
    degraded.length
      ? `Performance degraded in ${degraded.length} of ${report.windows.length} window${report.windows.length === 1 ? '' : 's'} (${[...new Set(degraded.flatMap((w) => w.degraded))].join(', ')}).`
      : `No degradation in ${report.windows.length} window${report.windows.length === 1 ? '' : 's'}.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `slipway performance`: model performance from labelled predictions; exits 1 when a judged window degraded. */
export function registerPerformance(program: Command): void {
  withJson(
    program
      .command('performance')
      .description("model performance (concept drift) from labels: an endpoint's prediction log with its feedback, or a labelled file; exit 1 when a window degraded")
      .option('--endpoint <name>', 'endpoint whose logged predictions and feedback labels to measure')
      .option('--file <path>', 'labelled predictions: CSV, TSV or Parquet')
      .option('--label <column>', 'with --file: column holding the true label')
      .option('--score <column>', "with --file: column holding the positive class's score")
      .option('--timestamp <column>', 'with --file: column holding the prediction time (needed for --window and ranges)')
      .option('--prediction <column>', "with --file: column holding the model's predicted label (used instead of --threshold for accuracy, precision, recall, F1)")
      .option('--model <modelref>', "model version whose run's logged metrics are the baseline (default for an endpoint: the version that served it last)")
      .option('--window <duration>', 'split into windows of this length, aligned to UTC (e.g. 30m, 12h, 1d, 7d, 1w)')
      .option('--since <when>', 'only predictions from this ISO time on, or this long ago (e.g. 7d)')
      .option('--from <iso>', 'only predictions at or after this ISO time')
      .option('--to <iso>', 'only predictions before this ISO time')
      .option('--threshold <n>', 'score at or above which a prediction is positive', '0.5')
      .option('--positive-label <label>', "label of the positive class (default: the endpoint's positive_label, else 1)")
      .option('--max-change <n>', 'allowed absolute worsening from the baseline', '0.05')
      .option('--min-labels <n>', 'labels a window needs to be judged', '30')
      .option('--out-json <file>', 'write the JSON report (docs/monitoring.md) to this file'),
  ).action(
    action(async (flags: PerformanceFlags) => {
      // A labelled file without --model needs no project; everything else reads the project's store.
      const cwd = process.cwd();
      const root = flags.endpoint !== undefined || flags.model !== undefined ? requireProject(cwd).root : (findProjectRoot(cwd) ?? cwd);
      const report = await performanceReport(performanceOptions(flags, root));
      if (flags.outJson) await writeFile(flags.outJson, `${JSON.stringify(report, null, 2)}\n`);
      emit(flags.json === true, report, performanceSummary);
      if (report.windows.some((w) => w.degraded.length)) throw new ExitWith(ExitCode.negative);
    }),
  );
}
