// The body of the push/pull records test, shared by the filesystem and the S3 remote variants.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataPullOutput, DataTransferOutput, RunShowOutput } from '../../src/shared/cli';
import type { ModelVersionOutput, ModelsHistoryOutput } from '../../src/shared/mlflow-registry';
import { cli, cliChild, exited, git, gitRepo, tempDir } from '../helpers';
import { serveOutput } from '../serving/helpers';
import { objectKey, type RemoteKind } from '../versioning/helpers/remote-kinds';

const MODELS = join(__dirname, '..', 'fixtures', 'models');
const SCHEMA = join(MODELS, 'credit_matrix.schema.yaml');

async function ok(args: string[], cwd: string): Promise<string> {
  const r = await cli(args, { cwd });
  assert.equal(r.code, 0, `slipway ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const json = async <T>(args: string[], cwd: string): Promise<T> => JSON.parse(await ok([...args, '--json'], cwd)) as T;

/** A clone of `origin` with its own Slipway store, sharing the remote that origin's slipway.yaml names. */
async function clone(origin: string): Promise<string> {
  const dir = join(tempDir('slipway-clone-'), 'work');
  git(origin, 'clone', '-q', origin, dir);
  await ok(['init'], dir);
  return dir;
}

const champion = async (cwd: string) => (await json<ModelVersionOutput>(['models', 'show', 'credit@champion'], cwd)).modelVersion.version;
const objectPath = (root: string, md5: string) => join(root, '.slipway', 'artifacts', 'files', 'md5', md5.slice(0, 2), md5.slice(2));
const row = { annual_income: 57080.1, loan_amount: 19728.68, employment_years: 1.3, existing_debt_ratio: 0.1427, credit_history_months: 152 };

/** Serves NAME@ALIAS in `cwd` and returns the HTTP status of one prediction and the version that answered. */
async function serveOnce(cwd: string, ref: string): Promise<{ status: number; version: string }> {
  const server = cliChild(['serve', ref, '--port', '0', '--json'], { cwd });
  try {
    const endpoint = await serveOutput(server);
    const res = await fetch(`${endpoint.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(row) });
    await res.arrayBuffer();
    return { status: res.status, version: endpoint.version };
  } finally {
    server.kill('SIGTERM');
    await exited(server);
  }
}

const md5Of = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');

/**
 * Push and pull share runs, model files, aliases and the audit log through `kind`; conflicts and tampering fail the
 * pull. The same body runs against a filesystem and an S3 remote.
 */
export async function sharesRecords(kind: RemoteKind): Promise<void> {
  const a = gitRepo({ 'train.sh': 'echo training\n' });
  await ok(['init'], a);
  await ok(['remote', 'add', 'origin', kind.url, ...kind.flags], a);
  git(a, 'add', '-A');
  git(a, 'commit', '-q', '-m', 'remote');

  const run = JSON.parse((await ok(['run', '--json', '-e', 'credit', '-p', 'lr=0.1', '--', 'sh', '-c', 'echo trained'], a)).replace(/^[^{]*/, '')) as { runId: string };
  await ok(['models', 'register', 'credit', join(MODELS, 'credit_matrix.onnx'), '--schema', SCHEMA], a);
  await ok(['models', 'alias', 'credit', 'champion', '1', '--reason', 'first model'], a);

  const first = await json<DataTransferOutput>(['push'], a);
  assert.equal(first.records?.runs, 1);
  assert.equal(first.records?.auditEntries, 1);
  assert.equal(first.records?.snapshotWritten, true);
  assert.ok((first.records?.artifacts ?? 0) >= 2, `run output and the model file: ${JSON.stringify(first)}`);
  assert.ok(await kind.read(`slipway/runs/${run.runId}.json`));
  const modelMd5 = md5Of(join(MODELS, 'credit_matrix.onnx'));
  assert.ok(await kind.read(objectKey(modelMd5, 'slipway/artifacts/')));
  assert.equal(await kind.read(objectKey(modelMd5)), null, 'never among the data objects dvc gc prunes');
  const again = await json<DataTransferOutput>(['push'], a);
  assert.deepEqual(again.records, { runs: 0, artifacts: 0, auditEntries: 0, snapshotWritten: false });

  // A fresh clone sees the run, the model, its alias, its file and a verifying history.
  const b = await clone(a);
  const pulled = await json<DataPullOutput>(['pull'], b);
  assert.deepEqual(pulled.records?.runs, [run.runId]);
  assert.deepEqual(pulled.records?.addedVersions, ['credit:1']);
  const shown = await json<RunShowOutput>(['runs', 'show', run.runId], b);
  assert.equal(shown.experimentName, 'credit');
  assert.deepEqual(shown.params, [{ key: 'lr', value: '0.1' }]);
  assert.equal(await champion(b), '1');
  assert.ok(existsSync(objectPath(b, modelMd5)), 'the model file travelled');
  assert.deepEqual(await serveOnce(b, 'credit@champion'), { status: 200, version: '1' });
  assert.ok(shown.artifacts.length > 0);
  for (const artifact of shown.artifacts) assert.ok(existsSync(objectPath(b, artifact.md5)), `run artifact ${artifact.path} travelled`);
  const history = await json<ModelsHistoryOutput>(['models', 'history', 'credit', '--verify'], b);
  assert.equal(history.verification?.ok, true);
  assert.deepEqual(history.entries.map((e) => [e.action, e.to, e.reason]), [['alias.set', '1', 'first model']]);
  const noop = await json<DataPullOutput>(['pull'], b);
  assert.deepEqual([noop.records?.runs, noop.records?.appendedEntries, noop.records?.addedVersions], [[], 0, []]);

  // B moves the alias and pushes; A pulls and sees it.
  await ok(['models', 'register', 'credit', join(MODELS, 'credit_matrix_v2.onnx'), '--schema', SCHEMA], b);
  await ok(['models', 'alias', 'credit', 'champion', '2', '--reason', 'better AUC'], b);
  const fromB = await json<DataTransferOutput>(['push'], b);
  assert.equal(fromB.records?.auditEntries, 1);
  const intoA = await json<DataPullOutput>(['pull'], a);
  assert.deepEqual(intoA.records?.addedVersions, ['credit:2']);
  assert.equal(await champion(a), '2');
  assert.ok(existsSync(objectPath(a, md5Of(join(MODELS, 'credit_matrix_v2.onnx')))));
  assert.equal((await json<ModelsHistoryOutput>(['models', 'history', 'credit', '--verify'], a)).verification?.ok, true);

  // Both move the same alias: B pushes first, A's push is refused and A's pull fails naming the alias.
  await ok(['models', 'alias', 'credit', 'champion', '1', '--reason', 'roll back here'], a);
  await ok(['models', 'alias', 'credit', 'champion', '1', '--reason', 'roll back there'], b);
  await ok(['push'], b);
  const refused = await cli(['push'], { cwd: a });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /slipway pull/);
  const conflict = await cli(['pull'], { cwd: a });
  assert.equal(conflict.code, 1, conflict.stderr);
  assert.match(conflict.stderr, /alias credit@champion/);
  const asJson = await cli(['pull', '--json'], { cwd: a });
  assert.equal(asJson.code, 1);
  assert.match((JSON.parse(asJson.stderr) as { error: { message: string } }).error.message, /alias credit@champion/);
  assert.equal((await json<ModelsHistoryOutput>(['models', 'history', 'credit'], a)).entries.length, 3, 'nothing merged');

  // A pushed entry changed in the remote is caught by the next pull.
  const file = (await kind.keys('slipway/audit/'))[0]!;
  const origin = file.split('/')[2]!;
  await kind.write(file, (await kind.read(file))!.toString('utf8').replace(/"reason":"[^"]*"/, '"reason":"edited later"'));
  const c = await clone(a);
  const tampered = await cli(['pull'], { cwd: c });
  assert.notEqual(tampered.code, 0);
  assert.match(tampered.stderr, /was changed after it was written/);
  assert.match(tampered.stderr, new RegExp(origin));
}
