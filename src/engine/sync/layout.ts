import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where Slipway's own records live in a project remote. Everything is under `slipway/`, never under `files/md5/`,
 * which `dvc gc --cloud` prunes of objects no .dvc file names.
 */
export class RemoteLayout {
  constructor(readonly remoteRoot: string) {}

  get base(): string {
    return join(this.remoteRoot, 'slipway');
  }

  /** One JSON file per finished run, written once. */
  runFile(runId: string): string {
    return join(this.base, 'runs', `${runId}.json`);
  }

  get runsDir(): string {
    return join(this.base, 'runs');
  }

  /** Run artifacts and model files, content-addressed like the data objects (`files/md5/xx/rest` below it). */
  get artifacts(): string {
    return join(this.base, 'artifacts');
  }

  /** The registry's state as of the last push (replaced atomically; the audit log is the history). */
  get snapshot(): string {
    return join(this.base, 'registry', 'snapshot.json');
  }

  get auditDir(): string {
    return join(this.base, 'audit');
  }

  /** One file per audit entry: `audit/<origin>/<seq>.json`, never rewritten. */
  auditFile(origin: string, seq: number): string {
    return join(this.auditDir, origin, `${String(seq).padStart(10, '0')}.json`);
  }
}

async function writeTemp(path: string, text: string): Promise<string> {
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
 * Writes a file that must never change once written: complete in a temporary file, then linked into place, which
 * fails instead of replacing when the name exists. Returns false (writing nothing) when it already exists.
 */
export async function writeOnce(path: string, text: string): Promise<boolean> {
  const tmp = await writeTemp(path, text);
  try {
    await fs.link(tmp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Replaces a file atomically: readers see the old content or the new, never a mix. */
export async function writeReplace(path: string, text: string): Promise<void> {
  const tmp = await writeTemp(path, text);
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

/** Names in a folder (none when it does not exist), temporary files excluded. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).filter((n) => !n.startsWith('.tmp-')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
