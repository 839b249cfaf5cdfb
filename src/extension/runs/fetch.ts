import type { Experiment, Run, SearchExperimentsResponse, SearchRunsRequest, SearchRunsResponse } from '../../shared/mlflow';
import type { EngineHttp } from '../connection/http';

const MLFLOW = '/api/2.0/mlflow';

/** Every active experiment, following page tokens. */
export async function fetchExperiments(http: EngineHttp): Promise<Experiment[]> {
  const all: Experiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = await http.get<SearchExperimentsResponse>(`${MLFLOW}/experiments/search`, { max_results: 1000, view_type: 'ACTIVE_ONLY', page_token: pageToken });
    all.push(...(page.experiments ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken);
  return all;
}

/** The newest `limit` runs across the given experiments (MLflow orders searches by start time, newest first). */
export async function fetchRuns(http: EngineHttp, experimentIds: string[], limit: number): Promise<Run[]> {
  if (!experimentIds.length) return [];
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const body: SearchRunsRequest = { experiment_ids: experimentIds, max_results: Math.min(limit - runs.length, 1000), run_view_type: 'ACTIVE_ONLY', page_token: pageToken };
    const page = await http.post<SearchRunsResponse>(`${MLFLOW}/runs/search`, body);
    runs.push(...(page.runs ?? []));
    pageToken = page.next_page_token || undefined;
  } while (pageToken && runs.length < limit);
  return runs;
}
