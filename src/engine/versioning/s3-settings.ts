import { SlipwayError } from '../errors';

/** How to reach one S3-compatible remote. Secrets stay in memory; they are never printed or written back. */
export interface S3Settings {
  /** The remote's name in the project's configuration, for messages. */
  name: string;
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing `/` ('' for the bucket's root). */
  prefix: string;
  /** A custom endpoint (MinIO, Ceph, a local test server...); addressed path-style. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  profile?: string;
}

/** `s3://bucket/some/prefix` as DVC writes it. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/*(.*)$/.exec(url);
  if (!match) throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${url}" is not an S3 URL; write it as s3://BUCKET/PREFIX.`);
  return { bucket: match[1]!, prefix: match[2]!.replace(/\/+$/, '') };
}

/**
 * Settings for a remote from its configuration (DVC's keys: `endpointurl`, `region`, `access_key_id`,
 * `secret_access_key`, `session_token`, `profile`) and, where those are absent, the standard AWS environment variables.
 * Credentials given neither way are left to the AWS SDK's default chain (environment, shared files, instance roles).
 */
export function s3Settings(name: string, url: string, options: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): S3Settings {
  const { bucket, prefix } = parseS3Url(url);
  const pick = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && v !== '');
  const settings: S3Settings = {
    name,
    bucket,
    prefix,
    endpoint: pick(options.endpointurl, env.AWS_ENDPOINT_URL_S3, env.AWS_ENDPOINT_URL),
    region: pick(options.region, env.AWS_REGION, env.AWS_DEFAULT_REGION) ?? 'us-east-1',
    profile: pick(options.profile),
  };
  const keyId = pick(options.access_key_id);
  const secret = pick(options.secret_access_key);
  if (keyId && secret) {
    settings.accessKeyId = keyId;
    settings.secretAccessKey = secret;
    settings.sessionToken = pick(options.session_token);
  }
  if (settings.endpoint && !/^https?:\/\//.test(settings.endpoint)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Remote "${name}": endpoint URL "${settings.endpoint}" must start with http:// or https://.`);
  }
  return settings;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * One clear sentence for a failed S3 request: what went wrong with which remote, and what to do. `where` names the
 * object or prefix the request was about. Errors Slipway raised itself pass through.
 */
export function s3Error(error: unknown, s: S3Settings, where: string): Error {
  if (error instanceof SlipwayError) return error;
  const e = (error ?? {}) as { name?: string; code?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const endpoint = s.endpoint ?? `AWS S3 (${s.region})`;
  const remote = `remote "${s.name}" (s3://${s.bucket}${s.prefix ? `/${s.prefix}` : ''})`;
  if (name === 'NoSuchBucket') {
    return new SlipwayError('INVALID_STATE', `Bucket "${s.bucket}" does not exist at ${endpoint} for ${remote}; create the bucket or correct the remote's URL (slipway remote add ${s.name} s3://BUCKET/PREFIX --force).`, { cause: error });
  }
  if (name === 'CredentialsProviderError') {
    return new SlipwayError(
      'UNAUTHENTICATED',
      `No credentials found for ${remote}; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or access_key_id and secret_access_key in .dvc/config.local, or a profile).`,
      { cause: error },
    );
  }
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired'].includes(name)) {
    return new SlipwayError(
      'UNAUTHENTICATED',
      `${endpoint} did not accept the credentials for ${remote} (${name}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or access_key_id and secret_access_key in .dvc/config.local, or a profile) to keys valid for it.`,
      { cause: error },
    );
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    return new SlipwayError('PERMISSION_DENIED', `${endpoint} denied access to ${where} for ${remote}; use credentials allowed to list, read and write that bucket and prefix.`, { cause: error });
  }
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = e.code ?? cause?.code ?? '';
  if (NETWORK_CODES.has(code) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new SlipwayError(
      'INVALID_STATE',
      `Cannot reach ${endpoint} for ${remote} (${code || name}); check the endpoint URL (endpointurl in the remote's configuration, or AWS_ENDPOINT_URL) and that the server is up.`,
      { cause: error },
    );
  }
  return new SlipwayError('INVALID_STATE', `S3 request for ${where} failed (${name || code || 'error'}${status ? ` ${status}` : ''}: ${e.message ?? String(error)}); ${remote} could not be used.`, { cause: error });
}
