// Child process for the concurrency test: moves one alias many times through its own connection to a shared store.
import { ModelRegistry } from '../../src/engine/registry';
import { Store } from '../../src/engine/store';

const [dbPath, worker, countText] = process.argv.slice(2);
const store = Store.open(dbPath!);
const registry = new ModelRegistry(store, { actor: `worker-${worker}` });
const count = Number(countText);
for (let i = 0; i < count; i++) {
  // Alternate between versions so most calls really move the alias.
  registry.setAlias('m', 'champion', ((Number(worker) + i) % 3) + 1, { reason: `worker ${worker} move ${i}` });
  if (i % 5 === 0) registry.transitionStage('m', (i % 3) + 1, i % 2 ? 'Staging' : 'Production', true, { reason: `worker ${worker}` });
}
store.close();
process.stdout.write(JSON.stringify({ worker }));
