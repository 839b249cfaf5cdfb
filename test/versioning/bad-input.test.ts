import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { DataRepo, add, fsck } from '../../src/engine/versioning';
import { makeProject, write } from './helpers/project';

const REPO_ROOT = join(__dirname, '..', '..');
const RUN_ADD = join(__dirname, 'helpers', 'run-add.ts');
const isRoot = process.getuid?.() === 0;

interface AddOutput {
  ok?: { path: string }[];
  error?: { code: string; message: string };
}

/** Runs `add` as the unprivileged user `nobody` (root would read everything). */
function addAsNobody(root: string, ...targets: string[]): AddOutput {
  const result = spawnSync(
    'setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--import', 'tsx', RUN_ADD, root, ...targets],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, HOME: root } },
  );
  const last = result.stdout.trim().split('\n').pop() ?? '';
  assert.ok(last.startsWith('{'), `no result from the child: ${result.stderr}`);
  return JSON.parse(last) as AddOutput;
}

function sharedProject(): { root: string; cleanup: () => void } {
  const project = makeProject({ git: false });
  chmodSync(project.root, 0o777);
  mkdirSync(join(project.root, '.slipway'), { mode: 0o777 });
  chmodSync(join(project.root, '.slipway'), 0o777);
  return project;
}

void test('permission errors name the path and record nothing (run as nobody)', { skip: !isRoot && 'needs root to switch to nobody' }, (t) => {
  const { root, cleanup } = sharedProject();
  t.after(cleanup);
  write(root, 'secret.csv', 'private');
  chmodSync(join(root, 'secret.csv'), 0o600);
  const denied = addAsNobody(root, 'secret.csv');
  assert.equal(denied.error?.code, 'PERMISSION_DENIED');
  assert.match(denied.error.message, new RegExp(`Permission denied on ${join(root, 'secret.csv')}\\..*chmod`));
  assert.ok(!existsSync(join(root, 'secret.csv.dvc')));

  mkdirSync(join(root, 'set', 'locked'), { recursive: true });
  chmodSync(join(root, 'set'), 0o777);
  write(root, 'set/ok.txt', 'fine');
  chmodSync(join(root, 'set', 'locked'), 0o700);
  const folder = addAsNobody(root, 'set');
  assert.equal(folder.error?.code, 'PERMISSION_DENIED');
  assert.match(folder.error.message, /set\/locked/);
  assert.ok(!existsSync(join(root, 'set.dvc')));

  // A cache the user cannot write: the error names the cache, not the data.
  write(root, 'open.csv', 'anyone may read');
  chmodSync(join(root, 'open.csv'), 0o644);
  rmSync(join(root, '.slipway', 'cache'), { recursive: true, force: true });
  mkdirSync(join(root, '.slipway', 'cache'), { mode: 0o755 });
  const cache = addAsNobody(root, 'open.csv');
  assert.equal(cache.error?.code, 'PERMISSION_DENIED');
  assert.match(cache.error.message, /\.slipway\/cache/);
  assert.ok(!existsSync(join(root, 'open.csv.dvc')));

  // Once readable, the same add succeeds for that user.
  chmodSync(join(root, '.slipway', 'cache'), 0o777);
  assert.deepEqual(addAsNobody(root, 'open.csv').ok?.map((r) => r.path), ['open.csv']);
});

void test('a killed add leaves no pointer file and no half-written object; the next add completes', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  const big = Buffer.alloc(512 << 20);
  for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
  writeFileSync(join(root, 'big.bin'), big);
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_ADD, root, 'big.bin'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.includes('"progress"')) {
      child.kill('SIGKILL');
      break;
    }
    assert.fail(`add finished before it could be killed: ${line}`);
  }
  assert.equal(await exited, 'SIGKILL');
  assert.ok(!existsSync(join(root, 'big.bin.dvc')), 'no pointer file');
  const objects = join(root, '.slipway', 'cache', 'files', 'md5');
  const published = existsSync(objects) ? readdirSync(objects, { recursive: true }).filter((p) => String(p).length > 2) : [];
  assert.deepEqual(published, [], 'no object was published');

  const repo = DataRepo.open(root);
  try {
    const [result] = await add(repo, ['big.bin']);
    assert.equal(result?.size, 512 << 20);
    assert.ok(existsSync(join(root, 'big.bin.dvc')));
    assert.deepEqual((await fsck(repo)).corrupt, []);
  } finally {
    await repo.close();
  }
});

void test('add of a file that keeps changing while it is hashed fails clearly and records nothing', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  writeFileSync(join(root, 'log.bin'), Buffer.alloc(256 << 20, 1));
  const repo = DataRepo.open(root);
  try {
    // Append from this thread for as long as the add runs: every read attempt in the worker overlaps writes.
    let settled = false;
    const adding = add(repo, ['log.bin']).finally(() => (settled = true));
    adding.catch(() => undefined); // asserted below
    while (!settled) {
      appendFileSync(join(root, 'log.bin'), 'x');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await assert.rejects(adding, /log\.bin kept changing while it was being hashed/);
    assert.ok(!existsSync(join(root, 'log.bin.dvc')));
  } finally {
    await repo.close();
  }
});

void test('a full cache disk fails add clearly, leaves no object, and the next add still runs', { skip: !isRoot && 'needs root to mount a tmpfs' }, async (t) => {
  const { root, cleanup } = makeProject();
  const cache = join(root, '.slipway', 'cache');
  mkdirSync(cache, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', cache]);
  t.after(() => {
    if (mounted.status === 0) spawnSync('umount', [cache]);
    cleanup();
  });
  if (mounted.status !== 0) {
    t.skip(`cannot mount a tmpfs here: ${mounted.stderr.toString().trim()}`);
    return;
  }
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(24 << 20, 3));
  write(root, 'small.csv', 'fits\n');
  const repo = DataRepo.open(root);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(add(repo, ['big.bin']), /The disk is full while writing .*\.slipway\/cache/);
      assert.ok(!existsSync(join(root, 'big.bin.dvc')));
      assert.deepEqual(readdirSync(join(cache, 'tmp')), [], 'the partial temporary file was removed');
    }
    const [small] = await add(repo, ['small.csv']);
    assert.equal(small?.size, 5);
  } finally {
    await repo.close();
  }
});
