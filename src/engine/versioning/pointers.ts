import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { SlipwayError } from '../errors';
import { YamlFile } from '../yaml';
import { parseDvcFile, type DvcFile, type DvcOut } from './dvcfile';

/** A tracked path: one output of one `.dvc` file. */
export interface Tracked {
  /** The `.dvc` file, relative to the project root, `/`-separated. */
  dvcFile: string;
  out: DvcOut;
  /** The tracked path relative to the project root, `/`-separated. */
  path: string;
  file: DvcFile;
}

/** Folders never searched for `.dvc` files or hashed inside a tracked directory. */
export const SKIPPED_DIRS = new Set(['.git', '.dvc', '.slipway', 'node_modules']);

/** Root-relative, `/`-separated form of an absolute path. */
export function toRel(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}

/** Parses `.dvc` text; throws CONFIG_INVALID naming the file and line of every problem. */
export function parsePointerText(root: string, dvcRel: string, text: string): Tracked[] {
  const yaml = new YamlFile(dvcRel, text);
  const file = parseDvcFile(yaml);
  yaml.throwIfErrors();
  const folder = dirname(dvcRel);
  return file.outs.map((out) => ({
    dvcFile: dvcRel,
    out,
    path: folder === '.' ? out.path : `${folder}/${out.path}`,
    file,
  }));
}

/** Reads one `.dvc` file from the workspace. */
export function readPointer(root: string, dvcRel: string): Tracked[] {
  const yaml = YamlFile.read(join(root, dvcRel));
  return parsePointerText(root, dvcRel, yaml.text);
}

/**
 * Every `.dvc` file in the workspace (root-relative), found by walking the tree. Folders that a `.dvc` file beside
 * them tracks are not entered, so a tracked directory of many files costs nothing here.
 */
export function findPointerFiles(root: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    let names: import('node:fs').Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return;
      throw error;
    }
    const pointers = names.filter((d) => d.isFile() && d.name.endsWith('.dvc') && d.name !== '.dvc');
    const tracked = new Set(pointers.map((d) => d.name.slice(0, -4)));
    for (const d of pointers) found.push(toRel(root, join(dir, d.name)));
    for (const d of names) {
      if (d.isDirectory() && !SKIPPED_DIRS.has(d.name) && !tracked.has(d.name)) visit(join(dir, d.name));
    }
  };
  visit(root);
  return found.sort();
}

/** Every tracked path in the workspace. */
export function allTracked(root: string): Tracked[] {
  return findPointerFiles(root).flatMap((f) => readPointer(root, f));
}

/**
 * The tracked paths that `targets` name: a `.dvc` file, a tracked path, or a folder (everything tracked below it).
 * No targets means everything. A target that names nothing tracked is an error saying so.
 */
export function selectTracked(root: string, cwd: string, targets: readonly string[] | undefined, all: readonly Tracked[] = allTracked(root)): Tracked[] {
  if (!targets?.length) return [...all];
  const picked = new Map<string, Tracked>();
  for (const target of targets) {
    const abs = resolve(cwd, target);
    const rel = toRel(root, abs);
    if (rel.startsWith('..')) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${target} is outside the project ${root}.`);
    const matches = all.filter(
      (t) => t.dvcFile === rel || t.path === rel || rel === '' || t.path.startsWith(rel + '/') || t.dvcFile.startsWith(rel + '/'),
    );
    if (!matches.length) {
      const hint = existsSync(abs) ? `Track it first with \`slipway add ${target}\`.` : 'Check the path.';
      throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${target} is not tracked (no .dvc file names it). ${hint}`);
    }
    for (const m of matches) picked.set(m.path, m);
  }
  return [...picked.values()];
}

/** The `.dvc` file that would track `rel` (DVC names it after the path: `data/x.csv` → `data/x.csv.dvc`). */
export function pointerFor(rel: string): string {
  return `${rel}.dvc`;
}

export { basename };
