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
  /**
   * The remote's other settings, by DVC's key names (`endpointurl`, `region`, `profile`, `access_key_id`...). May hold
   * secrets: never print it.
   */
  options?: Record<string, string>;
}

/** Settings slipway.yaml may hold for a remote; credentials belong in the environment or .dvc/config.local. */
const YAML_OPTIONS = ['endpointurl', 'region', 'profile'] as const;

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
        else if ((YAML_OPTIONS as readonly string[]).includes(field.key)) {
          const value = asString(file, field.value, `remotes.${key}.${field.key}`);
          if (value !== null && value !== undefined) spec.options = { ...spec.options, [field.key]: value };
        } else file.report(field.keyNode, `Unknown key "${field.key}" in remotes.${key}. Known keys: url, default, ${YAML_OPTIONS.join(', ')}.`, 'config/unknown-key');
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
      if (remote) {
        // config.local adds to (or overrides keys of) a remote that config declares, as in DVC.
        const spec = byName.get(remote[1]!) ?? { name: remote[1]!, url: '', isDefault: false };
        byName.set(remote[1]!, spec);
        // Relative paths in DVC's config are relative to the .dvc folder.
        if (kv[1] === 'url') spec.url = isUrl(kv[2]!) || isAbsolute(kv[2]!) ? kv[2]! : resolve(root, '.dvc', kv[2]!);
        else spec.options = { ...spec.options, [kv[1]!]: kv[2]! };
      }
      if (section === 'core' && kv[1] === 'remote') defaultName = kv[2]!;
    }
  }
  const specs = [...byName.values()].filter((s) => s.url);
  for (const s of specs) s.isDefault = s.name === defaultName;
  return specs;
}

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/** Keys `remote add` and `remote modify` accept besides `url`, by DVC's names. */
export const REMOTE_KEYS = ['endpointurl', 'region', 'profile', 'access_key_id', 'secret_access_key', 'session_token'] as const;
const SECRET_KEYS = new Set(['access_key_id', 'secret_access_key', 'session_token']);

function checkKeys(settings: Readonly<Record<string, string>>, inYaml: boolean, path: string): void {
  for (const key of Object.keys(settings)) {
    if (!(REMOTE_KEYS as readonly string[]).includes(key)) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${key}" is not a remote setting Slipway knows; use url, ${REMOTE_KEYS.join(', ')}.`);
    }
    if (inYaml && SECRET_KEYS.has(key)) {
      throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is committed, so it does not hold credentials ("${key}"); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment instead.`);
    }
  }
}

/**
 * Records a remote: in `.dvc/config` when the project uses DVC (so `dvc push` sees it too), else in slipway.yaml's
 * `remotes:` (comments and other sections kept). A name that exists is an error unless `replace`. `settings` are
 * extra keys by DVC's names (`endpointurl`, `region`...), written only when given.
 */
export async function addRemote(
  root: string,
  name: string,
  url: string,
  options: { isDefault?: boolean; replace?: boolean; settings?: Readonly<Record<string, string>> } = {},
): Promise<string> {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${name}" is not a valid remote name; use letters, digits, "_", "-" and ".".`);
  const settings = options.settings ?? {};
  if (existsSync(join(root, '.dvc'))) {
    const path = join(root, '.dvc', 'config');
    checkKeys(settings, false, path);
    if (dvcRemotes(root).some((r) => r.name === name) && !options.replace) {
      throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Remote "${name}" already exists in ${path}; choose another name or replace it.`);
    }
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const without = removeIniSection(text, `'remote "${name}"'`);
    const body = Object.entries({ url, ...settings }).map(([k, v]) => `    ${k} = ${v}\n`).join('');
    let next = `${without}${without && !without.endsWith('\n') ? '\n' : ''}['remote "${name}"']\n${body}`;
    if (options.isDefault) next = `${removeIniSection(next, 'core')}[core]\n    remote = ${name}\n`;
    await writeFileAtomic(path, next);
    return path;
  }
  const path = join(root, 'slipway.yaml');
  checkKeys(settings, true, path);
  const doc = parseDocument(existsSync(path) ? readFileSync(path, 'utf8') : 'version: 1\n');
  if (doc.hasIn(['remotes', name]) && !options.replace) {
    throw new SlipwayError('RESOURCE_ALREADY_EXISTS', `Remote "${name}" already exists in ${path}; choose another name or replace it.`);
  }
  const existing = doc.get('remotes');
  if (options.isDefault && isMap(existing)) {
    for (const pair of existing.items) if (isMap(pair.value)) pair.value.delete('default');
  }
  doc.setIn(['remotes', name], doc.createNode({ url, ...settings, ...(options.isDefault ? { default: true } : {}) }));
  await writeFileAtomic(path, doc.toString({ indentSeq: false }));
  return path;
}

/**
 * Sets (or with `value` null, removes) one setting of an existing remote, like `dvc remote modify`: in `.dvc/config`,
 * or `.dvc/config.local` with `local` (the place for credentials, which git does not track), else in slipway.yaml.
 */
export async function modifyRemote(root: string, name: string, key: string, value: string | null, options: { local?: boolean } = {}): Promise<string> {
  if (key !== 'url') checkKeys({ [key]: '' }, !existsSync(join(root, '.dvc')), join(root, 'slipway.yaml'));
  if (existsSync(join(root, '.dvc'))) {
    if (!dvcRemotes(root).some((r) => r.name === name)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No remote named "${name}"; add it with \`slipway remote add ${name} URL\`.`);
    const path = join(root, '.dvc', options.local ? 'config.local' : 'config');
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    await writeFileAtomic(path, setIniKey(text, `'remote "${name}"'`, key, value));
    return path;
  }
  const path = join(root, 'slipway.yaml');
  const doc = parseDocument(existsSync(path) ? readFileSync(path, 'utf8') : 'version: 1\n');
  if (!doc.hasIn(['remotes', name])) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No remote named "${name}" in ${path}; add it with \`slipway remote add ${name} URL\`.`);
  if (value === null) doc.deleteIn(['remotes', name, key]);
  else doc.setIn(['remotes', name, key], value);
  await writeFileAtomic(path, doc.toString({ indentSeq: false }));
  return path;
}

/** Sets `key = value` in an INI section (created when missing), or removes the key when `value` is null. */
function setIniKey(text: string, section: string, key: string, value: string | null): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let inSection = false;
  let end = -1;
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[(.+)\]\s*$/.exec(lines[i]!);
    if (header) inSection = header[1]!.trim() === section;
    if (!inSection) continue;
    end = i + 1;
    const kv = /^\s*([^=\s]+)\s*=/.exec(lines[i]!);
    if (kv?.[1] === key) {
      lines.splice(i, 1, ...(value === null ? [] : [`    ${key} = ${value}`]));
      return `${lines.join('\n')}\n`;
    }
  }
  if (value === null) return text;
  if (end < 0) lines.push(`[${section}]`, `    ${key} = ${value}`);
  else lines.splice(end, 0, `    ${key} = ${value}`);
  return `${lines.join('\n')}\n`;
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
