import { simpleGit } from 'simple-git';
import { SlipwayError, messageOf } from '../errors';
import { quietGitEnv } from '../git/provenance';
import { parsePointerText, type Tracked } from './pointers';

/** The `.dvc` files of a git revision: their parsed outputs and their text, keyed by root-relative path. */
export interface RevisionPointers {
  rev: string;
  tracked: Tracked[];
  texts: Map<string, string>;
}

/**
 * Reads every `.dvc` file that git revision `rev` holds below the project root (`git ls-tree`, then
 * `git show rev:./path`), without touching the work tree. A revision git does not know is a clear error.
 */
export async function pointersAtRevision(root: string, rev: string): Promise<RevisionPointers> {
  const git = simpleGit({ baseDir: root }).env(quietGitEnv());
  let listing: string;
  try {
    listing = await git.raw(['ls-tree', '-r', '-z', '--name-only', rev, '--', '.']);
  } catch (error) {
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Git revision "${rev}" is not known in ${root} (${messageOf(error).trim().split('\n')[0]}). Check the name with \`git log\`.`);
  }
  const files = listing.split('\0').filter((p) => p.endsWith('.dvc') && !p.startsWith('.dvc/') && !p.includes('/.dvc/'));
  const tracked: Tracked[] = [];
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = await git.show([`${rev}:./${file}`]);
    texts.set(file, text);
    try {
      tracked.push(...parsePointerText(root, file, text));
    } catch (error) {
      if (error instanceof SlipwayError) throw new SlipwayError(error.code, `At revision ${rev}: ${error.message}`);
      throw error;
    }
  }
  return { rev, tracked, texts };
}
