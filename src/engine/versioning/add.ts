import { constants, existsSync, promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SlipwayError } from '../errors';
import { YamlFile } from '../yaml';
import { writeFileAtomic } from './atomic';
import { parseDvcFile, serializeDvcFile, type DvcFile, type DvcOut } from './dvcfile';
import { ignoreInGit } from './gitignore';
import { findPointerFiles, pointerFor, SKIPPED_DIRS, toRel } from './pointers';
import type { DataRepo, ProgressCallback } from './repo';
import type { DataAddResult } from '../../shared/cli';
import type { StateRecord } from './state';
import { oidOf, statOrNull, versionOf, type WorkspaceVersion } from './workspace';

export interface AddOptions {
  /** Folder that relative targets are resolved against (default: the project root). */
  cwd?: string;
  onProgress?: ProgressCallback;
}

/** What `add` recorded for one path. */
/** One path recorded by `add`, as `slipway add --json` prints it. */
export type AddResult = DataAddResult;

/**
 * Tracks files or folders: hashes them (DVC 3: md5 of raw bytes; folders by their sorted listing), copies their
 * bytes into the data cache, writes `<path>.dvc` and adds `/<name>` to the folder's `.gitignore`. Cache objects and
 * the `.dvc` file appear through renames, so a killed add leaves neither half-written; the pointer is written only
 * after every object it names is in the cache.
 */
export async function add(repo: DataRepo, targets: readonly string[], options: AddOptions = {}): Promise<AddResult[]> {
  if (!targets.length) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Name at least one file or folder to track.');
  const cwd = options.cwd ?? repo.root;
  const rels = targets.map((t) => checkTarget(repo.root, cwd, t));
  const results: AddResult[] = [];
  const fresh = new Map<string, StateRecord>();
  const startedNs = BigInt(Date.now()) * 1_000_000n;
  for (const rel of rels) {
    const version = await versionOf(repo, rel, { store: true, onProgress: options.onProgress, fresh });
    if (!version) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${join(repo.root, rel)} does not exist.`);
    if (repo.cacheType === 'reflink') await relinkWorkspace(repo, rel, version);
    results.push(await writePointer(repo, rel, version));
    await ignoreInGit(dirname(join(repo.root, rel)), basename(rel));
  }
  repo.state.save(fresh, startedNs, rels);
  return results;
}

function checkTarget(root: string, cwd: string, target: string): string {
  const abs = resolve(cwd, target);
  const rel = toRel(root, abs);
  if (!rel || rel.startsWith('../') || rel === '..') throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} is not inside the project ${root}; track paths below the project root.`);
  const parts = rel.split('/');
  if (parts.some((p) => SKIPPED_DIRS.has(p))) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} is inside ${parts.find((p) => SKIPPED_DIRS.has(p))}/, which Slipway never tracks.`);
  if (rel.endsWith('.dvc')) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} is a .dvc file; name the data it tracks instead.`);
  const st = statOrNull(abs);
  if (!st) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${abs} does not exist; nothing was tracked.`);
  for (let i = 1; i < parts.length; i++) {
    const ancestor = parts.slice(0, i).join('/');
    if (existsSync(join(root, pointerFor(ancestor)))) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} is inside ${ancestor}, which ${pointerFor(ancestor)} already tracks as a whole. Run \`slipway add ${ancestor}\` to record its new version.`);
    }
  }
  if (st.isDirectory()) {
    const nested = findPointerFiles(abs).map((p) => `${rel}/${p}`);
    if (nested.length) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} contains tracked data (${nested.slice(0, 3).join(', ')}); a path cannot be tracked both as a whole and in parts.`);
    }
  }
  return rel;
}

async function writePointer(repo: DataRepo, rel: string, version: WorkspaceVersion): Promise<AddResult> {
  const dvcRel = pointerFor(rel);
  const dvcAbs = join(repo.root, dvcRel);
  const name = basename(rel);
  let file: DvcFile = { outs: [], extra: [], outsIndex: 0 };
  let before: string | null = null;
  if (existsSync(dvcAbs)) {
    const yaml = YamlFile.read(dvcAbs);
    file = parseDvcFile(yaml);
    yaml.throwIfErrors();
    before = yaml.text;
  }
  const previous = file.outs.find((o) => o.path === name);
  const out: DvcOut = {
    path: name,
    md5: oidOf(version),
    size: version.size,
    ...(version.kind === 'dir' ? { nfiles: version.nfiles } : {}),
    ...(version.kind === 'file' && version.isexec ? { isexec: true } : {}),
    hash: 'md5',
    extra: previous?.extra ?? [],
    line: previous?.line ?? 0,
  };
  file.outs = previous ? file.outs.map((o) => (o === previous ? out : o)) : [...file.outs, out];
  const text = serializeDvcFile(file);
  if (text !== before) await writeFileAtomic(dvcAbs, text);
  return {
    path: rel,
    dvcFile: dvcRel,
    md5: out.md5!,
    size: version.size,
    ...(version.kind === 'dir' ? { nfiles: version.nfiles } : {}),
    changed: text !== before,
  };
}

/** With cache type reflink, workspace files become copy-on-write clones of their objects (sharing disk blocks). */
async function relinkWorkspace(repo: DataRepo, rel: string, version: WorkspaceVersion): Promise<void> {
  const pairs: [string, string][] =
    version.kind === 'file' ? [[rel, version.md5]] : version.entries.map((e) => [`${rel}/${e.relpath}`, e.md5]);
  for (const [path, md5] of pairs) {
    const abs = join(repo.root, path);
    const tmp = `${abs}.${process.pid}.reflink.tmp`;
    try {
      await fs.copyFile(repo.cache.pathOf(md5), tmp, constants.COPYFILE_FICLONE_FORCE);
      const st = await fs.stat(abs);
      await fs.chmod(tmp, st.mode & 0o777);
      await fs.rename(tmp, abs);
    } catch {
      await fs.rm(tmp, { force: true });
      return; // the filesystem cannot clone: the workspace copy stays as it is
    }
  }
}
