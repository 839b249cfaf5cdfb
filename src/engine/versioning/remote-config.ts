import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isMap, parseDocument, type Node } from 'yaml';
import { SlipwayError } from '../errors';
import { asBoolean, asMap, asString, entries, type YamlFile } from '../yaml';
import { writeFileAtomic } from './atomic';

/** A configured remote. */
export interface RemoteSpec {
  name: string;
  /** As written: a filesystem path (absolute, or relative to the config's folder) or a URL. */
  url: string;
  isDefault: boolean;
}

/** The `remotes:` section of slipway.yaml: `NAME: { url: URL, default: true }` per remote. */
export const remotesSection = {
  name: 'remotes' as const,
  description: 'Where `slipway push` and `pull` share data objects (used when the project has no .dvc/ folder).',
  defaults: (): RemoteSpec[] => [],
  parse(file: YamlFile, node: Node | null): RemoteSpec[] {
    const out: RemoteSpec[] = [];
    const map = asMap(file, node, 'remotes');
    if (!map) return out;
    for (const { key, value } of entries(file, map)) {
      const body = asMap(file, value, `remotes.${key}`);
      if (!body) continue;
      const spec: RemoteSpec = { name: key, url: '', isDefault: false };
      for (const field of entries(file, body)) {
        if (field.key === 'url') spec.url = asString(file, field.value, `remotes.${key}.url`) ?? '';
        else if (field.key === 'default') spec.isDefault = asBoolean(file, field.value, `remotes.${key}.default`) ?? false;
        else file.report(field.keyNode, `Unknown key "${field.key}" in remotes.${key}. Known keys: url, default.`, 'config/unknown-key');
      }
      if (!spec.url) file.report(body, `remotes.${key} needs a url.`, 'config/remote-url');
      out.push(spec);
    }
    return out;
  },
};

/** Remotes from DVC's `.dvc/config` (and `config.local`): `['remote "NAME"']` sections and `[core] remote`. */
export function dvcRemotes(root: string): RemoteSpec[] {
  const byName = new Map<string, RemoteSpec>();
  let defaultName: string | null = null;
  for (const name of ['config', 'config.local']) {
    const path = join(root, '.dvc', name);
    if (!existsSync(path)) continue;
    let section = '';
    for (const raw of readFileSync(path, 'utf8').split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith(';')) continue;
      const header = /^\[\s*'?(.+?)'?\s*\]$/.exec(line);
      if (header) {
        section = header[1]!;
        continue;
      }
      const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
      if (!kv) continue;
      const remote = /^remote\s+"(.+)"$/.exec(section);
      if (remote && kv[1] === 'url') {
        // Relative paths in DVC's config are relative to the .dvc folder.
        const url = isUrl(kv[2]!) || isAbsolute(kv[2]!) ? kv[2]! : resolve(root, '.dvc', kv[2]!);
        byName.set(remote[1]!, { name: remote[1]!, url, isDefault: false });
      }
      if (section === 'core' && kv[1] === 'remote') defaultName = kv[2]!;
    }
  }
  const specs = [...byName.values()];
  for (const s of specs) s.isDefault = s.name === defaultName;
  return specs;
}

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/**
 * Records a remote: in `.dvc/config` when the project uses DVC (so `dvc push` sees it too), else in slipway.yaml's
 * `remotes:` (comments and other sections kept). A name that exists is an error unless `replace`.
 */
export async function addRemote(root: string, name: string, url: string, options: { isDefault?: boolean; replace?: boolean } = {}): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${name}" is not a valid remote name; use letters, digits, "_", "-" and ".".`);
  if (existsSync(join(root, '.dvc'))) {
    const path = join(root, '.dvc', 'config');
    if (dvcRemotes(root).some((r) => r.name === name) && !options.replace) {
      throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Remote "${name}" already exists in ${path}; choose another name or replace it.`);
    }
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const without = removeIniSection(text, `'remote "${name}"'`);
    let next = `${without}${without && !without.endsWith('\n') ? '\n' : ''}['remote "${name}"']\n    url = ${url}\n`;
    if (options.isDefault) next = `${removeIniSection(next, 'core')}[core]\n    remote = ${name}\n`;
    await writeFileAtomic(path, next);
    return path;
  }
  const path = join(root, 'slipway.yaml');
  const doc = parseDocument(existsSync(path) ? readFileSync(path, 'utf8') : 'version: 1\n');
  if (doc.hasIn(['remotes', name]) && !options.replace) {
    throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Remote "${name}" already exists in ${path}; choose another name or replace it.`);
  }
  const existing = doc.get('remotes');
  if (options.isDefault && isMap(existing)) {
    for (const pair of existing.items) if (isMap(pair.value)) pair.value.delete('default');
  }
  doc.setIn(['remotes', name], doc.createNode(options.isDefault ? { url, default: true } : { url }));
  await writeFileAtomic(path, doc.toString({ indentSeq: false }));
  return path;
}

function removeIniSection(text: string, section: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    const header = /^\s*\[(.+)\]\s*$/.exec(line);
    if (header) skipping = header[1]!.trim() === section;
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}
