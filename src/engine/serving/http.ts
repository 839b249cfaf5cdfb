import type { IncomingMessage, ServerResponse } from 'node:http';
import { SlipwayError, type ErrorCode } from '../errors';

/** Default request body limit: far above any sane prediction batch, far below what would strain memory. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** An error answered with a status and a stable code; the process carries on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  REQUEST_LIMIT_EXCEEDED: 413,
  STORE_BUSY: 503,
};

/** Maps any thrown value to an HttpError: engine errors keep their code; anything else is a 500 that names itself. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof SlipwayError) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    return new HttpError(status, error.code, error.message, status === 503 ? { 'retry-after': '1' } : {});
  }
  return new HttpError(500, 'INTERNAL_ERROR', `The server failed to answer: ${error instanceof Error ? error.message : String(error)}.`);
}

/**
 * Reads a JSON request body. Refuses other content types (415), bodies over `maxBytes` (413, without buffering them),
 * and text that is not JSON (400, with a hint for NaN and Infinity, which JSON cannot carry).
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return parseJson((await readBody(req, maxBytes, ['application/json'])).text);
}

/** Parses JSON text, with the hint about NaN and Infinity. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const nan = /\b(NaN|-?Infinity)\b/.test(text) ? ' NaN and Infinity are not JSON; send null for a missing value of a nullable column.' : '';
    throw new HttpError(400, 'MALFORMED_REQUEST', `The body is not valid JSON (${(error as Error).message}).${nan}`);
  }
}

/** Reads a body of one of `types` (415 otherwise) up to `maxBytes` (413 beyond). */
export function readBody(req: IncomingMessage, maxBytes: number, types: string[]): Promise<{ type: string; text: string }> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!types.includes(type)) {
    req.resume();
    const wanted = types.map((t) => `Content-Type: ${t}`).join(' or ');
    return Promise.reject(new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as ${wanted} (got ${type ? `"${type}"` : 'none'}).`));
  }
  const tooLarge = () => new HttpError(413, 'REQUEST_LIMIT_EXCEEDED', `The request body exceeds ${maxBytes} bytes; split the batch into smaller requests.`, { connection: 'close' });
  // An oversized body is read and dropped (up to a hard cap) before answering, so a client still uploading it gets
  // the 413 instead of a reset connection; beyond the cap the connection is cut.
  const drainCap = Math.max(maxBytes * 16, 64 * 1024 * 1024);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > drainCap) {
    req.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (failed) {
        if (size > drainCap) req.destroy();
        return;
      }
      if (size > maxBytes) {
        failed = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => reject(error));
    req.on('close', () => failed && reject(tooLarge()));
    req.on('end', () => {
      if (failed) return reject(tooLarge());
      resolve({ type, text: Buffer.concat(chunks, size).toString('utf8') });
    });
  });
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
