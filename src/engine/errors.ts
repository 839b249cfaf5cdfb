/**
 * Errors the engine raises on purpose. `code` follows MLflow's error codes where one fits, so the HTTP layer maps
 * them to MLflow's status codes and the CLI maps them to its exit codes without string matching.
 */
export type ErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'INVALID_STATE'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'PAYLOAD_TOO_LARGE'
  | 'STORE_UNREADABLE'
  | 'STORE_TOO_NEW'
  | 'STORE_BUSY'
  | 'CONFIG_INVALID'
  | 'NOT_A_PROJECT'
  | 'CORRUPT_OBJECT'
  | 'INTERNAL_ERROR';

export class SlipwayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SlipwayError';
  }
}

/** True for errors caused by the caller's input (CLI exit code 2, HTTP 4xx) rather than by the engine or the disk. */
export function isUsageError(error: unknown): boolean {
  return (
    error instanceof SlipwayError &&
    ['INVALID_PARAMETER_VALUE', 'RESOURCE_DOES_NOT_EXIST', 'RESOURCE_ALREADY_EXISTS', 'BAD_REQUEST', 'CONFIG_INVALID', 'NOT_A_PROJECT'].includes(error.code)
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
