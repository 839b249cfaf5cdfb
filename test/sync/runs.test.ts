import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { pullRecords, pushRecords, RemoteLayout, type SyncContext } from '../../src/engine/sync';
import { createRun, ensureExperiment, getRun, logBatch, putArtifact, updateRun } from '../../src/engine/tracking';
import { openFixture } from '../registry/helpers';
import { fsKind, s3Kind, type RemoteKind } from '../versioning/helpers/remote-kinds';
import { S3_KEYS, startS3, type S3Server } from '../versioning/helpers/s3';

type F = ReturnType<typeof openFixture>;

const ctx = (f: F, remote: SyncContext['remote']): SyncContext => ({ store: f.store, artifacts: f.objects, stateDir: join(f.dir, '.slipway'), remote });
const tracking = (f: F) => ({ store: f.store, artifacts: f.objects });

Object.assign(process.env, S3_KEYS);
let s3: S3Server;
before(async () => {
  s3 = await startS3();
});
after(() => s3.close());

let prefixes = 0;
const kinds: [string, () => { kind: RemoteKind; cleanup: () => void }][] = [
  [
    'a filesystem remote',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-remote-'));
      return { kind: fsKind(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ['an S3 remote', () => ({ kind: s3Kind(s3, `runs-${++prefixes}`), cleanup: () => undefined })],
];

for (const [label, make] of kinds) describe(`syncing run records through ${label}`, () => {
  let a: F;
  let b: F;
  let kind: RemoteKind;
  let cleanup: () => void;
  let remote: SyncContext['remote'];
  beforeEach(() => {
    a = openFixture();
    b = openFixture();
    ({ kind, cleanup } = make());
    remote = kind.store();
  });
  afterEach(() => {
    a.close();
    b.close();
    cleanup();
  });

  it('sends finished runs once, keeps running ones back, and matches experiments by name', async () => {
    ensureExperiment(tracking(b), 'credit');
    const experimentId = ensureExperiment(tracking(a), 'credit');
    const done = createRun(tracking(a), { experiment_id: experimentId });
    logBatch(tracking(a), { run_id: done.info.run_id, metrics: [{ key: 'auc', value: 0.9, timestamp: 1, step: 0 }, { key: 'auc', value: 0.91, timestamp: 2, step: 1 }], params: [{ key: 'lr', value: '0.1' }] });
    await putArtifact(tracking(a), { kind: 'run', id: done.info.run_id }, 'model.txt', { data: Buffer.from('weights') });
    updateRun(tracking(a), { run_id: done.info.run_id, status: 'FINISHED', end_time: 5 });
    const running = createRun(tracking(a), { experiment_id: experimentId });

    const first = await pushRecords(ctx(a, remote));
    assert.deepEqual([first.runs, first.artifacts], [1, 1]);
    assert.deepEqual([(await pushRecords(ctx(a, remote))).runs], [0]);

    const pulled = await pullRecords(ctx(b, remote));
    assert.deepEqual(pulled.runs, [done.info.run_id]);
    assert.equal(pulled.artifacts, 1);
    const copy = getRun(tracking(b), done.info.run_id);
    assert.equal(copy.info.experiment_id, ensureExperiment(tracking(b), 'credit'), 'the local experiment of that name');
    assert.deepEqual(copy.data.params, [{ key: 'lr', value: '0.1' }]);
    assert.equal(copy.data.metrics?.find((m) => m.key === 'auc')?.value, 0.91);
    assert.throws(() => getRun(tracking(b), running.info.run_id));

    updateRun(tracking(a), { run_id: running.info.run_id, status: 'FAILED', end_time: 6 });
    assert.equal((await pushRecords(ctx(a, remote))).runs, 1);
    assert.deepEqual((await pullRecords(ctx(b, remote))).runs, [running.info.run_id]);
  });

  it('fails a pull naming a damaged run record', async () => {
    const run = createRun(tracking(a), {});
    updateRun(tracking(a), { run_id: run.info.run_id, status: 'FINISHED', end_time: 5 });
    await pushRecords(ctx(a, remote));
    const key = `slipway/runs/${run.info.run_id}.json`;
    const file = new RemoteLayout(remote).runFile(run.info.run_id);
    assert.equal(file, kind.where(key));
    await kind.write(key, (await kind.read(key))!.toString('utf8').slice(0, 40));
    await assert.rejects(pullRecords(ctx(b, remote)), (e: Error) => e.message.includes(file) && /not valid JSON/.test(e.message));
  });
});
