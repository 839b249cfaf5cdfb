import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface CodeServer {
  url: string;
  /** The folder holding this instance's user data, extensions and logs. */
  home: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Installs the built extension by linking it into a fresh extensions folder as `<publisher>.<name>-<version>`: the
 * manifest is copied, dist/, media/ and node_modules/ are linked (the daemon loads better-sqlite3 from there).
 */
function installExtension(repo: string, extensionsDir: string): void {
  const target = join(extensionsDir, 'slipway.slipway-0.1.0');
  mkdirSync(target, { recursive: true });
  copyFileSync(join(repo, 'package.json'), join(target, 'package.json'));
  for (const dir of ['dist', 'media', 'node_modules']) symlinkSync(join(repo, dir), join(target, dir), 'dir');
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer ${url}/healthz within 30 s:\n${log()}`);
}

/**
 * Starts a fresh code-server (one per suite: every browser session leaves an extension host behind) with its state
 * under `home`, the extension at `repo` installed, and `settings` as user settings.
 */
export async function startCodeServer(bin: string, repo: string, home: string, settings: Record<string, unknown>): Promise<CodeServer> {
  rmSync(home, { recursive: true, force: true });
  const dirs = { user: join(home, 'user'), ext: join(home, 'ext'), tmp: join(home, 'tmp'), xdg: join(home, 'xdg') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.user, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.user, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'workbench.tips.enabled': false, 'git.enabled': false, ...settings }, null, 2),
  );
  writeFileSync(join(home, 'config.yaml'), 'auth: none\ncert: false\n');
  installExtension(repo, dirs.ext);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    bin,
    ['--config', join(home, 'config.yaml'), '--user-data-dir', dirs.user, '--extensions-dir', dirs.ext, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dirs.tmp, XDG_CONFIG_HOME: join(dirs.xdg, 'config'), XDG_DATA_HOME: join(dirs.xdg, 'data'), XDG_CACHE_HOME: join(dirs.xdg, 'cache'), XDG_STATE_HOME: join(dirs.xdg, 'state') },
    },
  );
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  await waitHealthy(url, child, () => output);
  return {
    url,
    home,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // The whole process group: code-server, its extension hosts and the language server.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
