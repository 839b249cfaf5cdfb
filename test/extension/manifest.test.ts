import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATEGORY, COMMANDS } from '../../src/extension/commands/table';
import { readSettings, SETTINGS } from '../../src/extension/settings';
import { CONTEXT_KEYS, DRIFT_REPORT_VIEW_TYPE, SHOW_RUN_VIEW_TYPE, VIEWS } from '../../src/extension/views';
import { PROJECT_MARKERS } from '../../src/engine/project';

interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string; category: string; icon?: string }[];
    configuration: { properties: Record<string, unknown> };
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; when: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Manifest;

void test('contributes.commands lists exactly the command table, with its titles, category and icons', () => {
  const declared = manifest.contributes.commands.map(({ command, title, category, icon }) => ({ command, title, category, icon }));
  const expected = COMMANDS.map((spec) => ({ command: spec.id, title: spec.title, category: CATEGORY, icon: spec.icon }));
  assert.deepEqual(declared, expected);
});

void test('every menu entry names a command of the table', () => {
  const ids = new Set(COMMANDS.map((spec) => spec.id));
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) assert.ok(ids.has(entry.command), `menu ${menu} names ${entry.command}, which no command in src/extension/commands/table.ts registers`);
  }
});

void test('contributes.configuration matches the settings type, key for key', () => {
  const expected = Object.fromEntries(Object.entries(SETTINGS).map(([key, spec]) => [`slipway.${key}`, spec]));
  assert.deepEqual(manifest.contributes.configuration.properties, expected);
  const defaults = readSettings(() => undefined);
  assert.deepEqual(Object.keys(defaults).sort(), Object.keys(SETTINGS).sort());
  for (const [key, spec] of Object.entries(SETTINGS)) assert.deepEqual(defaults[key as keyof typeof defaults], spec.default);
});

void test('activation events: the project markers the engine uses to find a project root, column schemas the language server checks, and panel restore', () => {
  assert.deepEqual(manifest.activationEvents, [
    ...PROJECT_MARKERS.map((marker) => `workspaceContains:${marker}`),
    'workspaceContains:**/*.schema.yaml',
    `onWebviewPanel:${SHOW_RUN_VIEW_TYPE}`,
    `onWebviewPanel:${DRIFT_REPORT_VIEW_TYPE}`,
  ]);
});

void test('explorer: a .json file offers Open Drift Report from JSON File, which takes the file it was invoked on', () => {
  const entries = (manifest.contributes.menus['explorer/context'] ?? []).filter((m) => m.command === 'slipway.openDriftReportFile');
  assert.equal(entries.length, 1);
  assert.match(entries[0]!.when ?? '', /resourceExtname == \.json/);
});

void test('Monitoring view: its toolbar and row menus name its commands, for the context values the tree gives its rows', () => {
  const menus = [...(manifest.contributes.menus['view/title'] ?? []), ...(manifest.contributes.menus['view/item/context'] ?? [])].filter((m) => m.when?.includes(`view == ${VIEWS.monitoring}`));
  const commands = new Set(menus.map((m) => m.command));
  for (const id of ['slipway.refreshMonitoring', 'slipway.runMonitor', 'slipway.openDriftReport', 'slipway.acknowledgeAlert', 'slipway.openDriftReportFile']) assert.ok(commands.has(id), `${id} is offered in the Monitoring view`);
  const item = (command: string) => menus.filter((m) => m.command === command && m.when?.includes('viewItem')).map((m) => m.when).join(' ');
  assert.match(item('slipway.acknowledgeAlert'), /viewItem == alert/);
  assert.match(item('slipway.runMonitor'), /viewItem == monitor\b/);
  assert.match(item('slipway.openDriftReport'), /monitorReport/);
});

void test('views and when clauses use the ids the code uses; the VS Code API is pinned to the engine range', () => {
  const views = Object.values(manifest.contributes.views).flat().map((view) => view.id);
  assert.deepEqual(views, Object.values(VIEWS));
  for (const welcome of manifest.contributes.viewsWelcome) assert.match(welcome.when, new RegExp(CONTEXT_KEYS.engineRunning.replace('.', '\\.')));
  assert.equal(manifest.main, './dist/extension.js');
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.equal(manifest.devDependencies['@types/vscode'], '1.100.0');
});
