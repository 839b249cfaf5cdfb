import type { DataStatusEntry } from '../../shared/cli';
import { DATA_ROUTES, type DataStatusResponse, type GitCommitsResponse } from '../../shared/data-api';
import type { EngineHttp } from '../connection/http';

export async function fetchDataStatus(http: EngineHttp): Promise<DataStatusEntry[]> {
  return (await http.get<DataStatusResponse>(DATA_ROUTES.status)).data;
}

/** Recent commits, newest first; `dvcOnly` keeps those that change a .dvc file. */
export function fetchCommits(http: EngineHttp, max: number, dvcOnly: boolean): Promise<GitCommitsResponse> {
  return http.get<GitCommitsResponse>(DATA_ROUTES.commits, { max, dvc: dvcOnly ? 1 : undefined });
}
