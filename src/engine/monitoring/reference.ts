/** A monitor's reference data: a path, a data version at a git revision, or the model's training data (lineage). */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { SlipwayError } from '../errors';
import { dataVersionsOfRun } from '../lineage';
import { ObjectStore } from '../objects';
import type { OpenProject } from '../project';
import { ModelRegistry } from '../registry';
import { readCsv, readParquet } from '../tables';
import type { ReadOptions, Table } from '../tables';
import { pointersAtRevision } from '../versioning/revision';
import type { ReferenceSetting } from './config';
import { dataFiles, readDataFiles } from './data-source';

const TABULAR = /\.(csv|tsv|parquet|pq)$/i;

export interface ResolvedReference {
  /** Shown in reports: the configured path, or the tracked path of the data version. */
  path: string;
  rev: string | null;
  md5: string | null;
  /** The file to read, and the path whose extension says how (a cache object has none). */
  file: string;
  formatPath: string;
}

const normal = (p: string): string => p.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');

function fromCache(project: OpenProject, path: string, md5: string, rev: string | null, why: string): ResolvedReference {
  if (md5.endsWith('.dir')) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${why}: ${path} is a tracked folder; name one CSV or Parquet file inside it as the monitor's reference.`);
  const file = new ObjectStore(project.paths.dataCache).pathOf(md5);
  if (!existsSync(file)) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${why}: version ${md5} of ${path} is not in the data cache. Run \`slipway pull\` to fetch it.`);
  return { path, rev, md5, file, formatPath: path };
}

/**
 * Finds the reference of a monitor. `setting` absent: the training data of `model` (MODELREF) — the one tabular file
 * among the data versions its source run recorded.
 */
export async function resolveReference(project: OpenProject, setting: ReferenceSetting | undefined, model: string | null, monitor: string): Promise<ResolvedReference> {
  const root = project.paths.root;
  if (setting && !setting.rev) {
    const files = dataFiles(root, setting.path);
    if (files.length !== 1) throw new SlipwayError('CONFIG_INVALID', `Monitor "${monitor}": reference ${setting.path} must be one file; it matches ${files.length}.`);
    return { path: setting.path, rev: null, md5: null, file: files[0]!, formatPath: files[0]! };
  }
  if (setting?.rev) {
    const { tracked } = await pointersAtRevision(root, setting.rev);
    const found = tracked.find((t) => t.path === normal(setting.path));
    if (!found?.out.md5) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `Monitor "${monitor}": ${setting.path} is not tracked at git revision ${setting.rev} (no .dvc file records it).`);
    return fromCache(project, found.path, found.out.md5, setting.rev, `Monitor "${monitor}"`);
  }
  if (!model) {
    throw new SlipwayError('CONFIG_INVALID', `Monitor "${monitor}" has no \`reference:\` and no model to take the training data from; set \`reference:\` or \`model:\` in slipway.yaml.`);
  }
  const registry = new ModelRegistry(project.store, { objects: project.tracking.artifacts });
  const version = registry.resolve(model);
  const why = `Monitor "${monitor}": the training data of ${version.name}:${version.version}`;
  if (!version.run_id) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${why} is unknown (the version has no source run); set \`reference:\`.`);
  const candidates = dataVersionsOfRun(project.store, version.run_id).filter((d) => TABULAR.test(d.path) && !d.md5.endsWith('.dir'));
  if (candidates.length === 0) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${why} is unknown: run ${version.run_id} recorded no tracked CSV or Parquet file. Set \`reference:\`.`);
  if (candidates.length > 1) {
    throw new SlipwayError('CONFIG_INVALID', `${why} is ambiguous: run ${version.run_id} used ${candidates.map((c) => c.path).join(', ')}. Set \`reference:\` to one of them.`);
  }
  return fromCache(project, candidates[0]!.path, candidates[0]!.md5, null, why);
}

/** Reads the reference table. */
export async function readReference(ref: ResolvedReference, options: ReadOptions): Promise<Table> {
  if (ref.file === ref.formatPath) return readDataFiles([ref.file], options);
  const ext = extname(ref.formatPath).toLowerCase();
  const table = ext === '.parquet' || ext === '.pq' ? await readParquet(ref.file, options) : await readCsv(ref.file, ext === '.tsv' ? { ...options, delimiter: '\t' } : options);
  return { ...table, path: `${ref.path}@${ref.md5 ?? ''}` };
}
