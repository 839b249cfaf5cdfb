import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { EndpointDiscovery } from '../../shared/serving';
import { isProcessAlive } from '../connection/discovery';
import type { Runtime } from '../connection/launcher';
import type { EndpointsModel } from './model';

export interface ServeRequest {
  root: string;
  cliScript: string;
  runtime: Runtime;
  modelRef: string;
  timeoutMs?: number;
}

/** Where a serve process started from the editor writes its output. */
export function serveLogPath(root: string, modelRef: string): string {
  return join(root, '.slipway', 'logs', `serve-${modelRef.replace(/[^A-Za-z0-9._@:-]/g, '_')}.log`);
}

/**
 * Starts `cli.js serve MODELREF --port 0 --json` detached from the extension host (closing the window leaves it
 * serving; Stop Serving or `kill` ends it), and resolves with its endpoint once its discovery file appears. The
 * endpoints model is fed by a file watcher; while this start is pending the folder is also re-read every 250 ms,
 * because file watchers are not dependable everywhere (inotify limits, network file systems) and a start must not
 * hang on a missed event.
 */
export function startServing(request: ServeRequest, endpoints: EndpointsModel): Promise<EndpointDiscovery> {
  const log = serveLogPath(request.root, request.modelRef);
  mkdirSync(join(log, '..'), { recursive: true });
  const fd = openSync(log, 'a');
  const child = (() => {
    try {
      return spawn(request.runtime.command, [request.cliScript, 'serve', request.modelRef, '--port', '0', '--json'], {
        cwd: request.root,
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, ...request.runtime.env },
      });
    } finally {
      closeSync(fd);
    }
  })();
  const pid = child.pid;
  child.unref();
  const limit = request.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, endpoint?: EndpointDiscovery) => {
      clearTimeout(timer);
      clearInterval(poll);
      listener.dispose();
      if (error) reject(error);
      else resolve(endpoint!);
    };
    const check = () => {
      const found = endpoints.endpoints.find((e) => e.pid === pid);
      if (found) done(null, found);
    };
    const listener = endpoints.onDidChange(check);
    const poll = setInterval(() => void endpoints.reload().then(check), 250);
    const timer = setTimeout(() => done(new Error(`${request.modelRef} did not start serving within ${limit / 1000} s. See ${log}.`)), limit);
    child.once('error', (error) => done(new Error(`Could not run ${request.runtime.command}: ${error.message}. Set slipway.engine.nodePath to a Node.js 20 binary.`)));
    child.once('exit', (code) => {
      done(new Error(`Serving ${request.modelRef} stopped with exit code ${code ?? 'null'}. See ${log}.`));
      // A server killed hard leaves its file behind; its exit is the only news of that, so look again.
      void endpoints.reload();
    });
    void endpoints.reload().then(check);
  });
}

/**
 * Asks a serve process to stop (SIGTERM: it closes connections, flushes its prediction log and removes its file) and
 * waits up to `timeoutMs` for it to exit, then re-reads the endpoints folder so the views do not depend on a file
 * watcher's event. 'gone' when the process had already exited; 'running' when it outlived the wait.
 */
export async function stopServing(endpoint: EndpointDiscovery, endpoints: EndpointsModel, timeoutMs = 10_000): Promise<'stopped' | 'gone' | 'running'> {
  try {
    process.kill(endpoint.pid, 'SIGTERM');
  } catch {
    await endpoints.reload();
    return 'gone';
  }
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(endpoint.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await endpoints.reload();
  return isProcessAlive(endpoint.pid) ? 'running' : 'stopped';
}

/** The answer of `POST <url>/predict` to a request body, pretty-printed when it is JSON. */
export async function sendPrediction(endpoint: EndpointDiscovery, body: string, timeoutMs = 30_000): Promise<{ status: number; text: string }> {
  const res = await fetch(`${endpoint.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) });
  const raw = await res.text();
  let text = raw;
  try {
    text = JSON.stringify(JSON.parse(raw), null, 2);
  } catch {
    // Not JSON: shown as the server sent it.
  }
  return { status: res.status, text };
}
