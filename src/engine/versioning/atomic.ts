import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsError } from './workspace';

/**
 * Replaces `path` with `text` through a temporary file in the same folder and a rename, so readers (and a process
 * killed midway) see the old file or the new one, never part of either.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, text, { flag: 'wx' });
    await fs.rename(tmp, path);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw fsError(error, path);
  }
}

/**
 * Writes `text` to a new `.tmp-<random>` file beside `path` (creating the folder) and fsyncs it; the caller links or
 * renames it into place. Remote listings skip the `.tmp-` names, so a killed writer leaves nothing visible.
 */
export async function writeSyncedTemp(path: string, text: string): Promise<string> {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.tmp-${randomBytes(8).toString('hex')}`);
  const handle = await fs.open(tmp, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

/**
 * Replaces `path` with `text`, synced to disk before the rename: readers see the old content or the new, never a mix,
 * and a crash after it returns keeps the new content.
 */
export async function replaceFileSynced(path: string, text: string): Promise<void> {
  const tmp = await writeSyncedTemp(path, text);
  try {
    await fs.rename(tmp, path);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** A file's text, or null when it does not exist. */
export async function readOptional(path: string): Promise<string | null> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
