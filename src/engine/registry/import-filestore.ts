import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readYamlObject, type PlainMap } from '../yaml';
import type { Store } from '../store';
import { appendAudit } from './audit';
import { sql } from './statements';

/** What one registry import wrote; an unchanged re-import writes nothing. */
export interface RegistryImportReport {
  models: number;
  versions: number;
  tags: number;
  aliases: number;
  notes: string[];
}

export interface RegistryImportOptions {
  /** Recorded as the actor of the audit entries for imported aliases and stages. */
  actor?: string;
  now?: () => number;
}

type Meta = PlainMap;
const readMeta = readYamlObject;

const text = (meta: Meta, key: string): string | null => {
  const v = meta[key];
  return v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
};
const int = (meta: Meta, key: string): number | null => {
  const v = meta[key];
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
};

function subdirs(path: string): string[] {
  return existsSync(path) ? readdirSync(path, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
}

/** FileStore keeps one file per tag or alias; keys containing "/" are nested folders. */
function keyedValues(dir: string): [string, string][] {
  if (!existsSync(dir)) return [];
  const out: [string, string][] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push([relative(dir, path).split(sep).join('/'), readFileSync(path, 'utf8').trim()]);
    }
  };
  walk(dir);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const STAGES: Record<string, string> = { none: 'None', staging: 'Staging', production: 'Production', archived: 'Archived' };

/**
 * A source recorded by the FileStore as a local path into its own `mlruns` folder (often from another machine,
 * Windows paths included) becomes the location Slipway gives the imported run or logged model; anything else is kept.
 */
export function rebaseRegistrySource(source: string): string {
  const normal = decodeURIComponent(source.replace(/^file:(\/\/)?/i, '')).replace(/\\/g, '/');
  const match = /\/mlruns\/([^/]+)\/((?:models\/)?[^/]+)\/artifacts(\/.*)?$/.exec(normal);
  if (!match || !/^file:|^\/|^[A-Za-z]:/i.test(source)) return source;
  return `mlflow-artifacts:/${match[1]}/${match[2]}/artifacts${(match[3] ?? '').replace(/\/+$/, '')}`;
}

/**
 * Imports the model registry of an MLflow FileStore (`mlruns/models/<name>/…`, the layout of MLflow's
 * model_registry/file_store.py): models, versions with their numbers, stages, tags and aliases. Existing models and
 * versions are kept; imported aliases and stages get audit entries (actor `import`), so the audit chain stays
 * consistent with the registry. Local aliases that differ from the imported ones are left alone and noted.
 */
export function importFileStoreRegistry(store: Store, modelsDir: string, options: RegistryImportOptions = {}): RegistryImportReport {
  const report: RegistryImportReport = { models: 0, versions: 0, tags: 0, aliases: 0, notes: [] };
  if (!existsSync(modelsDir)) return report;
  const now = options.now ?? Date.now;
  const actor = options.actor ?? 'import';
  for (const dirName of subdirs(modelsDir)) {
    const modelDir = join(modelsDir, dirName);
    const meta = readMeta(join(modelDir, 'meta.yaml'));
    const name = meta ? text(meta, 'name') : null;
    if (!meta || !name) {
      report.notes.push(`${modelDir}: no meta.yaml with a name; skipped`);
      continue;
    }
    const reason = `imported from the MLflow FileStore ${modelsDir}`;
    store.write((changed) => {
      const db = store.db;
      if (!sql(db, 'SELECT 1 FROM registered_models WHERE name = ?').get(name)) {
        const created = int(meta, 'creation_timestamp') ?? now();
        sql(db, 'INSERT INTO registered_models (name, creation_time, last_updated_time, description, user_id) VALUES (?, ?, ?, ?, ?)').run(
          name, created, int(meta, 'last_updated_timestamp') ?? created, text(meta, 'description') ?? '', text(meta, 'user_id') ?? '');
        report.models++;
      }
      for (const [key, value] of keyedValues(join(modelDir, 'tags'))) {
        report.tags += sql(db, 'INSERT OR IGNORE INTO registered_model_tags (name, key, value) VALUES (?, ?, ?)').run(name, key, value).changes;
      }
      let highest = 0;
      for (const versionDir of subdirs(modelDir).filter((d) => /^version-\d+$/.test(d))) {
        const vMeta = readMeta(join(modelDir, versionDir, 'meta.yaml'));
        const version = vMeta ? int(vMeta, 'version') : null;
        if (!vMeta || version === null) {
          report.notes.push(`${join(modelDir, versionDir)}: no meta.yaml with a version; skipped`);
          continue;
        }
        highest = Math.max(highest, version);
        const rawStage = text(vMeta, 'current_stage') ?? 'None';
        const stage = STAGES[rawStage.toLowerCase()];
        if (!stage) continue; // deleted versions stay as hidden rows in FileStore (Deleted_Internal); their numbers still count
        const source = rebaseRegistrySource(text(vMeta, 'source') ?? '');
        const existing = sql(db, 'SELECT source FROM model_versions WHERE name = ? AND version = ?').get(name, version) as { source: string } | undefined;
        if (existing) {
          if (existing.source !== source) report.notes.push(`${name}:${version} exists here with source ${existing.source}; the imported ${source} was not applied`);
          continue;
        }
        const created = int(vMeta, 'creation_timestamp') ?? now();
        sql(db,
          `INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, source, run_id, run_link, model_id, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'READY')`,
        ).run(name, version, created, int(vMeta, 'last_updated_timestamp') ?? created, text(vMeta, 'description') ?? '', text(vMeta, 'user_id') ?? '', source,
          text(vMeta, 'run_id') || null, text(vMeta, 'run_link') || null, text(vMeta, 'model_id') || null);
        for (const [key, value] of keyedValues(join(modelDir, versionDir, 'tags'))) {
          sql(db, 'INSERT OR IGNORE INTO model_version_tags (name, version, key, value) VALUES (?, ?, ?, ?)').run(name, version, key, value);
          report.tags++;
        }
        if (stage !== 'None') {
          sql(db, 'UPDATE model_versions SET current_stage = ? WHERE name = ? AND version = ?').run(stage, name, version);
          appendAudit(db, { tsMs: now(), actor, model: name, action: 'stage.transition', subject: String(version), from: 'None', to: stage, reason });
        }
        report.versions++;
      }
      sql(db, 'UPDATE registered_models SET next_version = max(next_version, ?) WHERE name = ?').run(highest + 1, name);
      for (const [alias, value] of keyedValues(join(modelDir, 'aliases'))) {
        const version = /^\d+$/.test(value) ? Number(value) : null;
        if (version === null || !sql(db, 'SELECT 1 FROM model_versions WHERE name = ? AND version = ?').get(name, version)) {
          report.notes.push(`alias ${name}@${alias} points to version ${value}, which was not imported; skipped`);
          continue;
        }
        const current = sql(db, 'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?').get(name, alias) as { version: number } | undefined;
        if (current) {
          if (current.version !== version) report.notes.push(`alias ${name}@${alias} is on version ${current.version} here; the imported version ${version} was not applied`);
          continue;
        }
        sql(db, 'INSERT INTO registered_model_aliases (name, alias, version) VALUES (?, ?, ?)').run(name, alias, version);
        appendAudit(db, { tsMs: now(), actor, model: name, action: 'alias.set', subject: alias, from: null, to: String(version), reason });
        report.aliases++;
      }
      changed('models', name);
    });
  }
  return report;
}
