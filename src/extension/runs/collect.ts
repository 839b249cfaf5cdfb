import type { Experiment, Metric, Run, RunStatus } from '../../shared/mlflow';
import type { TreeNode } from '../tree/node';

const STATUS_ICONS: Record<RunStatus, { id: string; color?: string }> = {
  RUNNING: { id: 'sync~spin', color: 'charts.blue' },
  SCHEDULED: { id: 'clock' },
  FINISHED: { id: 'pass', color: 'testing.iconPassed' },
  FAILED: { id: 'error', color: 'testing.iconFailed' },
  KILLED: { id: 'circle-slash', color: 'disabledForeground' },
};

/** Formats a metric for a narrow description: four significant digits, MLflow's strings for non-finite values. */
export function formatMetric(value: Metric['value']): string {
  if (typeof value !== 'number') return value;
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const text = value.toPrecision(4);
  return text.includes('e') ? text : String(Number(text));
}

/** The metrics a run's row shows: the configured keys the run has, else its first three by name. */
export function keyMetrics(metrics: readonly Metric[], configured: readonly string[]): Metric[] {
  const byKey = new Map(metrics.map((metric) => [metric.key, metric]));
  if (configured.length) return configured.flatMap((key) => byKey.get(key) ?? []);
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key)).slice(0, 3);
}

export function runLabel(run: Run): string {
  return run.info.run_name || run.info.run_id.slice(0, 8);
}

function leaves(runId: string, kind: string, items: { key: string; value: string }[]): TreeNode[] {
  return [...items]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((item) => ({ id: `run:${runId}:${kind}:${item.key}`, label: item.key, description: item.value, tooltip: `${item.key} = ${item.value}`, collapsible: 'none', contextValue: kind }));
}

function group(runId: string, kind: string, label: string, children: TreeNode[]): TreeNode[] {
  if (!children.length) return [];
  return [{ id: `run:${runId}:${kind}s`, label, description: String(children.length), collapsible: 'collapsed', children }];
}

function tag(run: Run, key: string): string | undefined {
  return run.data.tags?.find((t) => t.key === key)?.value;
}

/** One run row: status icon, name, key metrics; params, metrics and tags below it. */
export function runNode(run: Run, configuredMetrics: readonly string[]): TreeNode {
  const id = run.info.run_id;
  const metrics = run.data.metrics ?? [];
  const shown = keyMetrics(metrics, configuredMetrics);
  const commit = tag(run, 'mlflow.source.git.commit');
  const dirty = tag(run, 'slipway.git.dirty') === 'true';
  const tooltip = [
    `${runLabel(run)} (${id})`,
    `Status: ${run.info.status}`,
    `Started: ${new Date(run.info.start_time).toISOString()}`,
    commit ? `Commit: ${commit.slice(0, 10)}${dirty ? ' (uncommitted changes)' : ''}` : 'No git commit recorded',
  ].join('\n');
  return {
    id: `run:${id}`,
    label: runLabel(run),
    description: shown.map((metric) => `${metric.key}=${formatMetric(metric.value)}`).join(' · '),
    tooltip,
    icon: STATUS_ICONS[run.info.status] ?? { id: 'circle-outline' },
    collapsible: 'collapsed',
    contextValue: 'run',
    command: { command: 'slipway.showRun', title: 'Show Run', arguments: [id] },
    children: [
      ...group(id, 'param', 'Params', leaves(id, 'param', run.data.params ?? [])),
      ...group(id, 'metric', 'Metrics', leaves(id, 'metric', metrics.map((m) => ({ key: m.key, value: formatMetric(m.value) })))),
      ...group(id, 'tag', 'Tags', leaves(id, 'tag', run.data.tags ?? [])),
    ],
  };
}

/**
 * The Runs tree: experiments by name, each with its runs newest first. Experiments without runs are listed too, so
 * a fresh experiment shows up before its first run finishes.
 */
export function collectRunsTree(experiments: readonly Experiment[], runs: readonly Run[], configuredMetrics: readonly string[]): TreeNode[] {
  const byExperiment = new Map<string, Run[]>();
  for (const run of runs) {
    const list = byExperiment.get(run.info.experiment_id) ?? [];
    list.push(run);
    byExperiment.set(run.info.experiment_id, list);
  }
  return [...experiments]
    .filter((experiment) => experiment.lifecycle_stage !== 'deleted')
    // MLflow's built-in "Default" experiment is noise until something is logged to it.
    .filter((experiment) => experiment.experiment_id !== '0' || byExperiment.has('0'))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((experiment) => {
      const own = (byExperiment.get(experiment.experiment_id) ?? []).sort((a, b) => b.info.start_time - a.info.start_time);
      return {
        id: `experiment:${experiment.experiment_id}`,
        label: experiment.name,
        description: own.length === 1 ? '1 run' : `${own.length} runs`,
        tooltip: `Experiment ${experiment.name} (${experiment.experiment_id})`,
        icon: { id: 'beaker' },
        collapsible: 'expanded',
        contextValue: 'experiment',
        children: own.map((run) => runNode(run, configuredMetrics)),
      } satisfies TreeNode;
    });
}
