import { SlipwayError } from '../errors';

/** A parsed `MODELREF := NAME[@ALIAS|:VERSION]`. */
export type ModelRef =
  | { kind: 'name'; name: string }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'version'; name: string; version: number };

const MAX_NAME = 256;
const MAX_ALIAS = 255;
const ALIAS = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a registered model name. `@`, `:` and `/` are refused because MODELREF and `models:/` URIs use them as
 * separators, so a name containing one could not be referred to unambiguously.
 */
export function validateModelName(name: unknown, what = 'Model name'): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} must be a non-empty string.`);
  }
  if (name.length > MAX_NAME) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} "${name.slice(0, 40)}…" is longer than ${MAX_NAME} characters.`);
  if (/[@:/]/.test(name) || name.includes('\u0000')) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${what} "${name}" contains "@", ":", "/" or a NUL byte; these separate the parts of a model reference (NAME@ALIAS, NAME:VERSION). Choose a name without them.`);
  }
  return name;
}

/**
 * Checks an alias: letters, digits, `_` and `-`; not `latest` and not `v<number>`, which MLflow reserves for
 * `models:/NAME/latest` and version references.
 */
export function validateAlias(alias: unknown): string {
  if (typeof alias !== 'string' || alias === '') throw new SlipwayError('INVALID_PARAMETER_VALUE', 'Alias must be a non-empty string.');
  if (alias.length > MAX_ALIAS) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Alias "${alias.slice(0, 40)}…" is longer than ${MAX_ALIAS} characters.`);
  if (!ALIAS.test(alias)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `Alias "${alias}" may only contain letters, digits, "_" and "-".`);
  if (alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Alias "${alias}" is reserved ("latest" and "v<number>" refer to versions). Choose another alias.`);
  }
  return alias;
}

/** Parses a version given as a number or decimal string (MLflow sends versions as strings). */
export function parseVersion(version: unknown): number {
  const text = typeof version === 'number' ? String(version) : version;
  if (typeof text !== 'string' || !/^[1-9]\d{0,15}$/.test(text)) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `Version "${String(version)}" is not a positive integer.`);
  }
  return Number(text);
}

/**
 * Parses `NAME`, `NAME@ALIAS` or `NAME:VERSION`. Throws INVALID_PARAMETER_VALUE naming the reference and the
 * expected form otherwise.
 */
export function parseModelRef(ref: string): ModelRef {
  const text = ref.trim();
  const fail = (why: string): never => {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${ref}" is not a model reference (${why}). Write NAME, NAME@ALIAS or NAME:VERSION, e.g. credit-risk@champion or credit-risk:3.`);
  };
  if (text === '') fail('it is empty');
  const at = text.indexOf('@');
  const colon = text.indexOf(':');
  if (at >= 0 && colon >= 0) fail('it has both "@" and ":"');
  if (at >= 0) {
    if (text.indexOf('@', at + 1) >= 0) fail('it has more than one "@"');
    const name = text.slice(0, at);
    const alias = text.slice(at + 1);
    if (!name) fail('the name before "@" is missing');
    if (!alias) fail('the alias after "@" is missing');
    return { kind: 'alias', name: validateModelName(name), alias: validateAlias(alias) };
  }
  if (colon >= 0) {
    if (text.indexOf(':', colon + 1) >= 0) fail('it has more than one ":"');
    const name = text.slice(0, colon);
    const version = text.slice(colon + 1);
    if (!name) fail('the name before ":" is missing');
    if (!/^[1-9]\d*$/.test(version)) fail(`the version "${version}" after ":" is not a positive integer`);
    return { kind: 'version', name: validateModelName(name), version: parseVersion(version) };
  }
  return { kind: 'name', name: validateModelName(text) };
}

/** Writes a reference back in its canonical form. */
export function formatModelRef(ref: ModelRef): string {
  if (ref.kind === 'alias') return `${ref.name}@${ref.alias}`;
  if (ref.kind === 'version') return `${ref.name}:${ref.version}`;
  return ref.name;
}
