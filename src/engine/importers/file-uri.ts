import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Maps an artifact location recorded by an MLflow FileStore to a folder on this machine. Stores are often copied
 * between machines (the fixture in this repository was written on Windows: `file:///C:/…/mlruns/0/…`), so a location
 * under a folder named `mlruns` is rebased onto the store being imported; otherwise a local `file:` path is used
 * as it is. Returns null when no such folder exists here.
 */
export function rebaseArtifactUri(uri: string, mlrunsRoot: string, storeFolderName = 'mlruns'): string | null {
  let path = uri;
  if (/^file:/i.test(path)) {
    path = decodeURIComponent(path.replace(/^file:(\/\/)?/i, ''));
    if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1); // file:///C:/x → C:/x
  }
  const normal = path.replace(/\\/g, '/');
  const marker = `/${storeFolderName}/`;
  const at = normal.lastIndexOf(marker);
  if (at >= 0) {
    const rebased = join(mlrunsRoot, ...normal.slice(at + marker.length).split('/').filter(Boolean));
    if (existsSync(rebased)) return rebased;
  }
  if (!/^[A-Za-z]:\//.test(normal) && existsSync(normal)) return normal;
  return null;
}
