import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SlipwayError } from '../errors';
import { Store } from '../store';
import { findGitRoot, ProjectPaths } from './project';

export interface InitResult {
  root: string;
  created: boolean;
  gitignoreUpdated: boolean;
}

/**
 * Makes `dir` a Slipway project: creates `.slipway/` and the store, and git-ignores `.slipway/` in the repository's
 * .gitignore (or the folder's own when outside git). Running it again changes nothing.
 */
export function initProject(dir: string): InitResult {
  const root = resolve(dir);
  if (!existsSync(root)) throw new SlipwayError('NOT_A_PROJECT', `The folder ${root} does not exist.`);
  const paths = new ProjectPaths(root);
  const created = !paths.initialized;
  mkdirSync(paths.stateDir, { recursive: true });
  Store.open(paths.database).close();
  const gitRoot = findGitRoot(root) ?? root;
  const ignoreFile = join(gitRoot, '.gitignore');
  const entry = `/${relativeFromRoot(gitRoot, paths.stateDir)}/`;
  const existing = existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '';
  const lines = existing.split(/\r?\n/).map((l) => l.trim());
  const already = lines.includes(entry) || lines.includes(entry.slice(1)) || lines.includes(entry.slice(0, -1)) || lines.includes(entry.slice(1, -1));
  if (!already) appendFileSync(ignoreFile, `${existing && !existing.endsWith('\n') ? '\n' : ''}${entry}\n`);
  return { root, created, gitignoreUpdated: !already };
}

function relativeFromRoot(root: string, path: string): string {
  return path.slice(root.length + 1).split(/[\\/]/).join('/');
}
