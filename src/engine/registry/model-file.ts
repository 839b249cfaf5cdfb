import { posix } from 'node:path';
import { SlipwayError } from '../errors';
import { resolveModelRef } from './aliases';
import type { RegistryContext } from './context';
import type { ModelRef } from './modelref';
import { sql } from './statements';
import { getVersionRow } from './versions';

/** The file a registered version serves from, in the project's artifact object store. */
export interface RegisteredModelFile {
  name: string;
  version: string;
  source: string;
  /** The file's name as registered or logged (its extension tells the format). */
  fileName: string;
  /** Where the bytes are: the content-addressed object (no extension). */
  path: string;
  md5: string;
  size: number;
  /** Column schema stored with the version (`models register --schema`), if any. */
  schemaYaml: string | null;
}

interface Candidate {
  path: string;
  md5: string;
  size: number;
}

/** One file out of a model folder: the only file, else the only one with the wanted extension. */
function pick(candidates: Candidate[], extension: string, where: string): Candidate {
  if (candidates.length === 1) return candidates[0]!;
  const matching = candidates.filter((c) => c.path.toLowerCase().endsWith(extension));
  if (matching.length === 1) return matching[0]!;
  if (!candidates.length) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `${where} holds no files in this project's artifact store.`);
  throw new SlipwayError(
    'INVALID_PARAMETER_VALUE',
    `${where} holds ${matching.length ? `${matching.length} ${extension} files` : `no ${extension} file`} among ${candidates.map((c) => c.path).join(', ')}; register the one file to serve.`,
  );
}

function underPath(rows: Candidate[], path: string): Candidate[] {
  if (!path) return rows;
  const exact = rows.filter((r) => r.path === path);
  return exact.length ? exact : rows.filter((r) => r.path.startsWith(`${path}/`));
}

/**
 * Finds the model file of a registered version (by MODELREF) in the project's artifact store: a file registration's
 * own bytes, a run artifact (`mlflow-artifacts:/<exp>/<run>/artifacts/<path>`, a file or a folder holding one
 * `extension` file) or an MLflow 3 logged model (`models:/<id>`). Serving resolves `NAME@ALIAS` through this.
 */
export function resolveModelFile(ctx: RegistryContext, ref: string | ModelRef, extension = '.onnx'): RegisteredModelFile {
  if (!ctx.objects) throw new SlipwayError('INTERNAL_ERROR', 'This registry was opened without an artifact object store.');
  const objects = ctx.objects;
  const version = resolveModelRef(ctx, ref);
  const row = getVersionRow(ctx, version.name, version.version);
  const label = `${row.name}:${row.version} (${row.source})`;
  const done = (c: Candidate, fileName: string): RegisteredModelFile => ({
    name: row.name,
    version: String(row.version),
    source: row.source,
    fileName,
    path: objects.pathOf(c.md5),
    md5: c.md5,
    size: c.size,
    schemaYaml: row.schema_yaml,
  });
  if (row.file_md5 && row.file_name && row.file_size !== null) return done({ path: row.file_name, md5: row.file_md5, size: row.file_size }, row.file_name);

  const db = ctx.store.db;
  const logged = /^models:\/(m-[0-9a-f]+)$/.exec(row.source) ?? /^mlflow-artifacts:\/[^/]+\/models\/(m-[0-9a-f]+)\/artifacts(?:\/(.*))?$/.exec(row.source);
  if (logged || row.model_id) {
    const modelId = logged?.[1] ?? row.model_id!;
    const rows = sql(db, 'SELECT path, md5, size FROM logged_model_artifacts WHERE model_id = ? ORDER BY path').all(modelId) as Candidate[];
    const chosen = pick(underPath(rows, logged?.[2] ?? ''), extension, label);
    return done(chosen, posix.basename(chosen.path));
  }
  const run = /^mlflow-artifacts:\/[^/]+\/([0-9a-f]{32})\/artifacts(?:\/(.*))?$/.exec(row.source);
  if (run) {
    const rows = sql(db, 'SELECT path, md5, size FROM artifacts WHERE run_uuid = ? ORDER BY path').all(run[1]) as Candidate[];
    const chosen = pick(underPath(rows, (run[2] ?? '').replace(/\/+$/, '')), extension, label);
    return done(chosen, posix.basename(chosen.path));
  }
  throw new SlipwayError('INVALID_PARAMETER_VALUE', `${label} is stored outside this project's artifact store; register the model file itself with \`slipway models register ${row.name} FILE\`.`);
}
