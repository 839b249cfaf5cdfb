import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic';

/**
 * Adds `/name` to the `.gitignore` of `folder` (DVC's style: one anchored entry per tracked path, in the folder that
 * holds it), unless an identical line is there. Returns whether the file changed.
 */
export async function ignoreInGit(folder: string, name: string): Promise<boolean> {
  const path = join(folder, '.gitignore');
  const entry = '/' + name.replace(/([\\*?[\]!# ])/g, '\\$1');
  let text = '';
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text.split(/\r?\n/).includes(entry)) return false;
  const sep = text && !text.endsWith('\n') ? '\n' : '';
  await writeFileAtomic(path, `${text}${sep}${entry}\n`);
  return true;
}
