import { SlipwayError } from '../errors';

/** Page tokens are opaque to clients: base64url JSON holding the offset of the next page. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw new SlipwayError('INVALID_PARAMETER_VALUE', `Invalid page_token '${token}'. Pass back the next_page_token of a previous response unchanged.`);
}

/** Resolves max_results against a default and MLflow's upper limit. */
export function pageSize(maxResults: unknown, fallback: number, limit: number): number {
  if (maxResults === undefined || maxResults === null || maxResults === '') return fallback;
  const n = typeof maxResults === 'string' ? Number(maxResults) : maxResults;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `max_results must be a positive integer, got ${JSON.stringify(maxResults)}.`);
  }
  if (n > limit) throw new SlipwayError('INVALID_PARAMETER_VALUE', `max_results must be at most ${limit}, got ${n}.`);
  return n;
}
