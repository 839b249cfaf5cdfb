import type { DataLineageOutput, ModelVersionLineageOutput, RunLineageOutput } from '../../shared/lineage';
import { SlipwayError } from '../errors';
import { dataVersionsOfModelVersion, dataVersionsOfRun, modelVersionsOfRun, modelVersionsUsingData, runsUsingData } from '../lineage';
import type { Store } from '../store';
import { sendJson } from './http-util';
import type { Route } from './router';

export const LINEAGE = '/api/slipway/v1/lineage';

/**
 * Lineage both ways: GET `lineage/runs/RUN_ID` (the data versions a run used and the model versions it produced) and
 * GET `lineage/data?target=PATH|MD5` (the runs and model versions that used a tracked path or a data hash), and
 * GET `lineage/models/NAME/VERSION` (the data versions of a model version's source run).
 */
export function lineageRoutes(store: Store): Route[] {
  return [
    {
      method: 'GET',
      path: `${LINEAGE}/runs/*`,
      mutating: false,
      handle({ res, rest }) {
        const runId = decodeURIComponent(rest);
        if (!/^[0-9a-f]{32}$/.test(runId)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${runId}" is not a run id.`);
        const exists = store.db.prepare('SELECT 1 FROM runs WHERE run_uuid = ?').get(runId);
        if (!exists) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Run ${runId} not found.`);
        const body: RunLineageOutput = { runId, data: dataVersionsOfRun(store, runId), modelVersions: modelVersionsOfRun(store, runId) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      path: `${LINEAGE}/data`,
      mutating: false,
      handle({ res, url }) {
        const target = url.searchParams.get('target') ?? '';
        const body: DataLineageOutput = { target, runs: runsUsingData(store, target), modelVersions: modelVersionsUsingData(store, target) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      path: `${LINEAGE}/models/*`,
      mutating: false,
      handle({ res, rest }) {
        const slash = rest.lastIndexOf('/');
        const name = decodeURIComponent(rest.slice(0, Math.max(slash, 0)));
        const versionText = rest.slice(slash + 1);
        if (slash <= 0 || !/^[1-9]\d*$/.test(versionText)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Give lineage/models/NAME/VERSION, got "${rest}".`);
        const version = Number(versionText);
        const body: ModelVersionLineageOutput = { name, version, ...dataVersionsOfModelVersion(store, name, version) };
        sendJson(res, 200, body);
      },
    },
  ];
}
