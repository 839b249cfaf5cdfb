import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import type { DataLineageOutput } from '../../shared/lineage';
import { modelVersionsUsingData, runsUsingData } from '../../engine/lineage';
import { openProject } from '../../engine/project';
import { action, emit, table, withJson } from '../output';

/** A hash stays as given; a path is taken relative to the working directory and made root-relative. */
function targetOf(root: string, cwd: string, target: string): string {
  if (/^[0-9a-f]{32}(\.dir)?$/i.test(target)) return target;
  return relative(root, resolve(cwd, target)).split(sep).join('/');
}

export function registerLineage(program: Command): void {
  withJson(
    program
      .command('lineage')
      .description('show the runs and model versions that used a tracked path (any version) or a data hash')
      .argument('<target>', 'a tracked path or an md5 (a directory hash may end in .dir)'),
  ).action(
    action((target: string, options: { json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const t = targetOf(project.paths.root, process.cwd(), target);
        const output: DataLineageOutput = { target: t, runs: runsUsingData(project.store, t), modelVersions: modelVersionsUsingData(project.store, t) };
        emit(options.json === true, output, (o) => {
          if (!o.runs.length && !o.modelVersions.length) return `No run has used ${o.target}.\n`;
          let text = `Runs:\n${table(['RUN', 'NAME', 'STATUS', 'PATH', 'MD5'], o.runs.map((r) => [r.runId.slice(0, 8), r.runName, r.status, r.path, r.md5]))}`;
          if (o.modelVersions.length) text += `Model versions:\n${table(['MODEL', 'VERSION', 'RUN', 'PATH', 'MD5'], o.modelVersions.map((m) => [m.name, String(m.version), m.runId.slice(0, 8), m.path, m.md5]))}`;
          return text;
        });
      } finally {
        project.close();
      }
    }),
  );
}
