import { simpleGit } from 'simple-git';
import type { GitCommit } from '../../shared/data-api';
import { messageOf } from '../errors';
import { quietGitEnv } from './provenance';

export interface RecentCommitsOptions {
  /** At most this many commits (1..1000). */
  max: number;
  /** Only commits that change a `.dvc` file below `root`. */
  dvcOnly?: boolean;
}

// Unit and record separators cannot appear in subjects or names, so no quoting is needed.
const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * The newest commits reachable from HEAD of the repository holding `root`. A folder outside git, or a repository
 * without commits yet, yields no commits and a `reason` a view can show.
 */
export async function recentCommits(root: string, options: RecentCommitsOptions): Promise<{ commits: GitCommit[]; reason?: string }> {
  const git = simpleGit({ baseDir: root, trimmed: false }).env(quietGitEnv());
  try {
    if ((await git.raw(['rev-parse', '--is-inside-work-tree'])).trim() !== 'true') return { commits: [], reason: `${root} is not inside a git work tree.` };
  } catch {
    return { commits: [], reason: `${root} is not a git repository, so there are no revisions to restore.` };
  }
  try {
    await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  } catch {
    return { commits: [], reason: 'The git repository has no commits yet.' };
  }
  const args = ['log', `--max-count=${options.max}`, `--format=%H${FIELD}%s${FIELD}%an${FIELD}%aI${RECORD}`, 'HEAD'];
  // `*.dvc` matches at any depth: pathspec wildcards cross `/`.
  if (options.dvcOnly) args.push('--', '*.dvc');
  let out: string;
  try {
    out = await git.raw(args);
  } catch (error) {
    return { commits: [], reason: `git log failed: ${messageOf(error).trim().split('\n')[0] ?? ''}` };
  }
  const commits: GitCommit[] = [];
  for (const record of out.split(RECORD)) {
    const [hash, subject, author, date] = record.replace(/^\n/, '').split(FIELD);
    if (hash && subject !== undefined && author !== undefined && date !== undefined) commits.push({ hash, subject, author, date: date.trim() });
  }
  return { commits };
}
