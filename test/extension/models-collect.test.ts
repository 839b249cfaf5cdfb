import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectModelsTree, modelFromArg, versionChoices, versionNodeId } from '../../src/extension/models/collect';
import { formatHistory } from '../../src/extension/models/history';
import { parseEndpoint, readEndpoints, servedStatus } from '../../src/extension/serving/endpoints';
import { servedByVersion } from '../../src/extension/serving/served-state';
import type { ModelStage, ModelVersion, RegisteredModel, RegistryAuditEntry } from '../../src/shared/mlflow-registry';
import type { EndpointDiscovery } from '../../src/shared/serving';

const model = (name: string, aliases: Record<string, string> = {}): RegisteredModel => ({
  name,
  creation_timestamp: 0,
  last_updated_timestamp: 0,
  aliases: Object.entries(aliases).map(([alias, version]) => ({ alias, version })),
});
const version = (name: string, v: string, extra: { aliases?: string[]; stage?: ModelStage; runId?: string } = {}): ModelVersion => ({
  name,
  version: v,
  creation_timestamp: 0,
  last_updated_timestamp: 0,
  current_stage: extra.stage ?? 'None',
  source: `models:/${name}/${v}`,
  status: 'READY',
  aliases: extra.aliases,
  run_id: extra.runId,
});
const endpoint = (name: string, modelName: string, v: string, port: number, pid = 4242): EndpointDiscovery => ({
  name,
  url: `http://127.0.0.1:${port}`,
  host: '127.0.0.1',
  port,
  pid,
  model: modelName,
  version: v,
  token: 't',
  startedAt: 0,
});

void test('models by name, versions newest first, each with aliases, stage, source run and served state', () => {
  const runId = 'ab'.repeat(16);
  const tree = collectModelsTree(
    [model('zeta'), model('credit', { champion: '2', challenger: '10' })],
    [version('credit', '1', { stage: 'Archived' }), version('credit', '10', { aliases: ['challenger'] }), version('credit', '2', { aliases: ['champion'], stage: 'Production', runId }), version('orphan', '1')],
    [endpoint('credit@champion', 'credit', '2', 8123)],
  );
  assert.deepEqual(tree.map((m) => m.label), ['credit', 'zeta']);
  const credit = tree[0]!;
  assert.equal(credit.description, '3 versions · @challenger→v10 · @champion→v2 · 1 serving');
  assert.equal(credit.contextValue, 'model');
  assert.deepEqual(credit.children!.map((v) => v.label), ['v10', 'v2', 'v1']);
  const v2 = credit.children![1]!;
  assert.equal(v2.description, '@champion · Production · serving :8123 · run abababab');
  assert.equal(v2.contextValue, 'modelVersion.served');
  assert.match(v2.tooltip!, new RegExp(`Source run: ${runId}`));
  assert.match(v2.tooltip!, /Served as credit@champion at http:\/\/127\.0\.0\.1:8123/);
  assert.deepEqual(v2.command?.arguments, [runId]);
  const v1 = credit.children![2]!;
  assert.equal(v1.description, 'Archived');
  assert.equal(v1.contextValue, 'modelVersion');
  assert.equal(v1.command, undefined, 'a version without a run opens nothing');
  assert.match(v1.tooltip!, /Source run: none/);
  assert.equal(tree[1]!.description, '0 versions');
});

void test('served-state merge: by model and version, several endpoints per version, version-less endpoints ignored', () => {
  const map = servedByVersion([endpoint('a', 'm', '1', 1), endpoint('b', 'm', '1', 2), endpoint('c', 'm', '2', 3), endpoint('file', 'model.onnx', '', 4)]);
  assert.deepEqual([...map.keys()].sort(), ['m:1', 'm:2']);
  assert.deepEqual(map.get('m:1')!.map((e) => e.port), [1, 2]);
  const [m] = collectModelsTree([model('m')], [version('m', '1'), version('m', '2')], [endpoint('a', 'm', '1', 1), endpoint('b', 'm', '1', 2)]);
  assert.equal(m!.children![1]!.description, 'serving :1 · serving :2');
  assert.equal(m!.children![0]!.contextValue, 'modelVersion');
});

void test('tree rows name their model and version for commands, even with colons in the name', () => {
  assert.deepEqual(modelFromArg({ id: versionNodeId('team:credit', '12') }), { name: 'team:credit', version: '12' });
  assert.deepEqual(modelFromArg({ id: 'model:team:credit' }), { name: 'team:credit' });
  assert.equal(modelFromArg({ id: 'run:abc' }), undefined);
  assert.equal(modelFromArg('credit'), undefined);
  assert.deepEqual(versionChoices([version('m', '1'), version('m', '3', { aliases: ['b', 'a'] }), version('n', '2')], 'm').map((c) => [c.label, c.description]), [['v3', '@a @b'], ['v1', 'None']]);
});

void test('status-bar text: hidden with nothing served, the endpoint with one, a count with several', () => {
  assert.equal(servedStatus([]), null);
  assert.equal(servedStatus([endpoint('credit@champion', 'credit', '2', 8123)])!.text, '$(server-process) credit@champion :8123');
  const two = servedStatus([endpoint('a', 'm', '1', 1), endpoint('b', 'm', '2', 2)])!;
  assert.equal(two.text, '$(server-process) 2 endpoints');
  assert.match(two.tooltip, /a → m:1 at http:\/\/127\.0\.0\.1:1 \(pid 4242\)\nb → m:2/);
});

void test('endpoint files: a dead pid means not serving; partial or foreign files are skipped', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-endpoints-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  assert.deepEqual(await readEndpoints(root), [], 'no endpoints folder yet');
  const dir = join(root, '.slipway', 'endpoints');
  mkdirSync(dir, { recursive: true });
  const dead = spawn(process.execPath, ['-e', '']);
  const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid!)));
  writeFileSync(join(dir, 'live.json'), JSON.stringify(endpoint('live', 'm', '1', 1, process.pid)));
  writeFileSync(join(dir, 'dead.json'), JSON.stringify(endpoint('dead', 'm', '1', 2, deadPid)));
  writeFileSync(join(dir, 'half.json'), '{"name": "half", ');
  writeFileSync(join(dir, 'live.json.123.tmp'), JSON.stringify(endpoint('tmp', 'm', '1', 3, process.pid)));
  assert.deepEqual((await readEndpoints(root)).map((e) => e.name), ['live']);
  assert.equal(parseEndpoint('{"name":"x","url":"u","port":1,"pid":1,"model":"m"}'), null, 'no version');
});

void test('history document: newest change first, reasons kept, verification on top; a broken chain is spelled out', () => {
  const entry = (seq: number, tsMs: number, action: RegistryAuditEntry['action'], from: string | null, to: string | null, reason: string): RegistryAuditEntry => ({
    origin: '0123456789abcdef',
    seq,
    tsMs,
    actor: 'ana',
    model: 'credit',
    action,
    subject: 'champion',
    from,
    to,
    reason,
    prevHash: '',
    hash: 'f'.repeat(64),
  });
  const text = formatHistory('credit', {
    entries: [entry(1, Date.UTC(2026, 0, 1), 'alias.set', null, '1', 'first | model'), entry(2, Date.UTC(2026, 0, 2), 'alias.set', '1', '2', 'better AUC')],
    verification: { ok: true, checked: 2, problems: [] },
  });
  const rows = text.split('\n').filter((l) => l.startsWith('| 2026'));
  assert.deepEqual(rows, [
    '| 2026-01-02 00:00:00 | ana | alias.set @champion: 1 → 2 | better AUC | 01234567#2 ffffffffffff |',
    '| 2026-01-01 00:00:00 | ana | alias.set @champion: — → 1 | first \\| model | 01234567#1 ffffffffffff |',
  ]);
  assert.match(text, /Verification: OK\. 2 entries checked/);
  const broken = formatHistory('credit', { entries: [], verification: { ok: false, checked: 3, problems: [{ kind: 'chain', origin: 'o', seq: 2, message: 'entry 2 was changed' }] } });
  assert.match(broken, /Verification: FAILED \(1 problem in 3 entries checked\)/);
  assert.match(broken, /- chain at entry 2 \(origin o\): entry 2 was changed/);
  assert.match(broken, /No audited changes yet/);
});
