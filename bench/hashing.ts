// Hashing and add throughput against md5sum, measured in the same run on the same files.
//   node --import tsx bench/hashing.ts [--dir DIR] [--big-mib 1024] [--files 20000]
// Figures: (a) one large file: hashing vs `md5sum`, full add (hash + cache write) vs `md5sum`, with and without fsync;
// (b) many 4 KiB files: cold hashing vs `find | xargs -P2 md5sum`, full add; (c) status with nothing changed.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashPool } from '../src/engine/hashing';
import { DataRepo, add, status } from '../src/engine/versioning';
import { versionOf } from '../src/engine/versioning/workspace';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const bigMiB = Number(option('--big-mib', '1024'));
const fileCount = Number(option('--files', '20000'));
const base = mkdtempSync(join(option('--dir', tmpdir()), 'slipway-bench-'));

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [seconds(start), value];
}

function shell(command: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} failed`);
  return seconds(start);
}

/** Drops the page cache when allowed (root outside a restricted container); says whether it could. */
function dropCaches(): boolean {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function project(name: string): string {
  const root = join(base, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'slipway.yaml'), 'version: 1\n');
  return root;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const rows: string[] = [];
const report = (line: string) => {
  if (process.env.BENCH_RSS) line += `  [maxRSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB]`;
  rows.push(line);
  console.log(line);
};

async function large(): Promise<void> {
  const root = project('large');
  const file = join(root, 'big.bin');
  const bytes = bigMiB * 1024 * 1024;
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 2654435761) >>> 24;
  const fd = openSync(file, 'w');
  for (let i = 0; i < bigMiB; i++) {
    chunk[0] = i & 0xff;
    writeSync(fd, chunk);
  }
  closeSync(fd);
  shell(`cat '${file}' > /dev/null`); // warm the page cache for every contender alike
  const md5sum = Math.min(shell(`md5sum '${file}' > /dev/null`), shell(`md5sum '${file}' > /dev/null`));
  const pool = new HashPool();
  const [hashTime] = await time(() => pool.run([{ path: file }]));
  const [hashTime2] = await time(() => pool.run([{ path: file }]));
  await pool.close();
  const hash = Math.min(hashTime, hashTime2);
  const mibps = (s: number) => fmt(bytes / 1024 / 1024 / s, 0);
  report(`(a) ${bigMiB} MiB file, page cache warm`);
  report(`    md5sum                         ${fmt(md5sum)} s  ${mibps(md5sum)} MiB/s`);
  report(`    slipway hash                   ${fmt(hash)} s  ${mibps(hash)} MiB/s  ratio ${fmt(md5sum / hash)}x (target >= 0.85)`);
  for (const fsync of [false, true]) {
    let addTime = Infinity;
    for (let round = 0; round < 2; round++) {
      rmSync(join(root, '.slipway'), { recursive: true, force: true });
      rmSync(join(root, 'big.bin.dvc'), { force: true });
      execFileSync('sync'); // start each round without another round's dirty pages being written back
      const repo = DataRepo.open(root, { fsync });
      const [t] = await time(() => add(repo, ['big.bin']));
      await repo.close();
      addTime = Math.min(addTime, t);
    }
    report(`    slipway add, fsync ${fsync ? 'on ' : 'off'}         ${fmt(addTime)} s  ${mibps(addTime)} MiB/s  ratio ${fmt(md5sum / addTime)}x${fsync ? '' : ' (target >= 0.6; default)'}`);
  }
  rmSync(root, { recursive: true, force: true });
}

async function many(): Promise<void> {
  const root = project('many');
  const dir = join(root, 'shards');
  const payload = Buffer.alloc(4096);
  for (let i = 0; i < fileCount; i++) {
    const sub = join(dir, String(i % 100).padStart(3, '0'));
    if (i < 100) mkdirSync(sub, { recursive: true });
    payload.writeUInt32LE(i, 0);
    writeFileSync(join(sub, `f${i}.bin`), payload);
  }
  const cold = dropCaches();
  const xargs = shell(`find '${dir}' -type f -print0 | xargs -0 -P2 md5sum > /dev/null`);
  dropCaches();
  const repo = DataRepo.open(root);
  const [hash] = await time(() => versionOf(repo, 'shards', { store: false, fresh: new Map() }));
  await repo.close();
  rmSync(join(root, '.slipway'), { recursive: true, force: true });
  dropCaches();
  const addRepo = DataRepo.open(root);
  const [addTime] = await time(() => add(addRepo, ['shards']));
  await addRepo.close();
  report(`(b) ${fileCount} files of 4 KiB, page cache ${cold ? 'dropped before each (cold)' : 'warm (dropping it is not permitted here)'}`);
  report(`    find | xargs -P2 md5sum        ${fmt(xargs)} s`);
  report(`    slipway hash (no state)        ${fmt(hash)} s  ratio ${fmt(hash / xargs)}x md5sum's time (target <= 2.5)`);
  report(`    slipway add (hash + cache)     ${fmt(addTime)} s`);
  const statusRepo = DataRepo.open(root);
  const [first] = await time(() => status(statusRepo));
  await statusRepo.close();
  const repeats: number[] = [];
  let state = '';
  for (let i = 0; i < 5; i++) {
    const again = DataRepo.open(root);
    const [t, result] = await time(() => status(again));
    await again.close();
    repeats.push(t);
    state = result[0]?.workspace ?? 'none';
  }
  repeats.sort((x, y) => x - y);
  report(`(c) status, nothing changed (open store + status): first after add ${fmt(first, 3)} s; next 5: median ${fmt(repeats[2]!, 3)} s, best ${fmt(repeats[0]!, 3)} s (target < 0.5; ${state})`);
}

void (async () => {
  try {
    await large();
    await many();
    report(`peak RSS ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MB (target < 200; workers included, md5sum excluded)`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
})();
