import type { Command } from 'commander';
import type { EngineStatusOutput } from '../../shared/cli';
import { SlipwayError } from '../../engine/errors';
import { probeEngine, runEngine, startEngineDetached, stopEngine } from '../../engine/lifecycle';
import { trustedFromEnv } from '../../engine/monitoring';
import { requireProject } from '../../engine/project';
import { action, emit, withJson } from '../output';

export function registerEngine(program: Command): void {
  const engine = program.command('engine').description("start, stop and inspect the project's engine daemon");

  withJson(
    engine
      .command('start')
      .description('start the engine in the background (or say where it already runs)')
      .option('--foreground', 'run in this process until interrupted')
      .option('--port <port>', 'listen on this port instead of the saved one')
      .option('--untrusted', 'the workspace is not trusted: monitor alerts never run commands or call webhooks'),
  ).action(
    action(async (options: { foreground?: boolean; port?: string; untrusted?: boolean; json?: boolean }) => {
      const paths = requireProject(process.cwd());
      if (!paths.initialized) throw new SlipwayError('NOT_A_PROJECT', `${paths.root} has no .slipway/ folder. Run \`slipway init\` there first.`);
      if (options.foreground) {
        const running = await runEngine(paths.root, { port: options.port ? Number(options.port) : undefined, untrusted: options.untrusted === true || !trustedFromEnv() });
        process.stderr.write(`slipway: engine listening on ${running.discovery.url} (Ctrl-C to stop)\n`);
        const stop = () => void running.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await running.stopped;
        return;
      }
      const { engine: found, alreadyRunning } = await startEngineDetached(paths, { untrusted: options.untrusted === true });
      const output: EngineStatusOutput = { running: true, engine: found };
      emit(options.json === true, output, () =>
        alreadyRunning ? `Engine already running on ${found.url} (pid ${found.pid}).\n` : `Engine started on ${found.url} (pid ${found.pid}).\n`,
      );
    }),
  );

  engine
    .command('stop')
    .description('stop the engine gracefully')
    .action(
      action(async () => {
        const stopped = await stopEngine(requireProject(process.cwd()));
        process.stdout.write(stopped ? 'Engine stopped.\n' : 'No engine was running.\n');
      }),
    );

  withJson(engine.command('status').description('say whether the engine runs, and where')).action(
    action(async (options: { json?: boolean }) => {
      const probe: EngineStatusOutput = await probeEngine(requireProject(process.cwd()));
      emit(options.json === true, probe, (p) => (p.running ? `Engine running on ${p.engine.url} (pid ${p.engine.pid}, version ${p.engine.version}).\n` : `${p.reason}\n`));
    }),
  );
}
