import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { DataRepo, add, addRemote, modifyRemote, pull, push, resolveRemote, s3Settings } from '../../src/engine/versioning';
import type { RemoteListOutput } from '../../src/shared/cli';
import { cli } from '../helpers';
import { commitAndClone, makeProject, write } from './helpers/project';
import { assertCacheClean, fetchReportsMissing, killedPushResumes, projectWithRemote, pushCloneAndPull, transfersVerifyHashes } from './helpers/remote-bodies';
import { objectIds, objectKey, s3Kind } from './helpers/remote-kinds';
import { s3ForFile } from './helpers/s3';

// Children (the CLI, the push that gets killed) inherit the server's keys as the standard AWS variables.
const s3 = s3ForFile();

let prefixes = 0;
const fresh = () => s3Kind(s3(), `t${++prefixes}-${randomBytes(3).toString('hex')}/store`);

void test("push uses DVC's layout in the bucket; a fresh clone pulls the same data; a second push sends nothing", (t) => pushCloneAndPull(t, fresh()));

void test('fetch names the objects the remote lacks and still fetches the others; pull then checks out nothing', (t) => fetchReportsMissing(t, fresh()));

void test('after a push killed with SIGKILL, the next push transfers only the missing objects', (t) => killedPushResumes(t, fresh()));

void test('transfers verify hashes: a corrupt object is neither pushed nor pulled, and the error names it', (t) => transfersVerifyHashes(t, fresh()));

void test('remote add and modify write DVC-readable settings; credentials only where asked, and never listed', async (t) => {
  const { root, cleanup } = makeProject({ dvc: true });
  t.after(cleanup);
  const added = await cli(['remote', 'add', '-d', 'storage', 's3://bucket/path', '--endpoint-url', 'http://127.0.0.1:9000', '--region', 'eu-west-1', '--json'], { cwd: root });
  assert.equal(added.code, 0, added.stderr);
  assert.equal(readFileSync(join(root, '.dvc', 'config'), 'utf8'), `['remote "storage"']\n    url = s3://bucket/path\n    endpointurl = http://127.0.0.1:9000\n    region = eu-west-1\n[core]\n    remote = storage\n`);
  await modifyRemote(root, 'storage', 'access_key_id', 'AKIDEXAMPLE', { local: true });
  const modified = await cli(['remote', 'modify', '--local', 'storage', 'secret_access_key', 'very-secret'], { cwd: root });
  assert.equal(modified.code, 0, modified.stderr);
  assert.doesNotMatch(modified.stdout, /very-secret/);
  assert.equal(readFileSync(join(root, '.dvc', 'config.local'), 'utf8'), `['remote "storage"']\n    access_key_id = AKIDEXAMPLE\n    secret_access_key = very-secret\n`);
  assert.doesNotMatch(readFileSync(join(root, '.dvc', 'config'), 'utf8'), /AKIDEXAMPLE|very-secret/);
  await modifyRemote(root, 'storage', 'region', 'us-west-2');
  assert.match(readFileSync(join(root, '.dvc', 'config'), 'utf8'), / {4}region = us-west-2\n\[core\]/);
  const listed = await cli(['remote', 'list', '--json'], { cwd: root });
  assert.deepEqual(JSON.parse(listed.stdout), { remotes: [{ name: 'storage', url: 's3://bucket/path', isDefault: true }] } satisfies RemoteListOutput);
  const store = resolveRemote(root).store;
  assert.deepEqual([store.kind, store.location], ['s3', 's3://bucket/path']);

  // slipway.yaml is committed: it takes endpoint and region, never keys.
  const plain = makeProject();
  t.after(plain.cleanup);
  await addRemote(plain.root, 'team', 's3://b/p', { settings: { endpointurl: 'http://x:1', region: 'r' } });
  assert.equal(readFileSync(join(plain.root, 'slipway.yaml'), 'utf8'), 'version: 1\nremotes:\n  team:\n    url: s3://b/p\n    endpointurl: http://x:1\n    region: r\n');
  await assert.rejects(modifyRemote(plain.root, 'team', 'secret_access_key', 's'), /does not hold credentials/);
});

void test('settings come from the remote config first, then the standard AWS variables', () => {
  const env = { AWS_ENDPOINT_URL: 'http://generic:1', AWS_ENDPOINT_URL_S3: 'http://s3-specific:2', AWS_DEFAULT_REGION: 'eu-north-1' };
  const fromEnv = s3Settings('r', 's3://bucket/a/b/', {}, env);
  assert.deepEqual([fromEnv.bucket, fromEnv.prefix, fromEnv.endpoint, fromEnv.region, fromEnv.accessKeyId], ['bucket', 'a/b', 'http://s3-specific:2', 'eu-north-1', undefined]);
  assert.equal(s3Settings('r', 's3://bucket', {}, { ...env, AWS_REGION: 'ap-south-1' }).region, 'ap-south-1');
  const fromConfig = s3Settings('r', 's3://bucket', { endpointurl: 'http://cfg:3', region: 'us-west-1', access_key_id: 'K', secret_access_key: 'S' }, env);
  assert.deepEqual([fromConfig.prefix, fromConfig.endpoint, fromConfig.region, fromConfig.accessKeyId, fromConfig.secretAccessKey], ['', 'http://cfg:3', 'us-west-1', 'K', 'S']);
  assert.equal(s3Settings('r', 's3://bucket', {}, {}).region, 'us-east-1');
  assert.throws(() => s3Settings('r', 's3://', {}, {}), /not an S3 URL/);
});

void test('large objects go up in verified parts; a damaged large object never appears on the remote', async (t) => {
  const kind = fresh();
  const big = randomBytes(12 << 20);
  const streamed = randomBytes(3 << 20);
  const root = await projectWithRemote(t, kind, { 'big.bin': big, 'streamed.bin': streamed, '.gitignore': '/.slipway/\n' });
  const tuning = { s3: { multipartThreshold: 5 << 20, partSize: 5 << 20 } };
  const repo = DataRepo.open(root);
  try {
    const [b, s] = await add(repo, ['big.bin', 'streamed.bin']);
    // Damage both in the cache (same size, one byte changed): neither may be completed on the remote.
    for (const oid of [b!.md5, s!.md5]) {
      const path = repo.cache.pathOf(oid);
      chmodSync(path, 0o644);
      const bytes = readFileSync(path);
      bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
      writeFileSync(path, bytes);
    }
    await assert.rejects(push(repo, undefined, { ...tuning, jobs: 1 }), (e: unknown) => e instanceof SlipwayError && e.code === 'CORRUPT_OBJECT');
    for (const oid of [b!.md5, s!.md5]) {
      const there = await kind.read(objectKey(oid));
      assert.ok(there === null || there.length < (oid === b!.md5 ? big : streamed).length, `no complete upload of damaged ${oid}`);
    }
    writeFileSync(repo.cache.pathOf(b!.md5), big);
    writeFileSync(repo.cache.pathOf(s!.md5), streamed);
    const pushed = await push(repo, undefined, tuning);
    assert.equal(pushed.transferred, 2);
    for (const [oid, bytes] of [[b!.md5, big], [s!.md5, streamed]] as const) {
      assert.equal(createHash('md5').update((await kind.read(objectKey(oid)))!).digest('hex'), createHash('md5').update(bytes).digest('hex'));
    }
  } finally {
    await repo.close();
  }
  const clone = commitAndClone(t, root, 'big');
  const other = DataRepo.open(clone);
  try {
    assert.equal((await pull(other)).fetched.transferred, 2);
    assert.ok(readFileSync(join(clone, 'big.bin')).equals(big));
  } finally {
    await other.close();
  }
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

void test('a missing bucket, refused credentials or an unreachable endpoint: one sentence saying what to do, exit 3, nothing cached', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const kind = fresh();
  write(root, 'x.csv', 'x\n');
  write(root, '.gitignore', '/.slipway/\n');
  await addRemote(root, 'good', kind.url, { settings: kind.settings, isDefault: true });
  await addRemote(root, 'nobucket', `s3://no-such-bucket/p`, { settings: kind.settings });
  await addRemote(root, 'down', kind.url, { settings: { endpointurl: `http://127.0.0.1:${await closedPort()}` } });
  assert.equal((await cli(['add', 'x.csv'], { cwd: root })).code, 0);
  assert.equal((await cli(['push'], { cwd: root })).code, 0);
  rmSync(join(root, '.slipway', 'cache'), { recursive: true, force: true });
  rmSync(join(root, 'x.csv'));

  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['pull', '-r', 'nobucket'], {}, /Bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+ .*; create the bucket or correct the remote's URL/],
    [['pull'], { AWS_ACCESS_KEY_ID: 'WRONG' }, /did not accept the credentials for remote "good" .*\(InvalidAccessKeyId\); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
    [['pull'], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_EC2_METADATA_DISABLED: 'true', HOME: root }, /No credentials found for remote "good" .*; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
    [['pull', '-r', 'down'], {}, /Cannot reach http:\/\/127\.0\.0\.1:\d+ for remote "down" .*\(ECONNREFUSED\); check the endpoint URL/],
    [['push', '-r', 'nobucket'], {}, /Bucket "no-such-bucket" does not exist/],
  ];
  for (const [args, env, message] of cases) {
    const r = await cli(args, { cwd: root, env });
    assert.equal(r.code, 3, `slipway ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /S3RVER/, 'no secret in the message');
    const json = await cli([...args, '--json'], { cwd: root, env });
    assert.equal(json.code, 3);
    assert.match((JSON.parse(json.stderr) as { error: { message: string } }).error.message, message);
    assert.ok(!existsSync(join(root, 'x.csv')));
    assertCacheClean(root);
    const repo = DataRepo.open(root);
    try {
      const cached: string[] = [];
      for await (const oid of repo.cache.list()) cached.push(oid);
      assert.deepEqual(cached, [], 'nothing entered the cache');
    } finally {
      await repo.close();
    }
  }
  assert.deepEqual(await objectIds(kind), [createHash('md5').update('x\n').digest('hex')], 'the bucket holds what the good push sent');
});
