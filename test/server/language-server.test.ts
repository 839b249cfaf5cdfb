import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver/node';
import { connect } from './connect';
import type { Session } from './connect';

const DVC_YAML = ['stages:', '  train:', '    cmd: python train.py', '    deps:', '    - train.py', '    - data/raw.csv', '    outs:', '    - model.pkl', ''].join('\n');

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ls-'));
  writeFileSync(join(dir, 'train.py'), '');
  writeFileSync(join(dir, 'dvc.yaml'), DVC_YAML);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'dvc.yaml'), 'stages:\n  s:\n    cmd: x\n    deps: [nothing.txt]\n');
  return dir;
}

async function start(dir: string): Promise<Session> {
  const session = connect();
  await session.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'w' }] });
  await session.client.sendNotification('initialized', {});
  return session;
}

void test('files on disk are checked at start: a missing dep is a warning at the exact YAML range', async (t) => {
  const dir = workspace();
  const session = await start(dir);
  t.after(() => session.close());
  const root = await session.nextDiagnostics(pathToFileURL(join(dir, 'dvc.yaml')).toString());
  assert.equal(root.diagnostics.length, 1);
  const [d] = root.diagnostics;
  assert.equal(d!.severity, DiagnosticSeverity.Warning);
  assert.equal(d!.code, 'dvc/missing-dep');
  assert.equal(d!.source, 'slipway');
  assert.deepEqual(d!.range, { start: { line: 5, character: 6 }, end: { line: 5, character: 18 } });
  const nested = await session.nextDiagnostics(pathToFileURL(join(dir, 'sub', 'dvc.yaml')).toString());
  assert.equal(nested.diagnostics.length, 1);
});

void test('open buffers win over disk, malformed YAML is an error at its range, and the server keeps serving', async (t) => {
  const dir = workspace();
  const session = await start(dir);
  t.after(() => session.close());
  const uri = pathToFileURL(join(dir, 'dvc.yaml')).toString();
  await session.nextDiagnostics(uri);
  const broken = 'stages:\n  train:\n    deps: [a.csv\n  other: [\n';
  await session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: broken } });
  const syntax = await session.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'yaml/syntax'));
  assert.ok(syntax.diagnostics.every((d) => d.severity === DiagnosticSeverity.Error && d.code === 'yaml/syntax'));
  assert.ok(syntax.diagnostics[0]!.range.start.line >= 2);

  const fixed = DVC_YAML.replace('data/raw.csv', 'train.py');
  await session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  const clean = await session.nextDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'yaml/syntax'));
  assert.deepEqual(clean.diagnostics, []);
});

void test('creating the missing file clears the warning; deleting it brings it back', async (t) => {
  const dir = workspace();
  const session = await start(dir);
  t.after(() => session.close());
  const uri = pathToFileURL(join(dir, 'dvc.yaml')).toString();
  assert.equal((await session.nextDiagnostics(uri)).diagnostics.length, 1);
  const raw = join(dir, 'data', 'raw.csv');
  mkdirSync(join(dir, 'data'));
  writeFileSync(raw, 'a,b\n');
  await session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(raw).toString(), type: FileChangeType.Created }] });
  assert.deepEqual((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
  rmSync(raw);
  await session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(raw).toString(), type: FileChangeType.Deleted }] });
  assert.equal((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 1)).diagnostics.length, 1);
});

void test('a deleted dvc.yaml has its diagnostics cleared', async (t) => {
  const dir = workspace();
  const session = await start(dir);
  t.after(() => session.close());
  const uri = pathToFileURL(join(dir, 'sub', 'dvc.yaml')).toString();
  await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 1);
  rmSync(join(dir, 'sub', 'dvc.yaml'));
  await session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: FileChangeType.Deleted }] });
  assert.deepEqual((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
});
