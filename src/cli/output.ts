import { Command, CommanderError } from 'commander';
import { ExitCode, type CliErrorOutput } from '../shared/cli';
import { SlipwayError, isUsageError, messageOf } from '../engine/errors';

/** Thrown by an action to end the command with a specific exit code after it has printed what it wants. */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Exit code for an error: usage problems 2, everything else 3. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof ExitWith) return error.code;
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : ExitCode.usage;
  return isUsageError(error) ? ExitCode.usage : ExitCode.runtime;
}

/** Prints an error on stderr: one sentence plus what to do, or `{ "error": { code, message } }` with --json. */
export function printError(error: unknown, json: boolean): void {
  const code = error instanceof SlipwayError ? error.code : 'INTERNAL_ERROR';
  const message = messageOf(error);
  if (json) {
    const body: CliErrorOutput = { error: { code, message } };
    process.stderr.write(`${JSON.stringify(body)}\n`);
  } else {
    process.stderr.write(`slipway: ${message}\n`);
  }
}

/** Writes a command's result: JSON when asked, else the human rendering. */
export function emit<T>(json: boolean, value: T, human: (value: T) => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : human(value));
}

/** Adds `--json` to a command. */
export function withJson(command: Command): Command {
  return command.option('--json', 'print machine-readable JSON (types in src/shared/cli.ts)');
}

/**
 * Wraps an action so that every failure becomes a clear message on stderr and the right exit code. Actions receive
 * their options object last, as commander passes it.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const options = args.find((a, i) => i === args.length - 2 && typeof a === 'object' && a !== null) as { json?: boolean } | undefined;
    try {
      await fn(...args);
    } catch (error) {
      if (!(error instanceof ExitWith)) printError(error, options?.json === true);
      process.exitCode = exitCodeOf(error);
    }
  };
}

/** Renders rows as aligned columns. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes}m ${Math.round((ms % 60_000) / 1000)}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
