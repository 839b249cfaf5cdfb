import type { Command } from 'commander';
import { SlipwayError } from '../../engine/errors';
import { openProject } from '../../engine/project';
import { logArtifact, logBatch } from '../../engine/tracking';
import { action } from '../output';
import { resolveRunId } from './runs';

function currentRun(option: string | undefined): string {
  const id = option ?? process.env.SLIPWAY_RUN_ID ?? process.env.MLFLOW_RUN_ID;
  if (!id) throw new SlipwayError('INVALID_PARAMETER_VALUE', 'No run to log into: use this inside `slipway run -- …` (which sets SLIPWAY_RUN_ID), or pass --run RUN_ID.');
  return id;
}

export function registerLog(program: Command): void {
  const log = program.command('log').description('log into the current run (inside `slipway run`) or the one given with --run');
  const runOption = ['--run <id>', 'run id (default: $SLIPWAY_RUN_ID)'] as const;

  log
    .command('metric <key> <value>')
    .description('log one metric point')
    .option('-s, --step <step>', 'step', '0')
    .option(...runOption)
    .action(
      action((key: string, value: string, options: { step: string; run?: string }) => {
        const project = openProject(process.cwd());
        try {
          logBatch(project.tracking, { run_id: resolveRunId(project, currentRun(options.run)), metrics: [{ key, value, step: options.step, timestamp: Date.now() }] });
        } finally {
          project.close();
        }
      }),
    );

  for (const kind of ['param', 'tag'] as const) {
    log
      .command(`${kind} <key> <value>`)
      .description(`set one ${kind}`)
      .option(...runOption)
      .action(
        action((key: string, value: string, options: { run?: string }) => {
          const project = openProject(process.cwd());
          try {
            logBatch(project.tracking, { run_id: resolveRunId(project, currentRun(options.run)), [`${kind}s`]: [{ key, value }] });
          } finally {
            project.close();
          }
        }),
      );
  }

  log
    .command('artifact <file>')
    .description('store a file as an artifact of the run')
    .option('--as <path>', 'artifact path (default: the file name)')
    .option(...runOption)
    .action(
      action(async (file: string, options: { as?: string; run?: string }) => {
        const project = openProject(process.cwd());
        try {
          const name = options.as ?? file.split(/[\\/]/).pop() ?? file;
          await logArtifact(project.tracking, resolveRunId(project, currentRun(options.run)), name, { file });
        } finally {
          project.close();
        }
      }),
    );
}
