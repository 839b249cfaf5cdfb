import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pullRecords, pushRecords, RemoteLayout } from '../../src/engine/sync';
import { createRun, ensureExperiment, getRun, logBatch, putArtifact, updateRun } from '../../src/engine/tracking';
import { bothKinds } from '../versioning/helpers/remote-kinds';
import { s3ForFile } from '../versioning/helpers/s3';
import { syncPair, type Fixture } from './helpers';

const tracking = (f: Fixture) => ({ store: f.store, artifacts: f.objects });

const s3 = s3ForFile();

for (const [label, make] of bothKinds(s3, 'runs')) describe(`syncing run records through ${label}`, () => {
  const s = syncPair(make);

  it('sends finished runs once, keeps running ones back, and matches experiments by name', async () => {
    ensureExperiment(tracking(s.b), 'credit');
    const experimentId = ensureExperiment(tracking(s.a), 'credit');
    const done = createRun(tracking(s.a), { experiment_id: experimentId });
    logBatch(tracking(s.a), { run_id: done.info.run_id, metrics: [{ key: 'auc', value: 0.9, timestamp: 1, step: 0 }, { key: 'auc', value: 0.91, timestamp: 2, step: 1 }], params: [{ key: 'lr', value: '0.1' }] });
    await putArtifact(tracking(s.a), { kind: 'run', id: done.info.run_id }, 'model.txt', { data: Buffer.from('weights') });
    updateRun(tracking(s.a), { run_id: done.info.run_id, status: 'FINISHED', end_time: 5 });
    const running = createRun(tracking(s.a), { experiment_id: experimentId });

    const first = await pushRecords(s.ctx(s.a));
    assert.deepEqual([first.runs, first.artifacts], [1, 1]);
    assert.deepEqual([(await pushRecords(s.ctx(s.a))).runs], [0]);

    const pulled = await pullRecords(s.ctx(s.b));
    assert.deepEqual(pulled.runs, [done.info.run_id]);
    assert.equal(pulled.artifacts, 1);
    const copy = getRun(tracking(s.b), done.info.run_id);
    assert.equal(copy.info.experiment_id, ensureExperiment(tracking(s.b), 'credit'), 'the local experiment of that name');
    assert.deepEqual(copy.data.params, [{ key: 'lr', value: '0.1' }]);
    assert.equal(copy.data.metrics?.find((m) => m.key === 'auc')?.value, 0.91);
    assert.throws(() => getRun(tracking(s.b), running.info.run_id));

    updateRun(tracking(s.a), { run_id: running.info.run_id, status: 'FAILED', end_time: 6 });
    assert.equal((await pushRecords(s.ctx(s.a))).runs, 1);
    assert.deepEqual((await pullRecords(s.ctx(s.b))).runs, [running.info.run_id]);
  });

  it('fails a pull naming a damaged run record', async () => {
    const run = createRun(tracking(s.a), {});
    updateRun(tracking(s.a), { run_id: run.info.run_id, status: 'FINISHED', end_time: 5 });
    await pushRecords(s.ctx(s.a));
    const key = `slipway/runs/${run.info.run_id}.json`;
    const file = new RemoteLayout(s.remote).runFile(run.info.run_id);
    assert.equal(file, s.kind.where(key));
    await s.kind.write(key, (await s.kind.read(key))!.toString('utf8').slice(0, 40));
    await assert.rejects(pullRecords(s.ctx(s.b)), (e: Error) => e.message.includes(file) && /not valid JSON/.test(e.message));
  });
});
