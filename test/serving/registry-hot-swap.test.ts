// The same proof as hot-swap.test.ts, through the real registry: `credit@champion` is moved between two registered
// versions every 200 ms by a second connection to the store, as `slipway models alias` from another process would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { initProject, openProject } from '../../src/engine/project';
import { ModelRegistry } from '../../src/engine/registry';
import { registrySource } from '../../src/engine/serving';
import { Store } from '../../src/engine/store';
import { MATRIX, MATRIX_V2, expected, startServing, tempProject, versionCheckingLoad } from './helpers';

void test('registry alias moved every 200 ms under load: zero non-2xx, each response names the old or the new version', async () => {
  const root = tempProject();
  initProject(root);
  const project = openProject(root);
  const registry = new ModelRegistry(project.store, { objects: project.tracking.artifacts });
  const schemaYaml = readFileSync(MATRIX.schemaFile, 'utf8');
  registry.createModel({ name: 'credit' });
  await registry.createVersionFromFile('credit', MATRIX.modelFile, { schemaYaml });
  await registry.createVersionFromFile('credit', MATRIX_V2, { schemaYaml });
  registry.setAlias('credit', 'champion', 1, { reason: 'first' });

  // The mover writes through its own connection, like another process; the server watches the change log.
  const moverStore = Store.open(project.paths.database);
  const mover = new ModelRegistry(moverStore, { objects: project.tracking.artifacts });
  const handle = await startServing({ source: registrySource(project, 'credit@champion'), name: 'credit', projectRoot: root });
  const want: Record<string, number> = { '1': expected.credit_matrix![0]!, '2': expected.credit_matrix_v2![0]! };
  let moves = 0;
  let target = 1;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const load = versionCheckingLoad(handle.url, want);
  const { seen, failures } = load;
  const timer = setInterval(() => {
    target = 3 - target;
    mover.setAlias('credit', 'champion', target, { reason: `move ${moves + 1}` });
    if (++moves === 12) finished();
  }, 200);
  await done;
  clearInterval(timer);
  // Let the watcher pick up the last move, then stop the load.
  await new Promise((r) => setTimeout(r, 500));
  await load.stop();
  await handle.server.slot.settled();
  const serving = handle.server.slot.current!.version;
  await handle.close();
  moverStore.close();
  project.close();
  assert.deepEqual(failures.slice(0, 5), []);
  assert.equal(serving, String(target), 'the version serving is the one the alias points at now');
  assert.ok(seen['1']! > 20 && seen['2']! > 20, `both versions answered: ${JSON.stringify(seen)}`);
  assert.ok(handle.server.metrics.swaps >= 6, `the server swapped on alias moves (${handle.server.metrics.swaps} swaps)`);
});
