import { captureGitProvenance, MAX_STORED_DIFF_BYTES, type GitProvenance } from '../git';
import type { TrackingContext } from './context';
import { logArtifact } from './artifacts';
import { logBatch } from './logging';

/** Tags that carry a run's code provenance (MLflow's names where MLflow has one). */
export const GIT_TAGS = {
  commit: 'mlflow.source.git.commit',
  branch: 'mlflow.source.git.branch',
  repoRoot: 'slipway.git.root',
  dirty: 'slipway.git.dirty',
  repository: 'slipway.git.repository',
  diffMd5: 'slipway.git.diff_md5',
  diffSize: 'slipway.git.diff_size',
  diffNote: 'slipway.git.diff_note',
} as const;

export const GIT_DIFF_ARTIFACT = 'slipway/git.diff';

/**
 * Records which code a run used: commit, branch and dirty flag as tags, and the uncommitted state as the artifact
 * `slipway/git.diff` (up to 10 MB; beyond that its hash, size and a note). A folder outside git is recorded as such.
 */
export async function recordGitProvenance(ctx: TrackingContext, runId: string, dir: string): Promise<GitProvenance> {
  const git = await captureGitProvenance(dir);
  if (!git.repository) {
    logBatch(ctx, { run_id: runId, tags: [{ key: GIT_TAGS.repository, value: 'none' }] });
    return git;
  }
  const tags: { key: string; value: string }[] = [
    { key: GIT_TAGS.repository, value: 'git' },
    { key: GIT_TAGS.repoRoot, value: git.root },
    { key: GIT_TAGS.dirty, value: String(git.dirty) },
  ];
  if (git.commit) tags.push({ key: GIT_TAGS.commit, value: git.commit });
  if (git.branch) tags.push({ key: GIT_TAGS.branch, value: git.branch });
  if (git.dirty && git.diffMd5) {
    tags.push({ key: GIT_TAGS.diffMd5, value: git.diffMd5 }, { key: GIT_TAGS.diffSize, value: String(git.diffSize) });
    if (git.diff) await logArtifact(ctx, runId, GIT_DIFF_ARTIFACT, { data: git.diff });
    else tags.push({ key: GIT_TAGS.diffNote, value: `The uncommitted diff is ${git.diffSize} bytes, over the ${MAX_STORED_DIFF_BYTES} byte limit; only its md5 is recorded.` });
  }
  logBatch(ctx, { run_id: runId, tags });
  return git;
}
