import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { SlipwayError } from '../errors';

/** A YAML mapping read as plain values (no source ranges): for files other tools wrote, such as MLflow's meta.yaml. */
export type PlainMap = Record<string, unknown>;

/** Reads a YAML file holding a mapping; null when the file is absent or not a mapping. Bad YAML is a clear error. */
export function readYamlObject(path: string): PlainMap | null {
  if (!existsSync(path)) return null;
  try {
    const value: unknown = parseYaml(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as PlainMap) : null;
  } catch (error) {
    throw new SlipwayError('INVALID_PARAMETER_VALUE', `${path} is not valid YAML (${(error as Error).message.split('\n')[0]}); fix or remove it and import again.`);
  }
}
