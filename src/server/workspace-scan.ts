import { readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

const SKIPPED = new Set(['node_modules', '__pycache__', 'venv']);

/**
 * Finds files whose name satisfies `matches` (or is one of the given names) under `root`, skipping dot-folders (.git,
 * .dvc, .slipway, .venv) and dependency folders, down to `maxDepth` levels and at most `limit` folders, so a huge
 * workspace cannot stall the server.
 */
export async function findFiles(root: string, matches: readonly string[] | ((name: string) => boolean), maxDepth = 6, limit = 5000): Promise<string[]> {
  const wanted = typeof matches === 'function' ? matches : (name: string) => matches.includes(name);
  const found: string[] = [];
  let visited = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > maxDepth || visited++ >= limit) return;
    let children;
    try {
      children = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folders are not ours to report
    }
    for (const child of children) {
      if (child.isFile() && wanted(child.name)) found.push(join(dir, child.name));
    }
    for (const child of children) {
      if (child.isDirectory() && scanned(child.name)) await walk(join(dir, child.name), depth + 1);
    }
  };
  await walk(root, 0);
  return found.sort();
}

const scanned = (folder: string): boolean => !folder.startsWith('.') && !SKIPPED.has(folder);

/** True when {@link findFiles} would look at `path`: inside one of `roots` and in no skipped folder. */
export function inScannedFolder(roots: readonly string[], path: string): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return false;
    return rel.split(sep).slice(0, -1).every(scanned);
  });
}
