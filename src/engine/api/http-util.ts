import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MlflowError } from '../../shared/mlflow';
import { SlipwayError, type ErrorCode } from '../errors';

/** Largest JSON body accepted on engine routes (MLflow's own server refuses much smaller log-batch bodies). */
export const MAX_JSON_BODY = 16 * 1024 * 1024;

const STATUS_BY_CODE: Partial<Record<ErrorCode | 'ENDPOINT_NOT_FOUND', number>> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  CONFIG_INVALID: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  REQUEST_LIMIT_EXCEEDED: 429,
  PAYLOAD_TOO_LARGE: 413,
  STORE_BUSY: 503,
};

/** HTTP status for an engine error: MLflow's mapping for MLflow's codes; anything unexpected is a 500. */
export function statusOf(code: string): number {
  return STATUS_BY_CODE[code as ErrorCode] ?? 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const code = error instanceof SlipwayError ? error.code : 'INTERNAL_ERROR';
  const message = error instanceof Error ? error.message : String(error);
  const body: MlflowError = { error_code: code, message };
  sendJson(res, statusOf(code), body);
}

/** Reads a JSON object body, refusing oversized or malformed ones with a 4xx. An empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BODY): Promise<Record<string, unknown>> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new SlipwayError('PAYLOAD_TOO_LARGE', `Request body of ${declared} bytes is over the ${limit} byte limit.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new SlipwayError('PAYLOAD_TOO_LARGE', `Request body is over the ${limit} byte limit.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Malformed JSON in the request body: ${(error as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Query parameters as an object. Keys listed in `lists` collect every repeated value (MLflow's GET convention for
 * repeated fields); other keys take their last value.
 */
export function queryObject(url: URL, lists: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    out[key] = lists.includes(key) ? url.searchParams.getAll(key) : url.searchParams.get(key);
  }
  return out;
}
