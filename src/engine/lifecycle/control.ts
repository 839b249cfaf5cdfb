import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineDiscovery } from '../../shared/engine-api';
import { SlipwayError } from '../errors';
import type { ProjectPaths } from '../project';
import { isProcessAlive, probeEngine, readDiscovery } from './discovery';

/** Where the daemon's bundled entry point lives next to the CLI bundle. */
export function daemonScript(): string {
  return join(__dirname, 'daemon.js');
}

/**
 * Starts the daemon as a detached background process (or returns the one already running) and waits until it
 * answers. Output goes to `.slipway/engine.log`.
 */
export async function startEngineDetached(paths: ProjectPaths, options: { nodePath?: string; script?: string; timeoutMs?: number; untrusted?: boolean } = {}): Promise<{ engine: EngineDiscovery; alreadyRunning: boolean }> {
  const probe = await probeEngine(paths);
  if (probe.running) return { engine: probe.engine, alreadyRunning: true };
  const script = options.script ?? daemonScript();
  if (!existsSync(script)) throw new SlipwayError('INTERNAL_ERROR', `The engine entry point ${script} is missing; run \`npm run build\`.`);
  const log = openSync(paths.engineLog, 'a', 0o600);
  const child = spawn(options.nodePath ?? process.execPath, [script, '--root', paths.root, ...(options.untrusted ? ['--untrusted'] : [])], {
    cwd: paths.root,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(log);
  const exited: { code: number | null } = { code: null };
  child.on('exit', (code) => (exited.code = code ?? 1));
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    if (exited.code !== null) {
      // Lost a race with another starter, which now runs the engine; otherwise a real failure.
      const other = await probeEngine(paths);
      if (other.running) return { engine: other.engine, alreadyRunning: true };
      throw new SlipwayError('INTERNAL_ERROR', `The engine exited during start-up (code ${exited.code}); see ${paths.engineLog}.`);
    }
    const found = readDiscovery(paths);
    if (found?.pid === child.pid) {
      const probe2 = await probeEngine(paths);
      if (probe2.running) return { engine: probe2.engine, alreadyRunning: false };
    }
    await sleep(50);
  }
  throw new SlipwayError('INTERNAL_ERROR', `The engine did not answer within ${(options.timeoutMs ?? 15_000) / 1000} s; see ${paths.engineLog}.`);
}

/** Asks the running engine to stop (SIGTERM, then SIGKILL after `graceMs`). Resolves false when none was running. */
export async function stopEngine(paths: ProjectPaths, graceMs = 10_000): Promise<boolean> {
  const found = readDiscovery(paths);
  if (!found || !isProcessAlive(found.pid)) return false;
  process.kill(found.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(found.pid)) return true;
    await sleep(50);
  }
  process.kill(found.pid, 'SIGKILL');
  return true;
}
