/** One tracked path's version as a run used it: the hash its `.dvc` file recorded when the run started. */
export interface DataVersion {
  path: string;
  /** File md5, or a directory's listing hash ending in `.dir`. */
  md5: string;
  dvcFile: string;
  size: number | null;
  nfiles: number | null;
  isexec: boolean;
}

/** A run that used a data version. */
export interface RunUsingData {
  runId: string;
  runName: string;
  experimentId: string;
  status: string;
  startTime: number;
  path: string;
  md5: string;
}

/** A model version whose source run used a data version. */
export interface ModelVersionUsingData {
  name: string;
  version: number;
  runId: string;
  path: string;
  md5: string;
}

/** What `slipway lineage TARGET --json` and GET /api/slipway/v1/lineage/data print. */
export interface DataLineageOutput {
  target: string;
  runs: RunUsingData[];
  modelVersions: ModelVersionUsingData[];
}

/** What GET /api/slipway/v1/lineage/runs/RUN returns. */
export interface RunLineageOutput {
  runId: string;
  data: DataVersion[];
  modelVersions: { name: string; version: number }[];
}

/** What GET /api/slipway/v1/lineage/models/NAME/VERSION returns: the data versions of the version's source run. */
export interface ModelVersionLineageOutput {
  name: string;
  version: number;
  runId: string | null;
  data: DataVersion[];
}
