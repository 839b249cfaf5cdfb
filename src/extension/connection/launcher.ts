import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

export interface Runtime {
  command: string;
  env: Record<string, string>;
}

/**
 * Which program runs the daemon. A configured path wins. Inside Electron (desktop VS Code) the editor's own binary
 * runs as plain Node with ELECTRON_RUN_AS_NODE=1, so no separate Node install is needed (the VSIX's natives are built
 * for that runtime). Elsewhere (code-server, tests) the extension host already is Node.
 */
export function chooseRuntime(configuredNodePath: string, versions: NodeJS.ProcessVersions, execPath: string): Runtime {
  if (configuredNodePath.trim()) return { command: configuredNodePath.trim(), env: {} };
  if (versions.electron) return { command: execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
  return { command: execPath, env: {} };
}

/**
 * Starts `daemon.js --root <root>` detached from the extension host, so closing the window does not stop the engine
 * other processes use. Output goes to `.slipway/engine.log`. The caller waits for the discovery file (the daemon
 * announces itself only once it serves) or for the child's exit.
 */
/** Runs `slipway init` in `root` with the same runtime as the daemon; rejects with the CLI's error sentence. */
export function initProject(root: string, cliScript: string, runtime: Runtime): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(runtime.command, [cliScript, 'init'], { cwd: root, env: { ...process.env, ...runtime.env }, timeout: 30_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.trim() || error.message));
      else resolve();
    });
  });
}

/** `args` go after `--root`: `--untrusted` when the workspace is not trusted. */
export function spawnDaemon(root: string, daemonScript: string, runtime: Runtime, args: readonly string[] = []): ChildProcess {
  const log = openSync(join(root, '.slipway', 'engine.log'), 'a');
  try {
    const child = spawn(runtime.command, [daemonScript, '--root', root, ...args], {
      cwd: root,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...runtime.env },
    });
    child.unref();
    return child;
  } finally {
    closeSync(log);
  }
}
