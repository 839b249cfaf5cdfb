import { CONFIG_FILE, parseProjectConfig } from '../engine/config';
import { checkMissingDeps } from '../engine/pipeline';
import type { PathExists } from '../engine/pipeline';
import { parseColumnSchema } from '../engine/validation';
import type { YamlFile } from '../engine/yaml';
import type { FileDiagnostic } from '../shared/diagnostics';

/** One kind of file the server checks: which names it covers and the engine rule that produces its diagnostics. */
export interface FileCheck {
  /** Matches a file's base name. */
  matches(name: string): boolean;
  /** The engine's diagnostics for the file (YAML syntax errors included). May throw; the server logs and goes on. */
  check(file: YamlFile, exists: PathExists | undefined): FileDiagnostic[];
}

export const SCHEMA_SUFFIX = '.schema.yaml';

/** Pipelines, project settings and column schemas; every rule is the engine's. */
export const DEFAULT_CHECKS: readonly FileCheck[] = [
  { matches: (name) => name === 'dvc.yaml', check: (file, exists) => checkMissingDeps(file, exists) },
  { matches: (name) => name === CONFIG_FILE, check: (file) => (parseProjectConfig(file), file.diagnostics) },
  { matches: (name) => name.endsWith(SCHEMA_SUFFIX) && name.length > SCHEMA_SUFFIX.length, check: (file) => (parseColumnSchema(file), file.diagnostics) },
];
