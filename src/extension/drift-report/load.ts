import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { P_VALUE_TESTS } from '../../shared/drift-panel';
import type { DriftPanelSource, PanelHistory, PanelMetricHistory, PanelReport } from '../../shared/drift-panel';
import type { DriftTestName } from '../../shared/drift';
import { LOWER_IS_BETTER, PERFORMANCE_METRICS } from '../../shared/monitoring';
import type { EngineHttp } from '../connection/http';
import { fetchHistory, fetchReport } from '../monitoring/fetch';
import { shapeDriftFile, shapeMonitorReport } from './shape';

/** The report a panel shows: a stored monitor report through the engine, or a drift JSON file from disk. */
export async function loadPanelReport(source: DriftPanelSource, http: EngineHttp | undefined): Promise<PanelReport> {
  if (source.kind === 'file') {
    let text: string;
    try {
      text = await readFile(source.path, 'utf8');
    } catch (error) {
      throw new Error(`Could not read ${source.path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message}.`);
    }
    return shapeDriftFile(source.path, basename(source.path), text);
  }
  if (!http) throw new Error('The Slipway engine is not running; the panel loads the report when it is back.');
  return shapeMonitorReport(await fetchReport(http, source.reportId));
}

/** One column's drift score over the monitor's windows, oldest first; null when the history has no such column. */
export async function loadColumnHistory(http: EngineHttp, monitor: string, column: string): Promise<PanelHistory | null> {
  const history = await fetchHistory(http, monitor);
  const entry = history.columns[column];
  if (!entry) return null;
  const points = [...entry.points].sort((a, b) => a.window_start_ms - b.window_start_ms);
  const scoreKind = P_VALUE_TESTS.includes(entry.test as DriftTestName) ? 'p_value' : 'distance';
  return { monitor, column, test: entry.test, scoreKind, threshold: entry.threshold, points };
}

/** The monitor's metrics over its windows, oldest first, in the usual metric order; metrics without any value are left out. */
export async function loadMetricHistory(http: EngineHttp, monitor: string): Promise<PanelMetricHistory[]> {
  const history = await fetchHistory(http, monitor);
  return PERFORMANCE_METRICS.flatMap((metric) => {
    const points = history.metrics[metric] ?? [];
    if (!points.some((p) => p.value !== null)) return [];
    return [{ metric, lowerIsBetter: LOWER_IS_BETTER.includes(metric), points: [...points].sort((a, b) => a.window_start_ms - b.window_start_ms) }];
  });
}
