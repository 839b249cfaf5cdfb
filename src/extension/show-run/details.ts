import type { ArtifactEntry, LatestMetric, RunDetails } from '../../shared/show-run';
import type { Experiment, FileInfo, Metric, Run } from '../../shared/mlflow';
import { formatMetric, runLabel } from '../runs/collect';

/** System tags folded into other fields; the rest are shown as tags. */
const FOLDED = new Set(['mlflow.source.git.commit', 'mlflow.source.git.branch', 'slipway.git.dirty', 'mlflow.runName']);

function latest(metric: Metric): LatestMetric {
  return { key: metric.key, value: typeof metric.value === 'number' ? metric.value : null, display: formatMetric(metric.value), step: metric.step, timestamp: metric.timestamp };
}

/** Shapes MLflow's run, experiment and artifact listing into what the Show Run panel displays. */
export function toRunDetails(run: Run, experiment: Experiment | null, artifacts: readonly FileInfo[]): RunDetails {
  const tags = run.data.tags ?? [];
  const tag = (key: string) => tags.find((t) => t.key === key)?.value ?? null;
  const dirty = tag('slipway.git.dirty');
  return {
    runId: run.info.run_id,
    runName: runLabel(run),
    experimentId: run.info.experiment_id,
    experimentName: experiment?.name ?? run.info.experiment_id,
    status: run.info.status,
    startTime: run.info.start_time,
    endTime: run.info.end_time ?? null,
    git: { commit: tag('mlflow.source.git.commit'), branch: tag('mlflow.source.git.branch'), dirty: dirty === null ? null : dirty === 'true' },
    params: [...(run.data.params ?? [])].sort((a, b) => a.key.localeCompare(b.key)),
    metrics: (run.data.metrics ?? []).map(latest).sort((a, b) => a.key.localeCompare(b.key)),
    tags: tags.filter((t) => !FOLDED.has(t.key)).sort((a, b) => a.key.localeCompare(b.key)),
    artifacts: artifacts.map((file): ArtifactEntry => ({ path: file.path, isDir: file.is_dir, size: file.file_size ?? null })),
  };
}
