/** What a command needs before it can do anything useful. */
export type Precondition = 'engine' | 'trust';

export interface Circumstances {
  engineConnected: boolean;
  engineProblem: string | undefined;
  trusted: boolean;
}

/** The sentence that explains why `title` cannot run now, or null when it can. */
export function unmetPrecondition(title: string, needs: readonly Precondition[], now: Circumstances): string | null {
  if (needs.includes('trust') && !now.trusted) {
    return `"Slipway: ${title}" needs a trusted workspace, because the engine reads and runs this folder's project files. Trust the workspace (Workspaces: Manage Workspace Trust), then try again.`;
  }
  if (needs.includes('engine') && !now.engineConnected) {
    const why = now.engineProblem ?? 'The Slipway engine is not running.';
    return `"Slipway: ${title}" needs the Slipway engine. ${why} Run "Slipway: Start Engine" (or \`slipway engine start\` in a terminal), then try again.`;
  }
  return null;
}
