import type { Command } from 'commander';
import type { EnvOutput } from '../../shared/cli';
import { SlipwayError } from '../../engine/errors';
import { probeEngine, readSavedState } from '../../engine/lifecycle';
import { requireProject } from '../../engine/project';
import { action, emit, withJson } from '../output';

export function registerEnv(program: Command): void {
  withJson(program.command('env').description("print the environment that points MLflow clients at this project's engine (eval \"$(slipway env)\")")).action(
    action(async (options: { json?: boolean }) => {
      const paths = requireProject(process.cwd());
      const probe = await probeEngine(paths);
      let url: string;
      let token: string;
      if (probe.running) {
        url = probe.engine.url;
        token = probe.engine.token;
      } else {
        // The engine reuses its saved port and token, so these stay valid once it is started again.
        const saved = readSavedState(paths);
        if (!saved) throw new SlipwayError('INVALID_STATE', 'No engine has run for this project yet. Start one with `slipway engine start`, then run `slipway env` again.');
        url = `http://127.0.0.1:${saved.port}`;
        token = saved.token;
        process.stderr.write('slipway: the engine is not running; these settings work once `slipway engine start` has run.\n');
      }
      const output: EnvOutput = { MLFLOW_TRACKING_URI: url, MLFLOW_TRACKING_TOKEN: token };
      emit(options.json === true, output, (o) => `export MLFLOW_TRACKING_URI=${o.MLFLOW_TRACKING_URI}\nexport MLFLOW_TRACKING_TOKEN=${o.MLFLOW_TRACKING_TOKEN}\n`);
    }),
  );
}
