import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'yaml';
import { SlipwayError } from '../errors';
import { asMap, asString, entries, type YamlFile } from '../yaml';

/**
 * How a workspace file relates to its cache object. Only modes where editing the workspace file cannot change the
 * object: `copy` (independent bytes) and `reflink` (copy-on-write clone; falls back to a copy where the filesystem
 * cannot clone). DVC's `hardlink` and `symlink` share the object's bytes, so one `>>` into the file would corrupt the
 * cache; they are refused.
 */
export type CacheType = 'copy' | 'reflink';

/** The `data:` section of slipway.yaml (used when the project has no `.dvc/` folder). */
export interface DataSettings {
  cacheType: CacheType;
}

export const dataSection = {
  name: 'data' as const,
  description: 'Tracked data and models: how workspace files relate to the cache.',
  defaults: (): DataSettings => ({ cacheType: 'copy' }),
  parse(file: YamlFile, node: Node | null): DataSettings {
    const out = dataSection.defaults();
    const map = asMap(file, node, 'data');
    if (!map) return out;
    for (const { key, keyNode, value } of entries(file, map)) {
      if (key === 'cache_type') {
        const text = asString(file, value, 'data.cache_type');
        if (text === null) continue;
        try {
          out.cacheType = parseCacheTypes(text, 'data.cache_type');
        } catch (error) {
          file.report(value, (error as Error).message, 'config/cache-type');
        }
      } else {
        file.report(keyNode, `Unknown key "${key}" in data. Known keys: cache_type.`, 'config/unknown-key');
      }
    }
    return out;
  },
};

/** Reads DVC's `type = reflink,copy` list and keeps the first safe mode. */
export function parseCacheTypes(text: string, where: string): CacheType {
  const listed = text.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of listed) {
    if (t === 'copy' || t === 'reflink') return t;
    if (t !== 'hardlink' && t !== 'symlink') throw new SlipwayError('CONFIG_INVALID', `${where}: unknown cache type "${t}". Use reflink or copy.`);
  }
  if (!listed.length) return 'copy';
  throw new SlipwayError(
    'CONFIG_INVALID',
    `${where} asks for ${listed.join(', ')}: workspace files linked to the cache that way let one edit corrupt the cached version. Use "reflink,copy" (copy-on-write where the filesystem supports it).`,
  );
}

/**
 * The cache type of a project: `cache.type` of `.dvc/config.local` or `.dvc/config` when the project uses DVC (so
 * both tools agree), else slipway.yaml's `data.cache_type`, else copy.
 */
export function dvcCacheType(root: string): CacheType | null {
  for (const name of ['config.local', 'config']) {
    const path = join(root, '.dvc', name);
    if (!existsSync(path)) continue;
    const value = iniValue(readFileSync(path, 'utf8'), 'cache', 'type');
    if (value !== null) return parseCacheTypes(value, `${path} [cache] type`);
  }
  return null;
}

/** One value of DVC's INI-style config (configobj syntax: `[section]`, `key = value`). */
function iniValue(text: string, section: string, key: string): string | null {
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = header[1]!.replace(/^'|'$|^"|"$/g, '');
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && current === section && kv[1] === key) return kv[2]!.replace(/^'|'$|^"|"$/g, '');
  }
  return null;
}
