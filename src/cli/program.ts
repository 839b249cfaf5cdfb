import { Command, CommanderError } from 'commander';
import { VERSION } from '../engine/version';
import { registerData } from './commands/data';
import { registerDrift } from './commands/drift';
import { registerAlerts, registerMonitor } from './commands/monitor';
import { registerEngine } from './commands/engine';
import { registerRemote } from './commands/remote';
import { registerEnv } from './commands/env';
import { registerImport } from './commands/import';
import { registerInit } from './commands/init';
import { registerGc } from './commands/gc';
import { registerLineage } from './commands/lineage';
import { registerLog } from './commands/log';
import { registerModels } from './commands/models';
import { registerPerformance } from './commands/performance';
import { registerRun } from './commands/run';
import { registerServe } from './commands/serve';
import { registerRuns } from './commands/runs';
import { exitCodeOf, printError } from './output';

/** Builds the `slipway` command tree. */
export function buildProgram(): Command {
  const program = new Command('slipway')
    .description('Local-first MLOps: versioned data and models, tracked runs, pipelines, monitoring and serving.')
    .version(VERSION)
    .showHelpAfterError('(run `slipway help` for the list of commands)')
    .exitOverride();
  registerInit(program);
  registerRun(program);
  registerRuns(program);
  registerLog(program);
  registerModels(program);
  registerEnv(program);
  registerEngine(program);
  registerImport(program);
  registerServe(program);
  registerData(program);
  registerRemote(program);
  registerDrift(program);
  registerPerformance(program);
  registerMonitor(program);
  registerAlerts(program);
  registerLineage(program);
  registerGc(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI; the process exits with the code the conventions assign (0, 1 verdict, 2 usage, 3 runtime, 130). */
export async function runCli(argv: string[]): Promise<void> {
  process.once('SIGINT', () => {
    // Without a child to wait for, an interrupt ends the command at once.
    if (!process.listenerCount('SIGINT')) process.exit(130);
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = exitCodeOf(error);
      return;
    }
    printError(error, argv.includes('--json'));
    process.exitCode = exitCodeOf(error);
  }
}
