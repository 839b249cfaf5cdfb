import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { md5File } from '../objects';
import type { TrackingContext } from './context';
import { logArtifact } from './artifacts';
import { logBatch } from './logging';

const run = promisify(execFile);

/** Lock and requirements files whose hash pins a run's dependencies. */
export const LOCK_FILES = ['requirements.txt', 'requirements-dev.txt', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'pdm.lock', 'environment.yml', 'environment.yaml', 'conda-lock.yml', 'package-lock.json'] as const;

export const ENVIRONMENT_ARTIFACT = 'slipway/environment.json';

export interface PythonEnvironment {
  language: 'python';
  interpreter: string;
  version: string;
  packages: { name: string; version: string }[];
}

/** True when the command runs a Python interpreter (`python`, `python3`, `python3.11`, a path to one). */
export function pythonInterpreterOf(command: readonly string[]): string | null {
  const first = command[0];
  if (!first) return null;
  return /^python(\d+(\.\d+)?)?$/.test(basename(first)) ? first : null;
}

/**
 * The installed packages of a Python interpreter, read with `python -m pip list --format=json`. Null when the
 * interpreter or pip is unavailable (recorded as a note, never a failure of the run).
 */
export async function capturePython(interpreter: string, cwd: string): Promise<PythonEnvironment | { error: string }> {
  try {
    const version = (await run(interpreter, ['-c', 'import platform; print(platform.python_version())'], { cwd, timeout: 20_000 })).stdout.trim();
    const listed = await run(interpreter, ['-m', 'pip', 'list', '--format=json', '--disable-pip-version-check'], { cwd, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
    const packages = (JSON.parse(listed.stdout) as { name: string; version: string }[]).map((p) => ({ name: p.name, version: p.version }));
    return { language: 'python', interpreter, version, packages };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] ?? 'unknown error' };
  }
}

/**
 * Records a run's environment: the md5 of each lock or requirements file in `dir`, and for a Python command the
 * interpreter's version and installed packages (tags plus the artifact `slipway/environment.json`).
 */
export async function recordEnvironment(ctx: TrackingContext, runId: string, command: readonly string[], dir: string): Promise<void> {
  const tags: { key: string; value: string }[] = [{ key: 'slipway.env.node', value: process.version }];
  for (const name of LOCK_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) tags.push({ key: `slipway.env.lockfile.${name}`, value: (await md5File(path)).md5 });
  }
  const interpreter = pythonInterpreterOf(command);
  if (interpreter) {
    const env = await capturePython(interpreter, dir);
    if ('error' in env) {
      tags.push({ key: 'slipway.env.language', value: 'python' }, { key: 'slipway.env.note', value: `Package versions not recorded: ${env.error}`.slice(0, 8000) });
    } else {
      tags.push({ key: 'slipway.env.language', value: 'python' }, { key: 'slipway.env.python_version', value: env.version }, { key: 'slipway.env.package_count', value: String(env.packages.length) });
      await logArtifact(ctx, runId, ENVIRONMENT_ARTIFACT, { data: Buffer.from(`${JSON.stringify(env, null, 2)}\n`) });
    }
  }
  logBatch(ctx, { run_id: runId, tags });
}
