import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { ENGINE_ROUTES, type EngineDiscovery, type EngineHealth } from '../../shared/engine-api';
import type { ProjectPaths } from '../project';

/** True when a process with this pid exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A process that has exited but was not yet reaped by its parent (a zombie) still answers signal 0.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): trust signal 0
  }
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Writes a small private file atomically (mode 0600): readers never see half a file. */
export function writePrivateJson(path: string, value: unknown): void {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export function readDiscovery(paths: ProjectPaths): EngineDiscovery | null {
  const value = readJson<EngineDiscovery>(paths.engineFile);
  return value && typeof value.port === 'number' && typeof value.pid === 'number' && typeof value.token === 'string' ? value : null;
}

export interface SavedEngineState {
  port: number;
  token: string;
}

export function readSavedState(paths: ProjectPaths): SavedEngineState | null {
  const value = readJson<SavedEngineState>(paths.engineState);
  return value && typeof value.port === 'number' && typeof value.token === 'string' && value.token.length >= 16 ? value : null;
}

/** GET /health on an engine; resolves null when nothing healthy answers within `timeoutMs`. */
export function fetchHealth(port: number, timeoutMs = 1500): Promise<EngineHealth | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: ENGINE_ROUTES.health, method: 'GET', timeout: timeoutMs, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EngineHealth;
          resolve(res.statusCode === 200 && body.ok ? body : null);
        } catch {
          resolve(null);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

export type EngineProbe = { running: true; engine: EngineDiscovery } | { running: false; reason: string };

/**
 * Finds the project's running engine. A discovery file whose process is gone, or whose port answers for another
 * process, is stale and is removed.
 */
export async function probeEngine(paths: ProjectPaths): Promise<EngineProbe> {
  const found = readDiscovery(paths);
  if (!found) return { running: false, reason: 'No engine is running for this project.' };
  if (!isProcessAlive(found.pid)) {
    rmSync(paths.engineFile, { force: true });
    return { running: false, reason: `The engine recorded in ${paths.engineFile} (pid ${found.pid}) is no longer running; the stale file was removed.` };
  }
  const health = await fetchHealth(found.port);
  if (!health || health.pid !== found.pid) {
    return { running: false, reason: `Process ${found.pid} is alive but no engine answers on port ${found.port}.` };
  }
  return { running: true, engine: found };
}
