import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SlipwayError } from '../errors';

/** Files or folders whose presence makes a folder a Slipway project root (the extension activates on the same). */
export const PROJECT_MARKERS = ['slipway.yaml', '.slipway', '.dvc', 'dvc.yaml'] as const;

/**
 * The project root for `start`: the nearest ancestor holding a project marker, else the enclosing git work tree's
 * root, else null.
 */
export function findProjectRoot(start: string): string | null {
  const from = resolve(start);
  if (!existsSync(from)) throw new SlipwayError('NOT_A_PROJECT', `The folder ${from} does not exist.`);
  for (let dir = from; ; dir = dirname(dir)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return dir;
    if (dirname(dir) === dir) break;
  }
  return findGitRoot(from);
}

/** The nearest ancestor holding `.git` (a folder, or a file for worktrees and submodules), else null. */
export function findGitRoot(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** Where a project keeps its files. */
export class ProjectPaths {
  constructor(readonly root: string) {}

  get stateDir(): string {
    return join(this.root, '.slipway');
  }

  get database(): string {
    return join(this.stateDir, 'slipway.db');
  }

  /** Run artifacts and model files: never the DVC cache, which `dvc gc` would prune. */
  get artifacts(): string {
    return join(this.stateDir, 'artifacts');
  }

  /** Tracked data: DVC's cache when the project uses DVC, else Slipway's own. */
  get dataCache(): string {
    return existsSync(join(this.root, '.dvc')) ? join(this.root, '.dvc', 'cache') : join(this.stateDir, 'cache');
  }

  get engineFile(): string {
    return join(this.stateDir, 'engine.json');
  }

  /** Port and token kept across daemon restarts, so terminals' environment stays valid. */
  get engineState(): string {
    return join(this.stateDir, 'engine-state.json');
  }

  get engineLog(): string {
    return join(this.stateDir, 'engine.log');
  }

  get initialized(): boolean {
    return existsSync(this.stateDir) && statSync(this.stateDir).isDirectory();
  }
}

/**
 * Resolves the project for a working directory, failing with a message that says what to do when there is none.
 */
export function requireProject(cwd: string): ProjectPaths {
  const root = findProjectRoot(cwd);
  if (!root) {
    throw new SlipwayError('NOT_A_PROJECT', `${resolve(cwd)} is not inside a Slipway project or git repository. Run \`slipway init\` in the project folder first.`);
  }
  return new ProjectPaths(root);
}
