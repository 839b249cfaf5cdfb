import type { PerformanceReport } from '../../../shared/monitoring';
import { loadProjectConfig } from '../../config';
import { SlipwayError } from '../../errors';
import { ProjectPaths } from '../../project';
import { defaultEndpoint } from '../../serving';
import { Store } from '../../store';
import { modelBaseline, type ModelBaseline } from './baseline';
import { readEndpointPredictions } from './endpoint-source';
import { readLabelledFile } from './file-source';
import { degradedMetrics, performanceWindows, type LabelledScores } from './windows';

export interface PerformanceOptions {
  projectRoot: string;
  source: { kind: 'endpoint'; endpoint: string } | { kind: 'file'; path: string; label: string; score: string; timestamp?: string; prediction?: string };
  /** MODELREF of the baseline; for an endpoint the default is the model and version of its newest logged prediction. */
  model?: string;
  /** Keep predictions with fromMs <= ts < toMs. */
  fromMs?: number;
  toMs?: number;
  /** Split into windows aligned to multiples of windowMs (UTC); omitted: one window. */
  windowMs?: number;
  /** score >= threshold counts as positive (default 0.5). */
  threshold?: number;
  /** Default: the endpoint's `positive_label`, else "1". */
  positiveLabel?: string;
  /** Allowed absolute worsening from the baseline (default 0.05). */
  maxChange?: number;
  /** Labels a window needs before it is judged (default 30). */
  minLabels?: number;
  /** An open store of the project, to read from instead of opening one. */
  store?: Store;
}

function checkNumber(name: string, value: number | undefined, ok: (v: number) => boolean, rule: string): void {
  if (value !== undefined && !(Number.isFinite(value) && ok(value))) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${name} must be ${rule}, got ${value}.`);
}

/**
 * Model performance (concept drift) from labelled predictions: an endpoint's prediction log joined with its feedback,
 * or a labelled file. Per window and overall: accuracy, precision, recall, F1, ROC AUC, log loss, Brier score and
 * calibration, each judged against the metric the model version's run logged. Errors are SlipwayErrors naming the
 * endpoint or file and what to do.
 */
export async function performanceReport(options: PerformanceOptions): Promise<PerformanceReport> {
  const threshold = options.threshold ?? 0.5;
  const maxChange = options.maxChange ?? 0.05;
  const minLabels = options.minLabels ?? 30;
  checkNumber('The threshold', options.threshold, () => true, 'a number');
  checkNumber('The allowed change', options.maxChange, (v) => v >= 0, 'a number ≥ 0');
  checkNumber('The minimum number of labels', options.minLabels, (v) => v >= 0 && Number.isInteger(v), 'an integer ≥ 0');
  checkNumber('The window', options.windowMs, (v) => v > 0, 'a positive number of milliseconds');
  if (options.fromMs !== undefined && options.toMs !== undefined && options.fromMs >= options.toMs) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `The range is empty: from ${new Date(options.fromMs).toISOString()} is not before to ${new Date(options.toMs).toISOString()}.`);
  }
  const source = options.source;
  const needsStore = source.kind === 'endpoint' || options.model !== undefined;
  const store = options.store ?? (needsStore ? Store.open(new ProjectPaths(options.projectRoot).database) : null);
  try {
    let data: LabelledScores;
    let positiveLabel: string;
    const notes: string[] = [];
    let baseline: ModelBaseline = { model: null, version: null, baseline: {}, notes: [] };
    if (source.kind === 'endpoint') {
      const settings = loadProjectConfig(options.projectRoot).settings.serving.endpoints[source.endpoint] ?? defaultEndpoint(source.endpoint);
      positiveLabel = options.positiveLabel ?? String(settings.positiveLabel);
      const read = readEndpointPredictions(store!, settings, positiveLabel, options.fromMs, options.toMs);
      data = read.data;
      notes.push(...read.notes);
      baseline = modelBaseline(store!, options.model ?? `${read.model}:${read.version}`, options.model !== undefined);
    } else {
      positiveLabel = options.positiveLabel ?? '1';
      if (options.windowMs !== undefined && !source.timestamp) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Windows need a timestamp column in ${source.path}; name it with --timestamp.`);
      const read = await readLabelledFile(source, positiveLabel);
      data = read.data;
      notes.push(...read.notes);
      if (!source.timestamp && (options.fromMs !== undefined || options.toMs !== undefined)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `A time range needs a timestamp column in ${source.path}; name it with --timestamp.`);
      if (options.model !== undefined) baseline = modelBaseline(store!, options.model, true);
      else baseline.notes.push('No model given, so there is no baseline to compare with; pass --model MODELREF.');
    }
    const computed = performanceWindows(data, { threshold, windowMs: options.windowMs, fromMs: options.fromMs, toMs: options.toMs });
    for (const window of computed.windows) window.degraded = degradedMetrics(window, baseline.baseline, maxChange, minLabels);
    const overall = computed.windows.length === 1 && options.windowMs === undefined ? computed.windows[0]! : computed.overall;
    if (overall !== computed.windows[0]) overall.degraded = degradedMetrics(overall, baseline.baseline, maxChange, minLabels);
    const unjudged = computed.windows.filter((w) => w.labelled > 0 && w.labelled < minLabels);
    if (unjudged.length) notes.push(`${unjudged.length} window${unjudged.length === 1 ? ' has' : 's have'} fewer than ${minLabels} labels and ${unjudged.length === 1 ? 'is' : 'are'} not judged.`);
    return {
      schema_version: 1,
      generated_at: new Date().toISOString(),
      source: source.kind === 'endpoint' ? { kind: 'endpoint', endpoint: source.endpoint } : { kind: 'file', path: source.path },
      model: baseline.model,
      version: baseline.version,
      positive_label: positiveLabel,
      threshold,
      baseline: baseline.baseline,
      max_change: maxChange,
      min_labels: minLabels,
      windows: computed.windows,
      overall,
      notes: [...baseline.notes, ...notes, ...computed.notes],
    };
  } finally {
    if (store && !options.store) store.close();
  }
}
