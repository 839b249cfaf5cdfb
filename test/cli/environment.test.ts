import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunResultOutput, RunShowOutput } from '../../src/shared/cli';
import { cli, gitRepo, tempDir } from '../helpers';

/** A stand-in Python interpreter on PATH: a real executable that answers the two questions Slipway asks. */
function fakePython(packages: { name: string; version: string }[]): string {
  const bin = tempDir('slipway-bin-');
  const script = `#!/bin/sh
case "$*" in
  *platform.python_version*) echo 3.11.9 ;;
  *"pip list"*) echo '${JSON.stringify(packages)}' ;;
  *) echo "training with $*" ;;
esac
`;
  writeFileSync(join(bin, 'python3'), script);
  chmodSync(join(bin, 'python3'), 0o755);
  return bin;
}

test('a Python run records its interpreter, installed packages and lock file hashes', async () => {
  const repo = gitRepo({ 'requirements.txt': 'scikit-learn==1.5.2\n' });
  mkdirSync(join(repo, 'data'));
  assert.equal((await cli(['init'], { cwd: repo })).code, 0);
  const bin = fakePython([{ name: 'numpy', version: '2.1.0' }, { name: 'scikit-learn', version: '1.5.2' }]);
  const r = await cli(['run', '--json', '--', 'python3', 'train.py'], { cwd: repo, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
  assert.equal(r.code, 0, r.stderr);
  const { runId } = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput;
  const run = JSON.parse((await cli(['runs', 'show', runId, '--json'], { cwd: repo })).stdout) as RunShowOutput;
  const tags = Object.fromEntries(run.tags.map((t) => [t.key, t.value]));
  assert.equal(tags['slipway.env.language'], 'python');
  assert.equal(tags['slipway.env.python_version'], '3.11.9');
  assert.equal(tags['slipway.env.package_count'], '2');
  assert.equal(tags['slipway.env.lockfile.requirements.txt'], createHash('md5').update('scikit-learn==1.5.2\n').digest('hex'));
  assert.ok(run.artifacts.some((a) => a.path === 'slipway/environment.json'));
});

test('a Python without pip is recorded as a note, and the run still succeeds', async () => {
  const dir = tempDir();
  assert.equal((await cli(['init'], { cwd: dir })).code, 0);
  const bin = tempDir('slipway-bin-');
  writeFileSync(join(bin, 'python'), '#!/bin/sh\ncase "$*" in *"pip list"*) echo "No module named pip" >&2; exit 1;; *) echo 3.12.0;; esac\n');
  chmodSync(join(bin, 'python'), 0o755);
  const r = await cli(['run', '--json', '--', 'python', '-c', 'pass'], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH ?? ''}` } });
  assert.equal(r.code, 0, r.stderr);
  const { runId } = JSON.parse(r.stdout.slice(r.stdout.indexOf('{\n'))) as RunResultOutput;
  const run = JSON.parse((await cli(['runs', 'show', runId, '--json'], { cwd: dir })).stdout) as RunShowOutput;
  const note = run.tags.find((t) => t.key === 'slipway.env.note')?.value ?? '';
  assert.match(note, /Package versions not recorded/);
  assert.equal(run.artifacts.some((a) => a.path === 'slipway/environment.json'), false);
});
