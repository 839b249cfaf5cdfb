import type { Command } from 'commander';
import type { RunShowOutput, RunSummary, RunsListOutput } from '../../shared/cli';
import type { Run } from '../../shared/mlflow';
import { dataVersionsOfRun, reproduceRun } from '../../engine/lineage';
import { SlipwayError } from '../../engine/errors';
import { openProject, type OpenProject } from '../../engine/project';
import { allArtifacts, getExperimentByName, getRun, searchRuns, GIT_TAGS } from '../../engine/tracking';
import { action, emit, formatDuration, table, withJson } from '../output';

/** Flattens an MLflow run into the CLI's summary shape. */
export function summarizeRun(run: Run, experimentName: string): RunSummary {
  const tags = new Map((run.data.tags ?? []).map((t) => [t.key, t.value]));
  const dirty = tags.get(GIT_TAGS.dirty);
  const metrics: Record<string, number | null> = {};
  for (const m of run.data.metrics ?? []) metrics[m.key] = typeof m.value === 'number' ? m.value : null;
  const end = run.info.end_time ?? null;
  return {
    runId: run.info.run_id,
    runName: run.info.run_name,
    experimentId: run.info.experiment_id,
    experimentName,
    status: run.info.status,
    startTime: run.info.start_time,
    endTime: end,
    durationMs: end === null ? null : end - run.info.start_time,
    gitCommit: tags.get(GIT_TAGS.commit) ?? null,
    gitBranch: tags.get(GIT_TAGS.branch) ?? null,
    gitDirty: dirty === undefined ? null : dirty === 'true',
    metrics,
  };
}

function experimentNames(project: OpenProject): Map<string, string> {
  const rows = project.store.db.prepare('SELECT experiment_id, name FROM experiments').all() as { experiment_id: string; name: string }[];
  return new Map(rows.map((r) => [r.experiment_id, r.name]));
}

/** Resolves a run id or an unambiguous prefix of one (at least 6 characters). */
export function resolveRunId(project: OpenProject, idOrPrefix: string): string {
  if (/^[0-9a-f]{32}$/.test(idOrPrefix)) return idOrPrefix;
  if (!/^[0-9a-f]{6,31}$/.test(idOrPrefix)) throw new SlipwayError('INVALID_PARAMETER_VALUE', `"${idOrPrefix}" is not a run id; give the 32-character id or at least its first 6 characters.`);
  const rows = project.store.db.prepare("SELECT run_uuid FROM runs WHERE run_uuid >= ? AND run_uuid < ? || 'g' LIMIT 2").all(idOrPrefix, idOrPrefix) as { run_uuid: string }[];
  if (rows.length === 0) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No run id starts with "${idOrPrefix}".`);
  if (rows.length > 1) throw new SlipwayError('INVALID_PARAMETER_VALUE', `More than one run id starts with "${idOrPrefix}"; give more characters.`);
  return rows[0]!.run_uuid;
}

function short(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

function metricText(metrics: Record<string, number | null>, max = 3): string {
  const entries = Object.entries(metrics).slice(0, max);
  const text = entries.map(([k, v]) => `${k}=${v === null ? 'NaN' : Number(v.toPrecision(6))}`).join(' ');
  return Object.keys(metrics).length > max ? `${text} …` : text;
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('list and inspect tracked runs');

  withJson(
    runs
      .command('list')
      .description('list runs, newest first')
      .option('-e, --experiment <name>', 'only this experiment (default: all)')
      .option('--filter <filter>', "MLflow filter, e.g. \"metrics.auc > 0.8 AND params.model = 'xgb'\"")
      .option('--order-by <clause...>', 'e.g. "metrics.auc DESC"')
      .option('-n, --max <count>', 'at most this many runs', '50')
      .option('--page-token <token>', 'continue a previous listing'),
  ).action(
    action((options: { experiment?: string; filter?: string; orderBy?: string[]; max: string; pageToken?: string; json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const names = experimentNames(project);
        const ids = options.experiment ? [getExperimentByName(project.tracking, options.experiment).experiment_id] : [...names.keys()];
        const found = searchRuns(project.tracking, { experiment_ids: ids, filter: options.filter, order_by: options.orderBy, max_results: Number(options.max), page_token: options.pageToken });
        const output: RunsListOutput = {
          runs: (found.runs ?? []).map((r) => summarizeRun(r, names.get(r.info.experiment_id) ?? r.info.experiment_id)),
          nextPageToken: found.next_page_token ?? null,
        };
        emit(options.json === true, output, (o) => {
          if (!o.runs.length) return 'No runs yet. Track one with `slipway run -- <command>`.\n';
          const rows = o.runs.map((r) => [r.runId.slice(0, 8), r.runName, r.experimentName, r.status, short(r.startTime), formatDuration(r.durationMs), metricText(r.metrics)]);
          return table(['RUN', 'NAME', 'EXPERIMENT', 'STATUS', 'STARTED (UTC)', 'DURATION', 'METRICS'], rows) + (o.nextPageToken ? `More: --page-token ${o.nextPageToken}\n` : '');
        });
      } finally {
        project.close();
      }
    }),
  );

  withJson(runs.command('show <run>').description('show one run: params, metrics, tags, artifacts, git provenance')).action(
    action((runArg: string, options: { json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const run = getRun(project.tracking, resolveRunId(project, runArg));
        const summary = summarizeRun(run, experimentNames(project).get(run.info.experiment_id) ?? run.info.experiment_id);
        const output: RunShowOutput = {
          ...summary,
          artifactUri: run.info.artifact_uri,
          params: run.data.params ?? [],
          tags: run.data.tags ?? [],
          latestMetrics: run.data.metrics ?? [],
          artifacts: allArtifacts(project.tracking, run.info.run_id),
          data: dataVersionsOfRun(project.store, run.info.run_id).map((d) => ({ path: d.path, md5: d.md5, dvcFile: d.dvcFile })),
        };
        emit(options.json === true, output, renderRun);
      } finally {
        project.close();
      }
    }),
  );

  withJson(
    runs
      .command('reproduce <run>')
      .description("recreate a run's code (git worktree at its commit plus its uncommitted diff) and data versions in a new folder")
      .requiredOption('--into <dir>', 'a new or empty folder for the git worktree'),
  ).action(
    action(async (runArg: string, options: { into: string; json?: boolean }) => {
      const project = openProject(process.cwd());
      try {
        const result = await reproduceRun(project, resolveRunId(project, runArg), options.into);
        emit(options.json === true, result, (r) => {
          const lines = [`Reproduced run ${r.runId} in ${r.into}: commit ${r.commit.slice(0, 12)}${r.diffApplied ? ' with its uncommitted changes' : ''}, ${r.data.length} data version(s).`];
          for (const d of r.data) lines.push(`  ${d.path} ${d.md5}`);
          lines.push(r.command ? `Re-run with:\n  ${r.command}` : 'No command was recorded for this run.');
          return `${lines.join('\n')}\n`;
        });
      } finally {
        project.close();
      }
    }),
  );
}

function renderRun(r: RunShowOutput): string {
  const lines = [
    `Run ${r.runId} (${r.runName})`,
    `  experiment  ${r.experimentName} (${r.experimentId})`,
    `  status      ${r.status}`,
    `  started     ${short(r.startTime)} UTC, duration ${formatDuration(r.durationMs)}`,
    `  git         ${r.gitCommit ? `${r.gitCommit.slice(0, 12)} on ${r.gitBranch ?? '(detached)'}${r.gitDirty ? ', with uncommitted changes' : ''}` : 'not recorded (not a git repository)'}`,
  ];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push(`${title}:`, ...items.map((i) => `  ${i}`));
  };
  section('Params', r.params.map((p) => `${p.key} = ${p.value}`));
  section('Metrics', r.latestMetrics.map((m) => `${m.key} = ${m.value} (step ${m.step})`));
  section('Tags', r.tags.map((t) => `${t.key} = ${t.value.length > 80 ? `${t.value.slice(0, 77)}...` : t.value}`));
  section('Data', r.data.map((d) => `${d.path} ${d.md5}`));
  section('Artifacts', r.artifacts.map((a) => `${a.path} (${a.size} bytes)`));
  return `${lines.join('\n')}\n`;
}
