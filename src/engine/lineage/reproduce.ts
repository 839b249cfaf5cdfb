import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { SlipwayError, messageOf } from '../errors';
import { quietGitEnv } from '../git/provenance';
import { findGitRoot, type OpenProject } from '../project';
import { GIT_TAGS, getRun, openArtifact } from '../tracking';
import { GIT_DIFF_ARTIFACT } from '../tracking/provenance';
import { DataRepo } from '../versioning';
import { loadListing } from '../versioning/listing';
import { forEachLimit, restoreFile } from '../versioning/restore';
import { dataVersionsOfRun } from './lineage';

/** What `slipway runs reproduce` did. */
export interface ReproduceResult {
  runId: string;
  into: string;
  commit: string;
  diffApplied: boolean;
  data: { path: string; md5: string; files: number }[];
  /** The recorded command, run from the reproduced project folder; null when none was recorded. */
  command: string | null;
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('git', args, { cwd, env: quietGitEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new SlipwayError('INTERNAL_ERROR', `git ${args[0]} failed in ${cwd}: ${stderr.trim() || messageOf(error)}`));
      else resolvePromise(stdout);
    });
  });
}

/** POSIX shell quoting for a path printed inside a command line. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Recreates run `runId` in `into`: a detached git worktree at the recorded commit, the stored uncommitted diff applied
 * with `git apply --binary`, and every recorded data version restored from the data cache (objects verified while
 * copied). Refuses, before changing anything, when the run has no commit, its diff was too large to store, `into` is
 * not empty, or the cache lacks an object.
 */
export async function reproduceRun(project: OpenProject, runId: string, into: string): Promise<ReproduceResult> {
  const run = getRun(project.tracking, runId);
  const tags = new Map((run.data.tags ?? []).map((t) => [t.key, t.value]));
  const commit = tags.get(GIT_TAGS.commit);
  if (!commit) throw new SlipwayError('INVALID_STATE', `Run ${runId} recorded no git commit (it did not run in a git repository), so its code cannot be recreated.`);
  const note = tags.get(GIT_TAGS.diffNote);
  if (note) throw new SlipwayError('INVALID_STATE', `Run ${runId} cannot be reproduced exactly: ${note}`);
  const gitRoot = findGitRoot(project.paths.root);
  if (!gitRoot) throw new SlipwayError('INVALID_STATE', `${project.paths.root} is not in a git repository; reproduce from the repository the run came from.`);
  const target = resolve(into);
  if (existsSync(target) && readdirSync(target).length > 0) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} is not empty; give a new or empty folder.`);

  const versions = dataVersionsOfRun(project.store, runId);
  const repo = DataRepo.open(project.paths.root, { store: project.store });
  try {
    const plans: { path: string; md5: string; isexec: boolean; files: { rel: string; md5: string; isexec: boolean }[] }[] = [];
    for (const v of versions) {
      if (v.md5.endsWith('.dir')) {
        const listing = await loadListing(repo.cache, v.md5);
        if (!listing) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot reproduce ${v.path}: its listing ${v.md5} is not in the cache ${repo.cache.root}. Pull it from a remote first; nothing was changed.`);
        plans.push({ ...v, files: listing.map((e) => ({ rel: `${v.path}/${e.relpath}`, md5: e.md5, isexec: false })) });
      } else {
        plans.push({ ...v, files: [{ rel: v.path, md5: v.md5, isexec: v.isexec }] });
      }
    }
    for (const plan of plans) {
      for (const f of plan.files) {
        if (!(await repo.cache.has(f.md5))) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Cannot reproduce ${plan.path}: object ${f.md5} is not in the cache ${repo.cache.root}. Pull it from a remote first; nothing was changed.`);
      }
    }

    await git(gitRoot, ['worktree', 'add', '--detach', target, commit]);
    let diffApplied = false;
    const hasDiff = run.data.tags?.some((t) => t.key === GIT_TAGS.diffMd5) ?? false;
    if (hasDiff) {
      const { stream } = openArtifact(project.tracking, runId, GIT_DIFF_ARTIFACT);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const patch = join(await fs.mkdtemp(join(tmpdir(), 'slipway-reproduce-')), 'git.diff');
      try {
        await fs.writeFile(patch, Buffer.concat(chunks));
        await git(target, ['apply', '--binary', '--whitespace=nowarn', patch]);
        diffApplied = true;
      } finally {
        await fs.rm(join(patch, '..'), { recursive: true, force: true });
      }
    }
    const projectDir = join(target, relative(gitRoot, project.paths.root));
    for (const plan of plans) {
      await fs.rm(join(projectDir, plan.path), { recursive: true, force: true });
      await forEachLimit(plan.files, 16, (f) => restoreFile(repo, f.md5, join(projectDir, f.rel), f.isexec));
    }
    const recorded = tags.get('slipway.command') ?? null;
    return {
      runId,
      into: target,
      commit,
      diffApplied,
      data: plans.map((p) => ({ path: p.path, md5: p.md5, files: p.files.length })),
      command: recorded === null ? null : `cd ${shellQuote(projectDir)} && ${recorded}`,
    };
  } finally {
    await repo.close();
  }
}
