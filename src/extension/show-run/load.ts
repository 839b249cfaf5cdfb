import type { FileInfo, GetExperimentResponse, GetRunResponse, ListArtifactsResponse } from '../../shared/mlflow';
import type { RunDetails } from '../../shared/show-run';
import type { EngineHttp } from '../connection/http';
import { toRunDetails } from './details';

const MLFLOW = '/api/2.0/mlflow';
const MAX_ARTIFACTS = 500;

/** Lists a run's artifacts breadth-first (folders expanded), stopping at MAX_ARTIFACTS entries. */
async function listArtifacts(http: EngineHttp, runId: string): Promise<FileInfo[]> {
  const found: FileInfo[] = [];
  const folders: (string | undefined)[] = [undefined];
  while (folders.length && found.length < MAX_ARTIFACTS) {
    const path = folders.shift();
    const page = await http.get<ListArtifactsResponse>(`${MLFLOW}/artifacts/list`, { run_id: runId, path });
    for (const file of page.files ?? []) {
      found.push(file);
      if (file.is_dir) folders.push(file.path);
    }
  }
  return found.slice(0, MAX_ARTIFACTS);
}

/** Everything Show Run displays for one run, read through the engine's MLflow routes. */
export async function loadRunDetails(http: EngineHttp, runId: string): Promise<RunDetails> {
  const { run } = await http.get<GetRunResponse>(`${MLFLOW}/runs/get`, { run_id: runId });
  const [experiment, artifacts] = await Promise.all([
    http.get<GetExperimentResponse>(`${MLFLOW}/experiments/get`, { experiment_id: run.info.experiment_id }).then((r) => r.experiment).catch(() => null),
    listArtifacts(http, runId),
  ]);
  return toRunDetails(run, experiment, artifacts);
}
