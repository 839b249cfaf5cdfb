import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { EngineServer } from '../api';
import type { Route } from '../api';
import { SlipwayError, messageOf } from '../errors';
import { newToken } from '../ids';
import { LiveProject, MonitorScheduler } from '../monitoring';
import { openProjectAt, ProjectPaths } from '../project';
import { VERSION } from '../version';
import type { EngineDiscovery } from '../../shared/engine-api';
import { isProcessAlive, readSavedState, writePrivateJson } from './discovery';

export interface RunningEngine {
  discovery: EngineDiscovery;
  /** Stops the engine gracefully and removes its discovery file. */
  stop(): Promise<void>;
  /** Resolves when the engine has stopped. */
  stopped: Promise<void>;
}

/**
 * Takes the project's engine lock (`.slipway/engine.lock`, created exclusively): a second engine for the same project
 * fails with a clear message, and a lock left by a dead process is taken over.
 */
function acquireLock(paths: ProjectPaths): () => void {
  const lockPath = `${paths.stateDir}/engine.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSafe(lockPath));
      if (holder && holder !== process.pid && isProcessAlive(holder)) {
        throw new SlipwayError('INVALID_STATE', `An engine is already running for ${paths.root} (pid ${holder}). Use \`slipway engine status\`, or \`slipway engine stop\` first.`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new SlipwayError('INVALID_STATE', `Could not take the engine lock ${lockPath}; remove it if no engine is running.`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

export interface RunEngineOptions {
  port?: number;
  routes?: Route[];
  /** The workspace is not trusted (the editor says so): alert commands and webhooks are skipped. Default: trusted. */
  untrusted?: boolean;
  /** Evaluate due monitors while running (default true). */
  monitors?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs the engine daemon for a project in this process: binds 127.0.0.1 (the saved port when free), reuses the saved
 * token, publishes `.slipway/engine.json` (mode 0600) once it answers, and evaluates monitors as their windows close.
 */
export async function runEngine(root: string, options: RunEngineOptions = {}): Promise<RunningEngine> {
  const paths = new ProjectPaths(root);
  if (!paths.initialized) throw new SlipwayError('NOT_A_PROJECT', `${root} has no .slipway/ folder. Run \`slipway init\` there first.`);
  const release = acquireLock(paths);
  let project;
  try {
    project = openProjectAt(paths);
  } catch (error) {
    release();
    throw error;
  }
  const saved = readSavedState(paths);
  const token = saved?.token ?? newToken();
  const live = new LiveProject(project);
  const server = new EngineServer({ project, token, version: VERSION, routes: options.routes ?? [], live });
  let port: number;
  try {
    port = await server.listen(options.port ?? saved?.port ?? 0).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE' || options.port) throw error;
      return server.listen(0); // the saved port is taken: pick another and save it
    });
  } catch (error) {
    project.close();
    release();
    throw new SlipwayError('INTERNAL_ERROR', `The engine could not listen on 127.0.0.1: ${messageOf(error)}.`, { cause: error });
  }
  writePrivateJson(paths.engineState, { port, token });
  const discovery: EngineDiscovery = { port, pid: process.pid, token, version: VERSION, url: `http://127.0.0.1:${port}`, startedAt: Date.now() };
  writePrivateJson(paths.engineFile, discovery);
  const scheduler = options.monitors === false ? null : new MonitorScheduler(live, { trusted: !options.untrusted, log: options.log });
  scheduler?.start();

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        const current = readFileSafe(paths.engineFile);
        if (current.includes(`"pid": ${process.pid}`)) rmSync(paths.engineFile, { force: true });
        await scheduler?.stop();
        await server.close();
      } finally {
        project.close();
        release();
        resolveStopped();
      }
    })());
  return { discovery, stop, stopped };
}
