import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EngineDiscovery } from '../../src/shared/engine-api';

export const REPO = resolve(import.meta.dirname, '../..');
export const DIST = join(REPO, 'dist');
const CLI = join(DIST, 'cli.js');

/** A temp project folder, optionally a git repo with one commit, with `slipway init` done. */
export function makeProject(options: { git: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ext-'));
  if (options.git) {
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'init'], { cwd: dir });
  }
  cli(dir, 'init');
  return dir;
}

/** Runs the real CLI in `dir`; throws with its stderr when it fails. */
export function cli(dir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, SLIPWAY_RUN_ID: '' } });
  if (result.status !== 0) throw new Error(`slipway ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Stops the folder's engine without blocking this process: a daemon that this process spawned stays a zombie (and
 * looks alive to `engine stop`) until our event loop is free to reap it.
 */
export function stopEngine(dir: string): Promise<void> {
  return new Promise((resolve) => execFile(process.execPath, [CLI, 'engine', 'stop'], { cwd: dir }, () => resolve()));
}

/** Logs one finished run with a metric and a param; returns its id. */
export function logRun(dir: string, experiment: string, name: string, metric = '0.75'): string {
  cli(dir, 'run', '--experiment', experiment, '--name', name, '--', process.execPath, CLI, 'log', 'metric', 'accuracy', metric);
  const list = JSON.parse(cli(dir, 'runs', 'list', '--json')) as { runs: { runId: string; runName: string }[] };
  return list.runs.find((r) => r.runName === name)!.runId;
}

export function discovery(dir: string): EngineDiscovery {
  return JSON.parse(readFileSync(join(dir, '.slipway', 'engine.json'), 'utf8')) as EngineDiscovery;
}

/** Resolves with the first value of `subscribe`'s event that satisfies `accept`; rejects after `ms` naming `what`. */
export function waitFor<T>(subscribe: (listener: (value: T) => void) => { dispose(): void }, accept: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const sub = subscribe((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      sub.dispose();
      resolvePromise(value);
    });
  });
}
