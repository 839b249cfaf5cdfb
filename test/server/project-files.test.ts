import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver/node';
import type { Diagnostic, LogMessageParams } from 'vscode-languageserver/node';
import { DEFAULT_CHECKS } from '../../src/server/checks';
import type { ServerOptions } from '../../src/server/server';
import { connect } from './connect';
import type { Session } from './connect';

const GOOD_CONFIG = ['version: 1', 'monitors:', '  live:', '    data: current.csv', '    min_rows: 50', 'alerts:', '  page:', '    monitors: [live]', ''].join('\n');
// Line 4: a number expected; line 7: "typo" is no monitor; line 8: no such top-level key.
const BAD_CONFIG = ['version: 1', 'monitors:', '  live:', '    data: current.csv', '    min_rows: lots', 'alerts:', '  page:', '    monitors: [live, typo]', 'extra: true', ''].join('\n');
// Line 2: no such type; lines 4-6: min above max.
const BAD_SCHEMA = ['columns:', '  age:', '    type: integr', '  income:', '    type: float64', '    min: 10', '    max: 1', ''].join('\n');

const uriOf = (path: string): string => pathToFileURL(path).toString();
const range = (line: number, character: number, endLine: number, endCharacter: number) => ({ start: { line, character }, end: { line: endLine, character: endCharacter } });
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const byCode = (diagnostics: Diagnostic[], code: string): Diagnostic[] => diagnostics.filter((d) => d.code === code);

function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ls-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function start(dir: string, options?: ServerOptions): Promise<Session> {
  const session = connect(options);
  await session.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: uriOf(dir), name: 'w' }] });
  await session.client.sendNotification('initialized', {});
  return session;
}

async function open(session: Session, uri: string, text: string): Promise<void> {
  await session.client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
}

void test('slipway.yaml: unknown key, wrong type in a monitor and an undeclared monitor in an alert rule, each at its range', async (t) => {
  const dir = workspace({ 'slipway.yaml': GOOD_CONFIG });
  const session = await start(dir);
  t.after(() => session.close());
  const uri = uriOf(join(dir, 'slipway.yaml'));
  assert.deepEqual((await session.nextDiagnostics(uri)).diagnostics, []);

  await open(session, uri, BAD_CONFIG);
  const { diagnostics } = await session.nextDiagnostics(uri, (p) => p.diagnostics.length > 0);
  assert.equal(diagnostics.length, 3, JSON.stringify(diagnostics));
  assert.ok(diagnostics.every((d) => d.severity === DiagnosticSeverity.Error && d.source === 'slipway'));
  const [unknownKey] = byCode(diagnostics, 'config/unknown-key');
  assert.deepEqual(unknownKey!.range, range(8, 0, 8, 5));
  assert.match(messageOf(unknownKey!), /Unknown key "extra" in slipway\.yaml/);
  const [wrongType] = byCode(diagnostics, 'yaml/type');
  assert.deepEqual(wrongType!.range, range(4, 14, 4, 18));
  assert.match(messageOf(wrongType!), /monitors\.live\.min_rows must be a number/);
  const [undeclared] = byCode(diagnostics, 'config/unknown-monitor');
  assert.deepEqual(undeclared!.range, range(7, 21, 7, 25));
  assert.match(messageOf(undeclared!), /alerts\.page\.monitors: no monitor "typo" under `monitors:`\. Monitors: live\./);

  await session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: GOOD_CONFIG }] });
  assert.deepEqual((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
});

void test('slipway.yaml: a YAML syntax error is an error at its line, and fixing the buffer clears it', async (t) => {
  const dir = workspace();
  const session = await start(dir);
  t.after(() => session.close());
  const uri = uriOf(join(dir, 'slipway.yaml'));
  await open(session, uri, 'version: 1\nmonitors:\n  live: { data: [a.csv\n');
  const { diagnostics } = await session.nextDiagnostics(uri, (p) => p.diagnostics.length > 0);
  assert.ok(diagnostics.length > 0 && diagnostics.every((d) => d.code === 'yaml/syntax' && d.severity === DiagnosticSeverity.Error));
  assert.ok(diagnostics[0]!.range.start.line >= 2, JSON.stringify(diagnostics));
  await session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'version: 1\n' }] });
  assert.deepEqual((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
  // Closing a buffer for a file that is not on disk clears what it showed.
  await session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: 'version: 2\n' }] });
  assert.equal((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 1)).diagnostics[0]!.code, 'config/version');
  await session.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
  assert.deepEqual((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
});

void test('a column schema: unknown type and min above max at their ranges; fixing the buffer clears them', async (t) => {
  const dir = workspace();
  const session = await start(dir);
  t.after(() => session.close());
  const uri = uriOf(join(dir, 'models', 'credit.schema.yaml'));
  await open(session, uri, BAD_SCHEMA);
  const { diagnostics } = await session.nextDiagnostics(uri, (p) => p.diagnostics.length > 0);
  assert.equal(diagnostics.length, 2, JSON.stringify(diagnostics));
  const [type] = byCode(diagnostics, 'schema/type');
  assert.deepEqual(type!.range, range(2, 10, 2, 16));
  assert.match(messageOf(type!), /Unknown column type "integr" for age/);
  const [bounds] = byCode(diagnostics, 'schema/bounds');
  assert.equal(bounds!.range.start.line, 4);
  assert.equal(bounds!.range.start.character, 4);
  assert.match(messageOf(bounds!), /income: min \(10\) is greater than max \(1\)/);
  assert.equal(bounds!.severity, DiagnosticSeverity.Error);

  const fixed = BAD_SCHEMA.replace('integr', 'int64').replace('max: 1', 'max: 100');
  await session.client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  assert.deepEqual((await session.nextDiagnostics(uri, (p) => p.diagnostics.length === 0)).diagnostics, []);
});

void test('files on disk: the workspace scan finds slipway.yaml and schemas; a created one is checked, a deleted one cleared', async (t) => {
  const dir = workspace({ 'slipway.yaml': BAD_CONFIG, 'schemas/credit.schema.yaml': BAD_SCHEMA, 'node_modules/pkg/x.schema.yaml': BAD_SCHEMA, '.hidden/y.schema.yaml': BAD_SCHEMA });
  const session = await start(dir);
  t.after(() => session.close());
  const schema = uriOf(join(dir, 'schemas', 'credit.schema.yaml'));
  // The scan checks files in path order, and waiting for one drops what came before it.
  assert.equal((await session.nextDiagnostics(schema)).diagnostics.length, 2);
  assert.equal((await session.nextDiagnostics(uriOf(join(dir, 'slipway.yaml')))).diagnostics.length, 3);

  rmSync(join(dir, 'schemas', 'credit.schema.yaml'));
  await session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: schema, type: FileChangeType.Deleted }] });
  assert.deepEqual((await session.nextDiagnostics(schema, (p) => p.diagnostics.length === 0)).diagnostics, []);

  // A schema created on disk is new to the server; one under node_modules is not the project's.
  const created = uriOf(join(dir, 'schemas', 'new.schema.yaml'));
  const dependency = uriOf(join(dir, 'node_modules', 'pkg', 'x.schema.yaml'));
  writeFileSync(join(dir, 'schemas', 'new.schema.yaml'), 'columns:\n  a: { type: text }\n');
  await session.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: dependency, type: FileChangeType.Changed }, { uri: created, type: FileChangeType.Created }] });
  const fresh = await session.nextDiagnostics(created);
  assert.deepEqual(fresh.diagnostics.map((d) => d.code), ['schema/type']);
  const seen = new Set(session.history.map((p) => p.uri));
  assert.equal(seen.has(dependency), false);
  assert.equal(seen.has(uriOf(join(dir, '.hidden', 'y.schema.yaml'))), false);
});

void test('a check that throws is logged for that file; the server keeps checking the others', async (t) => {
  const dir = workspace();
  const failing = { matches: (name: string) => name === 'slipway.yaml', check: () => { throw new Error('parser fell over'); } };
  const session = await start(dir, { checks: [failing, ...DEFAULT_CHECKS] });
  t.after(() => session.close());
  const logged = new Promise<LogMessageParams>((resolve) => session.client.onNotification('window/logMessage', (p: LogMessageParams) => { if (p.message.includes('parser fell over')) resolve(p); }));
  const config = uriOf(join(dir, 'slipway.yaml'));
  await open(session, config, 'version: 1\n');
  const log = await logged;
  assert.match(log.message, /Checking .*slipway\.yaml failed: Error: parser fell over/);
  assert.deepEqual((await session.nextDiagnostics(config)).diagnostics, []);

  const schema = uriOf(join(dir, 'a.schema.yaml'));
  await open(session, schema, BAD_SCHEMA);
  assert.equal((await session.nextDiagnostics(schema)).diagnostics.length, 2);
});
