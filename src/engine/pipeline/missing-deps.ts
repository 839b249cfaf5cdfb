import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileDiagnostic } from '../../shared/diagnostics';
import type { YamlFile } from '../yaml';
import { readDvcPipeline } from './dvc-yaml';
import type { DvcPipeline } from './dvc-yaml';

/** Rule id of {@link checkMissingDeps}. */
export const MISSING_DEP = 'dvc/missing-dep';

/** Answers whether a path (absolute) exists; injectable so editors can count unsaved buffers or virtual files. */
export type PathExists = (absolutePath: string) => boolean;

/**
 * Warns about every stage dep that is neither on disk nor produced by a stage of the same dvc.yaml. Such a stage can
 * never run: `dvc repro` stops with "missing dependency". A dep tracked by a `.dvc` pointer counts as present (it is
 * a `checkout`/`pull` away). A dep inside an output folder (or an output inside a dep folder) counts as produced.
 * Templated stages (`foreach`, `matrix`) and interpolated paths are skipped: their paths are not literal.
 *
 * Returns the file's own YAML and shape diagnostics followed by the rule's warnings, each at the dep's exact range.
 */
export function checkMissingDeps(file: YamlFile, exists: PathExists = existsSync): FileDiagnostic[] {
  const pipeline = readDvcPipeline(file);
  return [...file.diagnostics, ...missingDeps(pipeline, exists)];
}

function missingDeps(pipeline: DvcPipeline, exists: PathExists): FileDiagnostic[] {
  const { file, stages } = pipeline;
  const base = dirname(file.path);
  const produced = stages.flatMap((stage) => stage.outs.map((out) => out.fromFile));
  const found: FileDiagnostic[] = [];
  for (const stage of stages) {
    if (stage.templated) continue;
    for (const dep of stage.deps) {
      if (dep.path.includes('${') || isUrl(dep.path)) continue;
      const absolute = join(base, dep.fromFile);
      if (exists(absolute) || exists(`${absolute}.dvc`)) continue;
      if (produced.some((out) => overlaps(out, dep.fromFile))) continue;
      found.push({
        file: file.path,
        range: file.rangeOf(dep.node),
        severity: 'warning',
        message: `Dependency "${dep.path}" of stage "${stage.name}" does not exist and no stage in this file outputs it. Create it, track it with \`slipway add\`, or fix the path.`,
        code: MISSING_DEP,
      });
    }
  }
  return found;
}

function overlaps(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}

/** Remote deps (s3://, https://, remote://…) are not files in the workspace. */
function isUrl(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path);
}
