import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** code-server 4.100.3 is VS Code 1.100.3, the newest that runs on Node 20 (package.json pins engines.vscode ^1.100.0). */
export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];

/** Outside the project, so `npm ci` stays fast and every worktree shares one install. */
export function toolsDir(): string {
  return process.env.SLIPWAY_TEST_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'slipway-test-tools');
}

export interface Tools {
  codeServer: string;
  chromium: string;
  /** What was installed by this call, with seconds taken (empty when everything was cached). */
  installed: string[];
}

const isRoot = () => process.getuid?.() === 0;

function fail(what: string): never {
  throw new Error(`The end-to-end tests need ${what}. Nothing was skipped: install it and run again.`);
}

/** Installs missing Debian packages when root; otherwise fails naming them. */
export function ensureAptPackages(installed: string[], packages: readonly string[] = APT_PACKAGES): void {
  const missing = packages.filter((pkg) => spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout !== 'install ok installed');
  if (!missing.length) return;
  if (!isRoot()) fail(`the Debian packages ${missing.join(', ')} (as root: apt-get install -y ${missing.join(' ')})`);
  const started = Date.now();
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
  const install = spawnSync('apt-get', ['install', '-y', '-q', ...missing], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (update.status !== 0 || install.status !== 0) fail(`the Debian packages ${missing.join(', ')}; apt-get failed: ${install.stderr.slice(-500)}`);
  installed.push(`apt: ${missing.join(' ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

function ensureCodeServer(installed: string[]): string {
  const home = join(toolsDir(), `code-server-${CODE_SERVER_VERSION}`);
  const bin = join(home, 'node_modules', '.bin', 'code-server');
  if (existsSync(bin)) return bin;
  const started = Date.now();
  const staging = `${home}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const tmp = join(staging, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // @vscode/ripgrep downloads a binary from GitHub at install time; seed its cache with Debian's rg instead.
  const rgCache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(rgCache, { recursive: true });
  execFileSync('tar', ['czf', join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', '/usr/bin', 'rg']);
  const result = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--unsafe-perm=true', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: staging,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: tmp, npm_config_yes: 'true', npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr', npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0 || !existsSync(join(staging, 'node_modules', '.bin', 'code-server'))) {
    fail(`code-server@${CODE_SERVER_VERSION} in ${home} (npm install failed: ${(result.stderr || result.stdout).slice(-800)})`);
  }
  rmSync(tmp, { recursive: true, force: true });
  renameSync(staging, home);
  installed.push(`code-server@${CODE_SERVER_VERSION} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return bin;
}

/** Installs what the real-host tests need on first use (cached afterwards); fails naming what is missing. */
export function ensureTools(): Tools {
  const installed: string[] = [];
  ensureAptPackages(installed);
  if (!existsSync(CHROMIUM)) fail(`Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  const codeServer = ensureCodeServer(installed);
  return { codeServer, chromium: CHROMIUM, installed };
}
