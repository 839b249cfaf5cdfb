import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before } from 'node:test';
import { exited } from '../../helpers';

/** The keys s3rver accepts; tests and benchmarks export them as the standard AWS variables. */
export const S3_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

/**
 * A local S3-protocol server (s3rver) on 127.0.0.1 (random port), in its own process, with its own temporary folder
 * and one bucket.
 */
export interface S3Server {
  endpoint: string;
  bucket: string;
  /** A plain client for inspecting and tampering with the bucket, independent of the code under test. */
  client: S3Client;
  close(): Promise<void>;
}

export async function startS3(bucket = 'slipway-test'): Promise<S3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'slipway-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', join(__dirname, 's3rver-main.ts'), directory, bucket, process.env.S3RVER_LOG ? 'log' : ''], {
    cwd: join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  let port = 0;
  for await (const line of lines) {
    if (line.startsWith('{')) {
      port = (JSON.parse(line) as { port: number }).port;
      break;
    }
  }
  if (!port) throw new Error('s3rver did not start');
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: S3_KEYS.AWS_SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    bucket,
    client,
    close: async () => {
      client.destroy();
      child.kill('SIGTERM');
      await exited(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * One server for the whole test file, started in `before` and closed in `after`. The keys are exported as the standard
 * AWS variables, where the CLI children find them. Returns a getter: the server exists only once `before` has run.
 */
export function s3ForFile(): () => S3Server {
  Object.assign(process.env, S3_KEYS);
  let s3: S3Server | undefined;
  before(async () => {
    s3 = await startS3();
  });
  after(() => s3?.close());
  return () => {
    if (!s3) throw new Error('the S3 server is started in before()');
    return s3;
  };
}

/** Every key under `prefix` in the bucket. */
export async function listKeys(s3: S3Server, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function getBytes(s3: S3Server, key: string): Promise<Buffer | null> {
  try {
    const res = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

export async function putBytes(s3: S3Server, key: string, data: string | Buffer): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: data }));
}
