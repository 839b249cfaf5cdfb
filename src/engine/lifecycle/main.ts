import { resolve } from 'node:path';
import { messageOf } from '../errors';
import { trustedFromEnv } from '../monitoring/trust';
import { runEngine } from './run';

/**
 * Entry of the engine daemon process: `daemon.js --root DIR [--port N] [--untrusted]`. Runs until SIGTERM or SIGINT.
 * `--untrusted` (or SLIPWAY_UNTRUSTED=1) comes from an editor that does not trust the workspace: alert commands and
 * webhooks are then skipped.
 */
export async function main(argv: string[]): Promise<void> {
  const rootIndex = argv.indexOf('--root');
  const portIndex = argv.indexOf('--port');
  const root = resolve(rootIndex >= 0 ? argv[rootIndex + 1] ?? '.' : '.');
  const port = portIndex >= 0 ? Number(argv[portIndex + 1]) : undefined;
  try {
    const stamp = () => new Date().toISOString();
    const untrusted = argv.includes('--untrusted') || !trustedFromEnv();
    const engine = await runEngine(root, { port, untrusted, log: (line) => console.log(`${stamp()} ${line}`) });
    console.log(`${stamp()} engine ${engine.discovery.version} pid ${process.pid} listening on ${engine.discovery.url} for ${root}`);
    const shutdown = (signal: string) => {
      console.log(`${stamp()} ${signal}: stopping`);
      engine.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`${stamp()} error while stopping: ${messageOf(error)}`);
          process.exit(3);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGHUP', () => shutdown('SIGHUP'));
  } catch (error) {
    console.error(`engine failed to start: ${messageOf(error)}`);
    process.exit(3);
  }
}
