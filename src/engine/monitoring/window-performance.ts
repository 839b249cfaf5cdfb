/** Model performance of one monitor window, from the endpoint's feedback or the data's target and score columns. */
import type { PerformanceReport } from '../../shared/monitoring';
import { messageOf } from '../errors';
import type { OpenProject } from '../project';
import type { MonitorSettings } from './config';
import { dataFiles } from './data-source';
import { performanceReport } from './performance';

/**
 * The window's performance report, or null with the reason in `notes` when it cannot be computed (a data monitor
 * without `target:` and `prediction:`, or data spread over several files). Errors of the inputs become notes too,
 * so a drift verdict is never lost to them.
 */
export async function windowPerformance(project: OpenProject, monitor: MonitorSettings, start: number, end: number, model: string | null, notes: string[]): Promise<PerformanceReport | null> {
  const p = monitor.performance!;
  const common = { projectRoot: project.paths.root, threshold: p.threshold, maxChange: p.maxChange, minLabels: p.minLabels, store: project.store };
  try {
    if (monitor.endpoint) {
      return await performanceReport({ ...common, source: { kind: 'endpoint', endpoint: monitor.endpoint }, model: model ?? undefined, fromMs: start, toMs: end });
    }
    if (!monitor.target || !monitor.prediction) {
      notes.push('performance: needs `target:` (the label column) and `prediction:` (the score column) on a data monitor; it was not computed.');
      return null;
    }
    const files = dataFiles(project.paths.root, monitor.data!);
    if (files.length !== 1) {
      notes.push(`performance: is computed from one data file; ${monitor.data} matches ${files.length}.`);
      return null;
    }
    const windowed = monitor.timestamp ? { fromMs: start, toMs: end } : {};
    return await performanceReport({ ...common, ...windowed, source: { kind: 'file', path: files[0]!, label: monitor.target, score: monitor.prediction, timestamp: monitor.timestamp }, model: model ?? undefined });
  } catch (error) {
    notes.push(`performance: not computed: ${messageOf(error)}`);
    return null;
  }
}
