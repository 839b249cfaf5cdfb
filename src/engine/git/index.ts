export { captureGitProvenance, MAX_STORED_DIFF_BYTES } from './provenance';
export type { GitProvenance } from './provenance';
export { recentCommits } from './log';
export type { RecentCommitsOptions } from './log';
