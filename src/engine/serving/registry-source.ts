import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlipwayError } from '../errors';
import type { OpenProject } from '../project';
import { ModelRegistry, parseModelRef, type RegisteredModelFile } from '../registry';
import { YamlFile } from '../yaml';
import type { ColumnSchema } from '../../shared/serving';
import { loadColumnSchema, parseColumnSchema } from '../validation';
import type { ModelSpec } from './model';
import { StoreWatchingSource, requireOnnxFile } from './source';

/**
 * The ONNX file and column schema of a registered version, refused with a clear message when the version is not
 * ONNX or has no schema (from `models register --schema`, or the `schemaFile` given here).
 */
export function resolveRegisteredModel(project: OpenProject, ref: string, schemaFile?: string): { file: RegisteredModelFile; schema: ColumnSchema } {
  parseModelRef(ref);
  const registry = new ModelRegistry(project.store, { objects: project.tracking.artifacts });
  const file = registry.modelFile(ref);
  requireOnnxFile(file.fileName, `${file.name}:${file.version} (${file.fileName})`);
  let schema: ColumnSchema;
  if (schemaFile) schema = loadColumnSchema(schemaFile);
  else if (file.schemaYaml) {
    const yaml = new YamlFile(`${file.name}:${file.version}.schema.yaml`, file.schemaYaml);
    schema = parseColumnSchema(yaml);
    yaml.throwIfErrors();
  } else {
    throw new SlipwayError(
      'INVALID_PARAMETER_VALUE',
      `${file.name}:${file.version} has no column schema. Register it with \`slipway models register … --schema FILE\`, or pass --schema FILE.`,
    );
  }
  return { file, schema };
}

/**
 * A model source that follows a MODELREF in the registry: it resolves the alias (or version) now, and again whenever
 * a `models` change is committed, so moving an alias hot-swaps the served model.
 */
export function registrySource(project: OpenProject, ref: string, schemaFile?: string): StoreWatchingSource {
  resolveRegisteredModel(project, ref, schemaFile); // fail fast on an unknown model, alias or format
  return new StoreWatchingSource(project.store, ref, (): Promise<ModelSpec> => {
    const { file, schema } = resolveRegisteredModel(project, ref, schemaFile);
    return Promise.resolve({ name: file.name, version: file.version, modelFile: file.path, schema });
  });
}

/** Writes a registered version's schema next to a temporary copy for deployment (the deploy context copies it). */
export function writeVersionSchema(dir: string, file: RegisteredModelFile): string {
  if (!file.schemaYaml) throw new SlipwayError('INVALID_PARAMETER_VALUE', `${file.name}:${file.version} has no column schema; pass --schema FILE.`);
  const path = join(dir, `${file.name}.schema.yaml`);
  writeFileSync(path, file.schemaYaml);
  return path;
}
