import type { DataStatusResponse, GitCommitsResponse } from '../../shared/data-api';
import { DATA_ROUTES } from '../../shared/data-api';
import { SlipwayError } from '../errors';
import { recentCommits } from '../git';
import type { OpenProject } from '../project';
import { DataRepo, status } from '../versioning';
import { sendJson } from './http-util';
import type { Route } from './router';

const DEFAULT_MAX_COMMITS = 50;
const MAX_COMMITS = 1000;

function maxOf(text: string | null): number {
  if (text === null) return DEFAULT_MAX_COMMITS;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_COMMITS) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `max must be a whole number from 1 to ${MAX_COMMITS}; got "${text}".`);
  }
  return n;
}

/**
 * Read-only data-versioning routes for the editor: the status of every tracked path and the commits a checkout can
 * restore. Adding, checking out and transferring data run as CLI processes, which can be cancelled by killing them.
 */
export function dataRoutes(project: OpenProject): Route[] {
  // Requests that arrive while a status pass runs share it: a burst of change events asks for the same answer.
  let inFlight: Promise<DataStatusResponse> | undefined;
  const dataStatus = (): Promise<DataStatusResponse> => {
    inFlight ??= (async () => {
      const repo = DataRepo.open(project.paths.root, { store: project.store });
      try {
        return { data: await status(repo) };
      } finally {
        await repo.close();
      }
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  return [
    {
      method: 'GET',
      path: DATA_ROUTES.status,
      mutating: false,
      async handle({ res }) {
        sendJson(res, 200, await dataStatus());
      },
    },
    {
      method: 'GET',
      path: DATA_ROUTES.commits,
      mutating: false,
      async handle({ res, url }) {
        const max = maxOf(url.searchParams.get('max'));
        const dvc = url.searchParams.get('dvc');
        const body: GitCommitsResponse = await recentCommits(project.paths.root, { max, dvcOnly: dvc === '1' || dvc === 'true' });
        sendJson(res, 200, body);
      },
    },
  ];
}
