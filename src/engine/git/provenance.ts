import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** The object id of git's empty tree, to diff against in a repository without commits. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Above this size the diff is not stored; its hash and size are recorded instead. */
export const MAX_STORED_DIFF_BYTES = 10 * 1024 * 1024;

export type GitProvenance =
  | { repository: false }
  | {
      repository: true;
      root: string;
      /** HEAD's commit, or null in a repository without commits. */
      commit: string | null;
      /** Current branch, or null when HEAD is detached. */
      branch: string | null;
      dirty: boolean;
      /**
       * `git diff --binary` from HEAD to the work tree, untracked non-ignored files included: applying it to a checkout
       * of `commit` rebuilds the tree. Null when the tree is clean or the diff is over MAX_STORED_DIFF_BYTES.
       */
      diff: Buffer | null;
      diffMd5: string | null;
      diffSize: number;
    };

/**
 * Records which code a run used. The uncommitted state is taken through a throwaway copy of the index, so the
 * user's staging area is never touched.
 */
export async function captureGitProvenance(dir: string): Promise<GitProvenance> {
  const env = quietGitEnv();
  const git = simpleGit({ baseDir: dir, trimmed: true }).env(env);
  let isRepo = false;
  try {
    isRepo = await git.checkIsRepo();
  } catch {
    isRepo = false;
  }
  if (!isRepo) return { repository: false };

  const root = await git.revparse(['--show-toplevel']);
  const top = simpleGit({ baseDir: root, trimmed: false }).env(env);
  const commit = await optional(git.revparse(['--verify', '--quiet', 'HEAD^{commit}']));
  const branchName = await optional(git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']));
  const diff = await workTreeDiff(top, root, commit);
  return {
    repository: true,
    root,
    commit: commit || null,
    branch: branchName?.trim() || null,
    dirty: diff.size > 0,
    diff: diff.size > 0 ? diff.kept : null,
    diffMd5: diff.size > 0 ? diff.md5 : null,
    diffSize: diff.size,
  };
}

/**
 * The environment for the read-only git commands used here, without the variables that make git start editors,
 * pagers, credential prompts or external programs (simple-git refuses to run with them set, and none is needed).
 */
export function quietGitEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/EDITOR|PAGER|ASKPASS|SSH_COMMAND|^GIT_CONFIG|^GIT_PROXY|^GIT_EXTERNAL_DIFF|^GIT_TEMPLATE_DIR|^GIT_EXEC_PATH|^GIT_SSH$/.test(key) || key === 'VISUAL') continue;
    env[key] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}

async function workTreeDiff(git: SimpleGit, root: string, commit: string | null): Promise<DiffBytes> {
  let indexPath = (await git.revparse(['--git-path', 'index'])).trim();
  if (!isAbsolute(indexPath)) indexPath = join(root, indexPath);
  const scratch = join(tmpdir(), `slipway-index-${randomBytes(6).toString('hex')}`);
  try {
    if (existsSync(indexPath)) copyFileSync(indexPath, scratch);
    const scratchGit = git.env({ ...quietGitEnv(), GIT_INDEX_FILE: scratch });
    await scratchGit.raw(['add', '--all', '--', '.']);
    return await rawDiff(root, scratch, commit ?? EMPTY_TREE);
  } finally {
    rmSync(scratch, { force: true });
  }
}

interface DiffBytes {
  kept: Buffer | null;
  md5: string;
  size: number;
}

/**
 * Runs the diff itself as a child process so its bytes arrive untouched (simple-git decodes output as UTF-8, which
 * would corrupt text in other encodings) and are hashed as they stream; only the first 10 MB are kept.
 */
function rawDiff(root: string, indexFile: string, base: string): Promise<DiffBytes> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['diff', '--cached', '--binary', '--no-color', '--no-ext-diff', base], {
      cwd: root,
      env: { ...quietGitEnv(), GIT_INDEX_FILE: indexFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const hash = createHash('md5');
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      if (size <= MAX_STORED_DIFF_BYTES) chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git diff failed in ${root}: ${stderr.trim()}`));
      resolve({ kept: size <= MAX_STORED_DIFF_BYTES ? Buffer.concat(chunks) : null, md5: hash.digest('hex'), size });
    });
  });
}

async function optional(promise: Promise<string>): Promise<string | null> {
  try {
    const value = await promise;
    return value.trim() || null;
  } catch {
    return null;
  }
}
