import type { Command } from 'commander';
import type { InitOutput } from '../../shared/cli';
import { initProject } from '../../engine/project';
import { action, emit, withJson } from '../output';

export function registerInit(program: Command): void {
  withJson(program.command('init [dir]').description('make a folder a Slipway project: create .slipway/ and git-ignore it')).action(
    action((dir: string | undefined, options: { json?: boolean }) => {
      const result: InitOutput = initProject(dir ?? process.cwd());
      emit(options.json === true, result, (r) =>
        `${r.created ? 'Initialized' : 'Already initialized:'} Slipway project in ${r.root}${r.gitignoreUpdated ? ' (.slipway/ added to .gitignore)' : ''}\n`,
      );
    }),
  );
}
