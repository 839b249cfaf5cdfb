import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'versioning');
/** DVC's example project's files (a copy of the shared fixture, see its PROVENANCE.md). */
export const DVC_EXAMPLE = join(FIXTURES, 'dvc-example-get-started');

/** A fresh project folder (a git repository; with `dvc`, also a `.dvc/` folder so the DVC cache is used). */
export function makeProject(options: { dvc?: boolean; git?: boolean } = {}): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'slipway-versioning-'));
  if (options.git !== false) {
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'config', 'user.email', 'test@example.com');
    git(root, 'config', 'user.name', 'Test');
  }
  if (options.dvc) {
    mkdirSync(join(root, '.dvc'));
    writeFileSync(join(root, '.dvc', 'config'), '');
  } else {
    writeFileSync(join(root, 'slipway.yaml'), 'version: 1\n');
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

export function write(root: string, rel: string, data: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), data);
}

/** Copies the reference tree (test/fixtures/versioning/tree) to `rel` inside the project. */
export function copyReferenceTree(root: string, rel: string): void {
  cpSync(join(FIXTURES, 'tree'), join(root, rel), { recursive: true });
}

/** Commits everything in `root` and clones it into a temporary folder that goes when the test ends. */
export function commitAndClone(t: TestContext, root: string, message: string): string {
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', message);
  const clone = mkdtempSync(join(tmpdir(), 'slipway-clone-'));
  t.after(() => rmSync(clone, { recursive: true, force: true }));
  spawnSync('git', ['clone', '-q', root, clone]);
  return clone;
}
