import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar } from 'yaml';
import type { FileDiagnostic } from '../../shared/diagnostics';
import { YamlFile, entries } from '../yaml';
import { crossChecks, sections, type ProjectSettings, type SectionSpec } from './sections';

export const CONFIG_FILE = 'slipway.yaml';
export const CONFIG_VERSION = 1;

export interface ProjectConfig {
  /** Absolute path of slipway.yaml (which may not exist). */
  path: string;
  exists: boolean;
  settings: ProjectSettings;
  diagnostics: FileDiagnostic[];
}

/** Default settings, as if slipway.yaml were `version: 1` and nothing else. */
export function defaultSettings(): ProjectSettings {
  const out: Record<string, unknown> = {};
  for (const section of sections as readonly SectionSpec<unknown>[]) out[section.name] = section.defaults();
  return out as ProjectSettings;
}

/**
 * Parses slipway.yaml text: `version: 1` is required, each registered section parses its own node, and any other
 * top-level key is an error at its line; then the rules spanning sections (such as alert rules naming declared
 * monitors) report on the same file. Never throws on content; problems are diagnostics with ranges.
 */
export function parseProjectConfig(file: YamlFile): ProjectSettings {
  const settings = parseSections(file);
  for (const check of crossChecks) check(file, settings);
  return settings;
}

function parseSections(file: YamlFile): ProjectSettings {
  const settings = defaultSettings() as Record<string, unknown>;
  if (file.hasErrors) return settings as ProjectSettings;
  const root = file.root;
  if (root === null || (isScalar(root) && root.value === null)) {
    file.report(root, `${CONFIG_FILE} is empty; it needs at least \`version: ${CONFIG_VERSION}\`.`, 'config/version');
    return settings as ProjectSettings;
  }
  if (!isMap(root)) {
    file.report(root, `${CONFIG_FILE} must be a mapping with \`version: ${CONFIG_VERSION}\` and one section per pillar.`, 'config/type');
    return settings as ProjectSettings;
  }
  const known = new Map((sections as readonly SectionSpec<unknown>[]).map((s) => [s.name, s]));
  let sawVersion = false;
  for (const { key, keyNode, value } of entries(file, root)) {
    if (key === 'version') {
      sawVersion = true;
      if (!isScalar(value) || value.value !== CONFIG_VERSION) {
        file.report(value, `Unsupported ${CONFIG_FILE} version ${isScalar(value) ? JSON.stringify(value.value) : ''}: this Slipway reads version ${CONFIG_VERSION}.`, 'config/version');
      }
      continue;
    }
    const section = known.get(key);
    if (!section) {
      const names = ['version', ...known.keys()].join(', ');
      file.report(keyNode, `Unknown key "${key}" in ${CONFIG_FILE}. Known keys: ${names}.`, 'config/unknown-key');
      continue;
    }
    settings[key] = section.parse(file, value);
  }
  if (!sawVersion) file.report(root, `${CONFIG_FILE} must say \`version: ${CONFIG_VERSION}\`.`, 'config/version');
  return settings as ProjectSettings;
}

/** Loads `<root>/slipway.yaml`; a missing file means defaults. Throws CONFIG_INVALID listing every error with its line. */
export function loadProjectConfig(root: string): ProjectConfig {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return { path, exists: false, settings: defaultSettings(), diagnostics: [] };
  const file = YamlFile.read(path);
  const settings = parseSections(file);
  file.throwIfErrors();
  // Reported, not thrown: a rule spanning sections fails only the command that uses them (see crossChecks).
  for (const check of crossChecks) check(file, settings);
  return { path, exists: true, settings, diagnostics: file.diagnostics };
}
