// Push and fetch through remotes, against `cp -r` of the cache measured in the same run on the same files.
//   node --import tsx bench/remote.ts [--dir DIR] [--files 2000] [--big-mib 256] [--jobs 8]
// Data: many small files, then one large file. Cases: `cp -r` of the cache (with and without `sync`), a filesystem
// remote, plain SDK requests on the same server (the protocol's floor) and an S3 remote (a local s3rver in its own process, 127.0.0.1), each pushing the cache and fetching it back
// into an emptied cache. Hashes are verified both ways by Slipway; `cp -r` verifies nothing.
import { spawnSync } from 'node:child_process';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataRepo, add, addRemote, fetch, push } from '../src/engine/versioning';
import { forEachLimit } from '../src/engine/versioning/restore';
import { S3_KEYS, startS3, type S3Server } from '../test/versioning/helpers/s3';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const fileCount = Number(option('--files', '2000'));
const bigMiB = Number(option('--big-mib', '256'));
const jobs = Number(option('--jobs', '8'));
const base = mkdtempSync(join(option('--dir', tmpdir()), 'slipway-bench-remote-'));
Object.assign(process.env, S3_KEYS);

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return seconds(start);
}
function shell(command: string): number {
  const start = process.hrtime.bigint();
  if (spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error(`${command} failed`);
  return seconds(start);
}

function makeSmall(root: string): void {
  const small = join(root, 'small');
  mkdirSync(small, { recursive: true });
  const block = Buffer.alloc(4096);
  for (let i = 0; i < fileCount; i++) {
    block.writeUInt32LE(i, 0);
    writeFileSync(join(small, `f${i}.bin`), block);
  }
}

function makeBig(root: string): void {
  // Written a MiB at a time, so the benchmark's own memory stays small.
  const fd = openSync(join(root, 'big.bin'), 'w');
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < bigMiB; i++) {
    chunk.fill(i & 0xff);
    chunk.writeUInt32LE(i, 0);
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

type Row = { label: string; up: number; down: number };

/** One data set through every case; `objects` is how many objects its tracked versions need. */
async function measure(name: string, make: (root: string) => void, target: string, objects: number, s3: S3Server): Promise<Row[]> {
  const { endpoint, bucket } = s3;
  const root = join(base, name);
  mkdirSync(root);
  writeFileSync(join(root, 'slipway.yaml'), 'version: 1\n');
  spawnSync('git', ['init', '-q', root]);
  make(root);
  await addRemote(root, 'fs', join(base, `${name}-fs-remote`));
  await addRemote(root, 's3', `s3://${bucket}/${name}`, { settings: { endpointurl: endpoint } });
  const cache = join(root, '.slipway', 'cache');
  let repo = DataRepo.open(root);
  try {
    await add(repo, [target]);
  } finally {
    await repo.close();
  }
  shell('sync');
  const copy = join(base, `${name}-cp`);
  const back = join(base, `${name}-cp-back`);
  const rows: Row[] = [];
  rows.push({ label: 'cp -r (baseline)', up: shell(`cp -r ${cache}/files ${copy}`), down: shell(`cp -r ${copy} ${back}`) });
  shell(`rm -rf ${copy} ${back} && sync`);
  rows.push({ label: 'cp -r + sync', up: shell(`cp -r ${cache}/files ${copy} && sync`), down: shell(`cp -r ${copy} ${back} && sync`) });
  for (const remote of ['fs', 's3']) {
    repo = DataRepo.open(root);
    let pushed = 0;
    let fetched = 0;
    const up = await time(async () => {
      pushed = (await push(repo, undefined, { remote, jobs })).transferred;
    });
    await repo.close();
    rmSync(cache, { recursive: true, force: true });
    repo = DataRepo.open(root);
    const down = await time(async () => {
      fetched = (await fetch(repo, undefined, { remote, jobs })).transferred;
    });
    await repo.close();
    if (pushed !== objects || fetched !== objects) throw new Error(`${name} ${remote}: pushed ${pushed}, fetched ${fetched}, expected ${objects}`);
    rows.push({ label: remote === 'fs' ? 'filesystem remote (fsync per object)' : 'S3 remote (s3rver, own process)', up, down });
  }
  rows.push(await sdkFloor(s3, cache, name));
  return rows;
}

/**
 * The protocol's floor on the same server: the cache's files sent with plain PutObject and read back with GetObject
 * by the SDK at the same concurrency, with no existence checks, hashing or cache writes.
 */
async function sdkFloor(s3: S3Server, cache: string, name: string): Promise<Row> {
  const files = walk(join(cache, 'files'));
  const key = (f: string) => `floor-${name}/${f.slice(cache.length + 1)}`;
  const up = await time(() =>
    forEachLimit(files, jobs, async (f) => {
      await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key(f), Body: createReadStream(f), ContentLength: statSync(f).size }));
    }),
  );
  const down = await time(() =>
    forEachLimit(files, jobs, async (f) => {
      const res = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key(f) }));
      for await (const chunk of res.Body as AsyncIterable<Buffer>) void chunk;
    }),
  );
  return { label: 'SDK PutObject / GetObject only (floor)', up, down };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

async function main(): Promise<void> {
  const s3 = await startS3('slipway-bench');
  const sets: [string, Row[]][] = [];
  try {
    sets.push([`${fileCount} files of 4 KiB`, await measure('small', makeSmall, 'small', fileCount + 1, s3)]);
    sets.push([`one ${bigMiB} MiB file`, await measure('big', makeBig, 'big.bin', 1, s3)]);
  } finally {
    await s3.close();
    rmSync(base, { recursive: true, force: true });
  }
  console.log(`${jobs} transfers at once; push = cache to remote, fetch = remote to an emptied cache (hashes verified; cp verifies nothing)`);
  console.log('| data | case | push s | fetch s | push vs cp -r | fetch vs cp -r |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [data, rows] of sets) {
    const cp = rows[0]!;
    for (const r of rows) console.log(`| ${data} | ${r.label} | ${r.up.toFixed(2)} | ${r.down.toFixed(2)} | ${(r.up / cp.up).toFixed(1)}x | ${(r.down / cp.down).toFixed(1)}x |`);
  }
  console.log(`peak RSS of the pushing/fetching process: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}

void main();
