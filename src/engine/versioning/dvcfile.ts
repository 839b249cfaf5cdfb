import { isScalar, stringify, type Node } from 'yaml';
import type { FileDiagnostic } from '../../shared/diagnostics';
import { asMap, asSeq, asString, asNumber, asBoolean, entries, type YamlFile } from '../yaml';

/** One output of a `.dvc` file: the tracked path and its version. */
export interface DvcOut {
  /** Path relative to the `.dvc` file's folder, `/`-separated. */
  path: string;
  /** md5 of the file, or `<md5>.dir` for a directory; absent when DVC has not saved it yet. */
  md5?: string;
  size?: number;
  nfiles?: number;
  isexec?: boolean;
  /** `md5` for DVC 3 hashes; absent in files written by DVC 2 (whose md5 may differ for text files). */
  hash?: string;
  /** Other keys DVC knows (cache, remote, push, desc, ...), kept in their order so a rewrite preserves them. */
  extra: [string, unknown][];
  /** Where the output's entry is in the file (zero-based line), for errors. */
  line: number;
}

/** A parsed `.dvc` pointer file. */
export interface DvcFile {
  outs: DvcOut[];
  /** Top-level keys other than `outs` (md5, frozen, deps, wdir, meta, desc), in file order. */
  extra: [string, unknown][];
  /** Index in file order at which `outs` appears among the top-level keys (DVC writes it after deps). */
  outsIndex: number;
}

/** Top-level keys of a single-stage `.dvc` file (dvc/schema.py's stage schema). */
const TOP_KEYS = new Set(['outs', 'deps', 'md5', 'frozen', 'locked', 'wdir', 'meta', 'desc', 'cmd', 'always_changed']);
/** Keys of an output entry (dvc/output.py's schema). */
const OUT_KEYS = new Set([
  'path', 'md5', 'etag', 'checksum', 'size', 'nfiles', 'isexec', 'hash', 'version_id', 'cache', 'persist', 'remote',
  'push', 'desc', 'type', 'labels', 'meta', 'files', 'cloud', 'metric', 'plot', 'checkpoint',
]);
const OUT_VERSION_KEYS = ['md5', 'size', 'nfiles', 'isexec', 'hash', 'path'];
const MD5_OR_DIR = /^[0-9a-f]{32}(\.dir)?$/;

/**
 * Parses a `.dvc` file. Problems are reported on `file` with their line (bad YAML, unknown keys, wrong types); the
 * caller decides whether to throw (`file.throwIfErrors()`).
 */
export function parseDvcFile(file: YamlFile): DvcFile {
  const result: DvcFile = { outs: [], extra: [], outsIndex: 0 };
  if (file.hasErrors) return result;
  const root = asMap(file, file.root, 'A .dvc file');
  if (!root) return result;
  let sawOuts = false;
  for (const { key, keyNode, value } of entries(file, root)) {
    if (!TOP_KEYS.has(key)) {
      file.report(keyNode, `Unknown key "${key}" in a .dvc file. Known keys: ${[...TOP_KEYS].join(', ')}.`, 'dvc/unknown-key');
      continue;
    }
    if (key !== 'outs') {
      if (key === 'deps') checkDeps(file, value);
      result.extra.push([key, value?.toJSON() ?? null]);
      continue;
    }
    sawOuts = true;
    result.outsIndex = result.extra.length;
    const seq = asSeq(file, value, 'outs');
    for (const item of seq?.items ?? []) {
      const out = parseOut(file, item as Node | null);
      if (out) result.outs.push(out);
    }
  }
  if (!sawOuts) file.report(root, 'A .dvc file needs an `outs` list naming the tracked path.', 'dvc/no-outs');
  return result;
}

function parseOut(file: YamlFile, node: Node | null): DvcOut | null {
  const map = asMap(file, node, 'An entry of outs');
  if (!map) return null;
  const line = file.rangeOf(node).start.line;
  const out: DvcOut = { path: '', extra: [], line };
  let sawPath = false;
  for (const { key, keyNode, value } of entries(file, map)) {
    switch (key) {
      case 'path': {
        const path = asString(file, value, 'outs.path');
        if (path !== null) {
          out.path = path;
          sawPath = true;
          if (path.startsWith('/') || path.split('/').includes('..')) {
            file.report(value, `outs.path "${path}" must stay inside the .dvc file's folder.`, 'dvc/path');
          }
        }
        break;
      }
      case 'md5': {
        // Read the source text: an all-digit md5 would otherwise become a (rounded) number.
        const text = isScalar(value) ? (value.source ?? String(value.value)) : null;
        if (text === null || !MD5_OR_DIR.test(text)) file.report(value, 'outs.md5 must be 32 lowercase hex characters, optionally followed by .dir.', 'dvc/md5');
        else out.md5 = text;
        break;
      }
      case 'size':
      case 'nfiles': {
        const n = asNumber(file, value, `outs.${key}`);
        if (n !== null && (!Number.isSafeInteger(n) || n < 0)) file.report(value, `outs.${key} must be a whole number of at least 0.`, 'dvc/type');
        else if (n !== null) out[key] = n;
        break;
      }
      case 'isexec': {
        const b = asBoolean(file, value, 'outs.isexec');
        if (b !== null) out.isexec = b;
        break;
      }
      case 'hash': {
        const h = asString(file, value, 'outs.hash');
        if (h !== null && h !== 'md5') file.report(value, `outs.hash "${h}" is not supported; DVC 3 writes "md5".`, 'dvc/hash');
        else if (h !== null) out.hash = h;
        break;
      }
      default:
        if (!OUT_KEYS.has(key)) {
          file.report(keyNode, `Unknown key "${key}" in outs. Known keys: ${[...OUT_KEYS].join(', ')}.`, 'dvc/unknown-key');
        } else {
          out.extra.push([key, value?.toJSON() ?? null]);
        }
    }
  }
  if (!sawPath) file.report(node, 'An entry of outs needs a `path`.', 'dvc/no-path');
  return sawPath ? out : null;
}

function checkDeps(file: YamlFile, node: Node | null): void {
  const seq = asSeq(file, node, 'deps');
  for (const item of seq?.items ?? []) {
    const map = asMap(file, item as Node | null, 'An entry of deps');
    if (map && !map.has('path')) file.report(item as Node, 'An entry of deps needs a `path`.', 'dvc/no-path');
  }
}

/**
 * Writes a `.dvc` file as DVC 3 does: outputs list their version first (md5, size, nfiles, isexec, hash) and then
 * path, block style with list items at the parent's indentation (ruamel's layout), so a file that DVC wrote and
 * Slipway rewrote without changes is identical byte for byte.
 */
export function serializeDvcFile(dvc: DvcFile): string {
  const top: [string, unknown][] = [...dvc.extra];
  top.splice(Math.min(dvc.outsIndex, top.length), 0, ['outs', dvc.outs.map(outToObject)]);
  return stringify(Object.fromEntries(top), { indentSeq: false, lineWidth: 0, singleQuote: true, aliasDuplicateObjects: false });
}

function outToObject(out: DvcOut): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const key of OUT_VERSION_KEYS) {
    const value = key === 'path' ? out.path : out[key as keyof DvcOut];
    if (value !== undefined) obj[key] = value;
  }
  for (const [key, value] of out.extra) obj[key] = value;
  return obj;
}

/** The first error diagnostic of a parse, for messages that name one line. */
export function firstError(diagnostics: readonly FileDiagnostic[]): FileDiagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error');
}
