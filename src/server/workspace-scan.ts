import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED = new Set(['node_modules', '__pycache__', 'venv']);

/**
 * Finds files with one of `names` under `root`, skipping dot-folders (.git, .dvc, .slipway, .venv) and dependency
 * folders, down to `maxDepth` levels and at most `limit` folders, so a huge workspace cannot stall the server.
 */
export async function findFiles(root: string, names: readonly string[], maxDepth = 6, limit = 5000): Promise<string[]> {
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
      if (child.isFile() && names.includes(child.name)) found.push(join(dir, child.name));
    }
    for (const child of children) {
      if (child.isDirectory() && !child.name.startsWith('.') && !SKIPPED.has(child.name)) await walk(join(dir, child.name), depth + 1);
    }
  };
  await walk(root, 0);
  return found.sort();
}
