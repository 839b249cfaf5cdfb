import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectRunsTree, formatMetric, keyMetrics } from '../../src/extension/runs/collect';
import type { Experiment, Run, RunStatus } from '../../src/shared/mlflow';

const experiment = (id: string, name: string): Experiment => ({ experiment_id: id, name, artifact_location: '', lifecycle_stage: 'active', creation_time: 0, last_update_time: 0 });
function run(id: string, experimentId: string, status: RunStatus, start: number, metrics: Record<string, number> = {}): Run {
  const runId = id.padEnd(32, '0');
  return {
    info: { run_id: runId, run_uuid: runId, run_name: `run-${id}`, experiment_id: experimentId, user_id: 'u', status, start_time: start, artifact_uri: '', lifecycle_stage: 'active' },
    data: {
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: 0 })),
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'mlflow.source.git.commit', value: 'abcdef1234567' }],
    },
  };
}

void test('experiments by name with their runs newest first; empty Default hidden', () => {
  const tree = collectRunsTree(
    [experiment('0', 'Default'), experiment('2', 'zeta'), experiment('1', 'alpha')],
    [run('a', '1', 'FINISHED', 10), run('b', '1', 'FAILED', 20), run('c', '2', 'RUNNING', 5)],
    [],
  );
  assert.deepEqual(tree.map((e) => [e.label, e.description]), [['alpha', '2 runs'], ['zeta', '1 run']]);
  assert.deepEqual(tree[0]!.children!.map((r) => [r.label, r.icon?.id]), [['run-b', 'error'], ['run-a', 'pass']]);
  assert.equal(tree[1]!.children![0]!.icon?.id, 'sync~spin');
});

void test('a run row shows key metrics and has params, metrics and tags below it', () => {
  const [exp] = collectRunsTree([experiment('1', 'e')], [run('a', '1', 'FINISHED', 1, { loss: 0.123456, acc: 0.9, f1: 0.8, auc: 0.95 })], []);
  const row = exp!.children![0]!;
  assert.equal(row.description, 'acc=0.9 · auc=0.95 · f1=0.8');
  assert.equal(row.contextValue, 'run');
  assert.deepEqual(row.command?.arguments, ['a'.padEnd(32, '0')]);
  assert.deepEqual(row.children!.map((c) => [c.label, c.description]), [['Params', '1'], ['Metrics', '4'], ['Tags', '1']]);
  assert.deepEqual(row.children![1]!.children!.map((c) => `${c.label}=${c.description}`), ['acc=0.9', 'auc=0.95', 'f1=0.8', 'loss=0.1235']);
  const [configured] = collectRunsTree([experiment('1', 'e')], [run('a', '1', 'FINISHED', 1, { loss: 0.5, acc: 0.9 })], ['loss', 'missing']);
  assert.equal(configured!.children![0]!.description, 'loss=0.5');
});

void test('metric formatting', () => {
  const table: [Parameters<typeof formatMetric>[0], string][] = [[3, '3'], [0.123456, '0.1235'], [1234567.8, '1.235e+6'], ['NaN', 'NaN'], [-0.5, '-0.5'], [1e-7, '1.000e-7']];
  for (const [value, text] of table) assert.equal(formatMetric(value), text, `formatMetric(${value})`);
  assert.deepEqual(keyMetrics([], ['a']), []);
});
