import { join } from 'node:path';
import { ModelRegistry } from '../../src/engine/registry';
import { Store } from '../../src/engine/store';
import { ObjectStore } from '../../src/engine/objects';
import { createRun, logBatch } from '../../src/engine/tracking';

/**
 * Registers version 1 of `name` from a run that logged `metrics` (MLflow names, each logged at steps 0 and 1 so the
 * latest value is the one given) in the project's store.
 */
export function registerModelWithMetrics(root: string, name: string, metrics: Record<string, number>): string {
  const store = Store.open(join(root, '.slipway', 'slipway.db'));
  try {
    const ctx = { store, artifacts: new ObjectStore(join(root, '.slipway', 'artifacts')) };
    const run = createRun(ctx, { experiment_id: '0', start_time: 1000 });
    const runId = run.info.run_id;
    logBatch(ctx, {
      run_id: runId,
      metrics: Object.entries(metrics).flatMap(([key, value]) => [
        { key, value: value / 2, timestamp: 1000, step: 0 },
        { key, value, timestamp: 2000, step: 1 },
      ]),
    });
    const registry = new ModelRegistry(store);
    registry.createModel({ name });
    registry.createVersion({ name, source: `runs:/${runId}/model`, runId });
    return runId;
  } finally {
    store.close();
  }
}
