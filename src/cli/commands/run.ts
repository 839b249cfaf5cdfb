import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { constants } from 'node:os';
import type { Command } from 'commander';
import type { RunResultOutput } from '../../shared/cli';
import type { RunStatus } from '../../shared/mlflow';
import { SlipwayError, messageOf } from '../../engine/errors';
import { recordDataVersions } from '../../engine/lineage';
import { probeEngine } from '../../engine/lifecycle';
import { openProject } from '../../engine/project';
import { createRun, ensureExperiment, logArtifact, logBatch, recordEnvironment, recordGitProvenance, updateRun } from '../../engine/tracking';
import { ExitWith, action, formatDuration } from '../output';

export const OUTPUT_ARTIFACT = 'slipway/output.log';

function parsePairs(values: string[] | undefined, what: string): { key: string; value: string }[] {
  return (values ?? []).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new SlipwayError('INVALID_PARAMETER_VALUE', `--${what} takes KEY=VALUE, got "${pair}".`);
    return { key: pair.slice(0, eq), value: pair.slice(eq + 1) };
  });
}

/** Exit code for a child that ended with a code or a signal, as shells report it. */
function childExitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 1);
  return code ?? 1;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a command as a tracked run: exit code, output, duration and git provenance are recorded')
    .argument('<command...>', 'the command, after --')
    .option('-e, --experiment <name>', 'experiment to log into (default: tracking.experiment in slipway.yaml, else Default)')
    .option('-n, --name <name>', 'run name (default: generated)')
    .option('-p, --param <key=value...>', 'params to record')
    .option('-t, --tag <key=value...>', 'tags to record')
    .option('--json', 'print the result as JSON when the command has finished')
    .action(
      action(async (command: string[], options: { experiment?: string; name?: string; param?: string[]; tag?: string[]; json?: boolean }) => {
        const project = openProject(process.cwd());
        const params = parsePairs(options.param, 'param');
        const tags = parsePairs(options.tag, 'tag');
        const experimentId = ensureExperiment(project.tracking, options.experiment ?? project.config.settings.tracking.experiment);
        const commandLine = command.join(' ');
        const run = createRun(project.tracking, {
          experiment_id: experimentId,
          run_name: options.name,
          user_id: userInfo().username,
          tags: [
            { key: 'mlflow.source.type', value: 'LOCAL' },
            { key: 'mlflow.source.name', value: command[0] ?? '' },
            { key: 'mlflow.user', value: userInfo().username },
            { key: 'slipway.command', value: commandLine.slice(0, 8000) },
            ...tags,
          ],
        });
        const runId = run.info.run_id;
        if (params.length) logBatch(project.tracking, { run_id: runId, params });
        await recordGitProvenance(project.tracking, runId, process.cwd());
        await recordEnvironment(project.tracking, runId, command, process.cwd());
        const lineage = await recordDataVersions(project.tracking, runId, project.paths.root);
        if (lineage.note) process.stderr.write(`slipway: ${lineage.note}\n`);

        const engine = await probeEngine(project.paths);
        const env: NodeJS.ProcessEnv = { ...process.env, SLIPWAY_RUN_ID: runId, MLFLOW_RUN_ID: runId, MLFLOW_EXPERIMENT_ID: experimentId };
        if (engine.running) {
          env.MLFLOW_TRACKING_URI = engine.engine.url;
          env.MLFLOW_TRACKING_TOKEN = engine.engine.token;
        }
        const tmpDir = join(project.paths.stateDir, 'tmp');
        mkdirSync(tmpDir, { recursive: true });
        const logPath = join(tmpDir, `${runId}.log`);
        const log = createWriteStream(logPath);
        if (!options.json) process.stderr.write(`slipway: run ${runId} (${run.info.run_name}) started\n`);

        const started = Date.now();
        const child = spawn(command[0]!, command.slice(1), { stdio: ['inherit', 'pipe', 'pipe'], env });
        child.stdout.on('data', (chunk: Buffer) => {
          process.stdout.write(chunk);
          log.write(chunk);
        });
        child.stderr.on('data', (chunk: Buffer) => {
          process.stderr.write(chunk);
          log.write(chunk);
        });
        // The terminal sends SIGINT to the whole process group; for signals sent to us alone, pass them on.
        const forward = (signal: NodeJS.Signals) => () => {
          if (child.exitCode === null) child.kill(signal);
        };
        const onTerm = forward('SIGTERM');
        const onInt = forward('SIGINT');
        process.on('SIGTERM', onTerm);
        process.on('SIGINT', onInt);

        let spawnError: Error | null = null;
        const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
          child.on('error', (error) => {
            spawnError = error;
            resolve([127, null]);
          });
          child.on('close', (c, s) => resolve([c, s]));
        });
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        const durationMs = Date.now() - started;
        if (spawnError) log.write(`slipway: could not start "${command[0]}": ${messageOf(spawnError)}\n`);
        log.end();
        await once(log, 'close');

        const exitCode = childExitCode(code, signal);
        const status: RunStatus = exitCode === 0 ? 'FINISHED' : signal === 'SIGINT' || signal === 'SIGTERM' || signal === 'SIGKILL' || exitCode === 130 ? 'KILLED' : 'FAILED';
        try {
          await logArtifact(project.tracking, runId, OUTPUT_ARTIFACT, { file: logPath });
          logBatch(project.tracking, {
            run_id: runId,
            tags: [
              { key: 'slipway.exit_code', value: String(exitCode) },
              { key: 'slipway.duration_ms', value: String(durationMs) },
              ...(signal ? [{ key: 'slipway.signal', value: signal }] : []),
            ],
          });
          updateRun(project.tracking, { run_id: runId, status, end_time: Date.now() });
        } finally {
          rmSync(logPath, { force: true });
          project.close();
        }
        if (spawnError) process.stderr.write(`slipway: could not start "${command[0]}": ${messageOf(spawnError)}. Check the command and your PATH.\n`);
        const result: RunResultOutput = { runId, status, exitCode, signal, durationMs };
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stderr.write(`slipway: run ${runId} ${status.toLowerCase()} in ${formatDuration(durationMs)} (exit code ${exitCode})\n`);
        throw new ExitWith(exitCode);
      }),
    );
}
