import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineDiscovery } from '../../shared/engine-api';

/** True once `slipway init` has created the folder's .slipway/ state directory. */
export function isInitialized(root: string): boolean {
  return existsSync(join(root, '.slipway'));
}

/** Where a running daemon announces itself. */
export function discoveryPath(root: string): string {
  return join(root, '.slipway', 'engine.json');
}

/** The daemon's discovery file, or null when there is none or it is unreadable (a daemon may be writing it). */
export async function readDiscovery(root: string): Promise<EngineDiscovery | null> {
  let text: string;
  try {
    text = await readFile(discoveryPath(root), 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as Partial<EngineDiscovery>;
    if (typeof value.port !== 'number' || typeof value.pid !== 'number' || typeof value.token !== 'string' || typeof value.url !== 'string') return null;
    return value as EngineDiscovery;
  } catch {
    return null;
  }
}

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
