/**
 * The engine's data-versioning routes under /api/slipway/v1 (read-only; the long operations run as CLI processes).
 */
import type { DataStatusEntry } from './cli';

export const DATA_ROUTES = {
  status: '/api/slipway/v1/data/status',
  commits: '/api/slipway/v1/git/commits',
} as const;

/** `GET /api/slipway/v1/data/status`: every tracked path, as `slipway status --json` reports it. */
export interface DataStatusResponse {
  data: DataStatusEntry[];
}

/** One commit of `GET /api/slipway/v1/git/commits`. */
export interface GitCommit {
  hash: string;
  subject: string;
  author: string;
  /** Author date, ISO 8601 with offset. */
  date: string;
}

/**
 * `GET /api/slipway/v1/git/commits?max=50&dvc=1`: newest first, from HEAD. With `dvc=1`, only commits that touch a
 * `.dvc` file. `reason` says why the list is empty when the folder is not a git repository or has no commits.
 */
export interface GitCommitsResponse {
  commits: GitCommit[];
  reason?: string;
}
