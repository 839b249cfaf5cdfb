import { spawn } from 'node:child_process';
import type { CliErrorOutput } from '../../shared/cli';
import type { Runtime } from '../connection/launcher';

export interface CliRunnerOptions {
  /** The bundled CLI (`<extension>/dist/cli.js`). */
  cliScript: string;
  /** Folder the command runs in (the workspace root). */
  cwd: string;
  /** The program that runs the CLI, chosen per call so a changed setting applies. */
  runtime(): Runtime;
  /** After a cancel, how long the CLI gets to end before it is killed outright (default 2000 ms). */
  killGraceMs?: number;
  /** Called with the child's pid once it runs (tests follow the process with it). */
  onSpawn?(pid: number): void;
  /** Exit code 1 (a negative verdict, e.g. drift detected) with JSON on stdout is a result, not a failure. */
  negativeIsResult?: boolean;
}

/** The CLI ended with an error; `code` is the engine's error code (e.g. INVALID_STATE). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

/** The command was cancelled and its process has ended. */
export class CliCancelled extends Error {
  constructor(readonly command: string) {
    super(`slipway ${command} was cancelled.`);
  }
}

/** The sentence to show for a failed run: the CLI's JSON error, else its last line on stderr. */
export function errorOf(stderr: string, exitCode: number | null, signal: NodeJS.Signals | null): CliError {
  const lines = stderr.trim().split('\n').filter(Boolean);
  for (const line of [...lines].reverse()) {
    try {
      const parsed = JSON.parse(line) as Partial<CliErrorOutput>;
      if (parsed.error && typeof parsed.error.message === 'string') return new CliError(parsed.error.message, parsed.error.code ?? 'INTERNAL_ERROR', exitCode);
    } catch {
      // not the JSON error line
    }
  }
  const last = lines.at(-1)?.replace(/^slipway: /, '');
  const why = last ?? (signal ? `it was stopped by ${signal}` : `it exited with code ${exitCode ?? '?'}`);
  return new CliError(last ? why : `The slipway command failed: ${why}.`, 'INTERNAL_ERROR', exitCode);
}

/**
 * Runs `slipway <args> --json` as a child process and resolves to its parsed JSON. Long data operations run this way,
 * not in the engine: cancelling ends the process (SIGINT, then SIGKILL after a grace period), and the engine's atomic
 * writes leave the old pointer files and cache objects or the new ones, never parts.
 */
export function runCli<T>(options: CliRunnerOptions, args: readonly string[], signal?: AbortSignal): Promise<T> {
  const command = args[0] ?? '';
  if (signal?.aborted) return Promise.reject(new CliCancelled(command));
  const runtime = options.runtime();
  return new Promise<T>((resolve, reject) => {
    const child = spawn(runtime.command, [options.cliScript, ...args, '--json'], {
      cwd: options.cwd,
      env: { ...process.env, ...runtime.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    const onAbort = () => {
      cancelled = true;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 2000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new CliError(`Could not run ${runtime.command}: ${error.message}. Check the "slipway.engine.nodePath" setting.`, 'INTERNAL_ERROR', null));
    });
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (cancelled) return reject(new CliCancelled(command));
      const negative = exitCode === 1 && options.negativeIsResult === true && stdout.trim() !== '';
      if (exitCode !== 0 && !negative) return reject(errorOf(stderr, exitCode, exitSignal));
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new CliError(`slipway ${command} printed something other than JSON: ${stdout.slice(0, 200)}`, 'INTERNAL_ERROR', exitCode));
      }
    });
  });
}
