import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectStore } from '../../src/engine/objects';
import { ModelRegistry } from '../../src/engine/registry';
import { Store } from '../../src/engine/store';

export interface Fixture {
  dir: string;
  dbPath: string;
  store: Store;
  objects: ObjectStore;
  registry: ModelRegistry;
  close(): void;
}

/** A real store file in a fresh temp folder, with a registry acting as "alice" and a controllable clock. */
export function openFixture(): Fixture & { tick(ms?: number): void } {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
  const dbPath = join(dir, '.slipway', 'slipway.db');
  const store = Store.open(dbPath);
  const objects = new ObjectStore(join(dir, '.slipway', 'artifacts'));
  let clock = 1_700_000_000_000;
  const registry = new ModelRegistry(store, { actor: 'alice', objects, now: () => clock });
  return {
    dir,
    dbPath,
    store,
    objects,
    registry,
    tick(ms = 1000) {
      clock += ms;
    },
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts an experiment, a run and its artifacts straight into the tracking tables. */
export function seedRun(store: Store, runId: string, artifactPaths: string[]): void {
  store.write(() => {
    store.db
      .prepare("INSERT INTO runs (run_uuid, experiment_id, run_name, user_id, status, start_time, artifact_uri) VALUES (?, '0', 'r', 'alice', 'FINISHED', 1, ?)")
      .run(runId, `mlflow-artifacts:/0/${runId}/artifacts`);
    const add = store.db.prepare('INSERT INTO artifacts (run_uuid, path, md5, size) VALUES (?, ?, ?, 1)');
    for (const path of artifactPaths) add.run(runId, path, 'd41d8cd98f00b204e9800998ecf8427e');
  });
}
