import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DriftPanelSource, PanelHistory, PanelReport } from '../../shared/drift-panel';
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
  return { monitor, column, test: entry.test, threshold: entry.threshold, points };
}
