import type { Command } from 'commander';
import type { ImportMlrunsOutput } from '../../shared/cli';
import { importMlruns } from '../../engine/importers';
import { openProject } from '../../engine/project';
import { action, emit, withJson } from '../output';

export function registerImport(program: Command): void {
  const imports = program.command('import').description('bring records from other tools into this project');
  withJson(imports.command('mlruns <path>').description('import an MLflow FileStore folder (experiments, runs, metrics, artifacts, logged models, registry); safe to repeat')).action(
    action(async (path: string, options: { json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const report: ImportMlrunsOutput = await importMlruns(project.tracking, path);
        emit(options.json === true, report, (r) =>
          [
            `Imported ${r.experiments} experiments, ${r.runs} runs (${r.metrics} metric points, ${r.params} params, ${r.tags} tags), ${r.artifacts} artifact files, ${r.loggedModels} logged models and ${r.registeredModels} registered models (${r.modelVersions} versions).`,
            ...r.notes.map((n) => `note: ${n}`),
            '',
          ].join('\n'),
        );
      } finally {
        project.close();
      }
    }),
  );
}
