// Logs argv[4] batches of 100 metric points into run argv[3]; prints "ack <n>" after each committed batch.
import { ObjectStore } from '../../src/engine/objects';
import { Store } from '../../src/engine/store';
import { logBatch } from '../../src/engine/tracking';

const store = Store.open(process.argv[2]!);
const ctx = { store, artifacts: new ObjectStore('/nonexistent') };
const runId = process.argv[3]!;
const batches = Number(process.argv[4]);
const tag = process.argv[5] ?? 'w';
for (let b = 0; b < batches; b++) {
  const metrics = Array.from({ length: 100 }, (_, i) => ({ key: `${tag}_m`, value: b * 100 + i, step: b * 100 + i, timestamp: 1 }));
  logBatch(ctx, { run_id: runId, metrics });
  process.stdout.write(`ack ${b}\n`);
}
store.close();
