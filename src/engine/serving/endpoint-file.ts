import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EndpointDiscovery } from '../../shared/serving';

/** `.slipway/endpoints/<name>.json` of a project's state folder. */
export function endpointFilePath(stateDir: string, name: string): string {
  return join(stateDir, 'endpoints', `${name.replace(/[^A-Za-z0-9._@:-]/g, '_')}.json`);
}

/** Writes the discovery file atomically with mode 0600 (it holds the feedback token). */
export function writeEndpointFile(path: string, endpoint: EndpointDiscovery): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(endpoint, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Removes the file if it still describes this process (a newer server for the same name may have replaced it). */
export function removeEndpointFile(path: string, pid = process.pid): void {
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as EndpointDiscovery;
    if (current.pid === pid) rmSync(path, { force: true });
  } catch {
    // Already gone or unreadable: nothing of ours to remove.
  }
}

/** Reads an endpoint's discovery file, or null when it is absent or its process is gone. */
export function readEndpointFile(path: string): EndpointDiscovery | null {
  let endpoint: EndpointDiscovery;
  try {
    endpoint = JSON.parse(readFileSync(path, 'utf8')) as EndpointDiscovery;
  } catch {
    return null;
  }
  try {
    process.kill(endpoint.pid, 0);
    return endpoint;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? endpoint : null;
  }
}
