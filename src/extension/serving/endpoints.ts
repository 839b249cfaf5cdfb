import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EndpointDiscovery } from '../../shared/serving';
import { isProcessAlive } from '../connection/discovery';

/** Where serve processes announce themselves, relative to the workspace root (a FileSystemWatcher glob uses it). */
export const ENDPOINTS_GLOB = '.slipway/endpoints/*.json';

export function endpointsDir(root: string): string {
  return join(root, '.slipway', 'endpoints');
}

/** An endpoint file's content, or null when it is not one (a half-written temp file, something else). */
export function parseEndpoint(text: string): EndpointDiscovery | null {
  try {
    const value = JSON.parse(text) as Partial<EndpointDiscovery>;
    if (typeof value.name !== 'string' || typeof value.url !== 'string' || typeof value.port !== 'number' || typeof value.pid !== 'number') return null;
    if (typeof value.model !== 'string' || typeof value.version !== 'string') return null;
    return value as EndpointDiscovery;
  } catch {
    return null;
  }
}

/**
 * The endpoints served now: files whose process is alive. A file left by a killed server (its pid is gone) means
 * nothing is serving there, so it is skipped rather than shown.
 */
export async function readEndpoints(root: string, alive: (pid: number) => boolean = isProcessAlive): Promise<EndpointDiscovery[]> {
  let names: string[];
  try {
    names = await readdir(endpointsDir(root));
  } catch {
    return [];
  }
  const found: EndpointDiscovery[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const endpoint = parseEndpoint(await readFile(join(endpointsDir(root), name), 'utf8').catch(() => ''));
    if (endpoint && alive(endpoint.pid)) found.push(endpoint);
  }
  return found;
}

/** The status-bar text and tooltip for the served endpoints; null hides the item. */
export function servedStatus(endpoints: readonly EndpointDiscovery[]): { text: string; tooltip: string } | null {
  if (!endpoints.length) return null;
  const lines = endpoints.map((e) => `${e.name} → ${e.model}:${e.version} at ${e.url} (pid ${e.pid})`);
  const text = endpoints.length === 1 ? `$(server-process) ${endpoints[0]!.name} :${endpoints[0]!.port}` : `$(server-process) ${endpoints.length} endpoints`;
  return { text, tooltip: `Served by Slipway:\n${lines.join('\n')}\nClick to send a request from a JSON file.` };
}
