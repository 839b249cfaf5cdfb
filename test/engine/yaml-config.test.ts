import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMap } from 'yaml';
import { loadProjectConfig, parseProjectConfig } from '../../src/engine/config';
import { SlipwayError } from '../../src/engine/errors';
import { findProjectRoot } from '../../src/engine/project';
import { YamlFile, formatDiagnostic } from '../../src/engine/yaml';
import { gitRepo, tempDir } from '../helpers';

test('every node keeps its source range', () => {
  const file = new YamlFile('p.yaml', 'stages:\n  train:\n    cmd: python train.py\n');
  const root = file.root;
  assert.ok(isMap(root));
  const stages = root.get('stages', true);
  assert.ok(isMap(stages));
  const train = stages.get('train', true);
  assert.ok(isMap(train));
  const cmd = train.get('cmd', true);
  assert.deepEqual(file.rangeOf(cmd as never), { start: { line: 2, character: 9 }, end: { line: 2, character: 24 } });
});

test('syntax errors carry file:line:col', () => {
  const file = new YamlFile('bad.yaml', 'a: 1\nb: [1, 2\nc: 3\n');
  assert.ok(file.hasErrors);
  const first = formatDiagnostic(file.diagnostics[0]!);
  assert.match(first, /^bad\.yaml:\d+:\d+: YAML syntax error: /);
  const dup = new YamlFile('dup.yaml', 'a: 1\na: 2\n');
  assert.match(formatDiagnostic(dup.diagnostics[0]!), /^dup\.yaml:2:1: .*[Mm]ap keys must be unique/);
});

test('slipway.yaml: version 1 and registered sections are accepted', () => {
  const file = new YamlFile('slipway.yaml', 'version: 1\ntracking:\n  experiment: credit-risk\n');
  const settings = parseProjectConfig(file);
  assert.deepEqual(file.diagnostics, []);
  assert.equal(settings.tracking.experiment, 'credit-risk');
});

test('slipway.yaml: unknown keys, a wrong version and wrong types are errors at their line', () => {
  const cases: [string, RegExp][] = [
    ['version: 1\nmonitorz: {}\n', /^slipway\.yaml:2:1: Unknown key "monitorz" in slipway\.yaml/],
    ['version: 2\n', /^slipway\.yaml:1:10: Unsupported slipway\.yaml version 2/],
    ['tracking: {}\n', /^slipway\.yaml:1:1: slipway\.yaml must say `version: 1`/],
    ['version: 1\ntracking:\n  experiment: [a]\n', /^slipway\.yaml:3:15: tracking\.experiment must be a string/],
    ['version: 1\ntracking:\n  experimnt: x\n', /^slipway\.yaml:3:3: Unknown key "experimnt" in tracking/],
    ['', /slipway\.yaml is empty/],
  ];
  for (const [text, expected] of cases) {
    const file = new YamlFile('slipway.yaml', text);
    parseProjectConfig(file);
    assert.match(formatDiagnostic(file.diagnostics[0]!), expected, text);
  }
});

test('loadProjectConfig throws one error listing every problem, and defaults when the file is absent', () => {
  const dir = tempDir();
  assert.equal(loadProjectConfig(dir).exists, false);
  assert.equal(loadProjectConfig(dir).settings.tracking.experiment, 'Default');
  writeFileSync(join(dir, 'slipway.yaml'), 'version: 1\nfoo: 1\nbar: 2\n');
  assert.throws(() => loadProjectConfig(dir), (e: unknown) => e instanceof SlipwayError && e.code === 'CONFIG_INVALID' && /:2:1: Unknown key "foo"[\s\S]*:3:1: Unknown key "bar"/.test(e.message));
});

test('slipway.yaml: an alert rule naming an undeclared monitor is reported at its list item, without failing the load', () => {
  const text = 'version: 1\nmonitors:\n  live: { data: a.csv }\nalerts:\n  page:\n    monitors: [live, typo]\n  all:\n    monitors: gone\n';
  const file = new YamlFile('/p/slipway.yaml', text);
  parseProjectConfig(file);
  assert.deepEqual(file.diagnostics.map(formatDiagnostic), [
    '/p/slipway.yaml:6:22: alerts.page.monitors: no monitor "typo" under `monitors:`. Monitors: live.',
    '/p/slipway.yaml:8:15: alerts.all.monitors: no monitor "gone" under `monitors:`. Monitors: live.',
  ]);
  assert.ok(file.diagnostics.every((d) => d.code === 'config/unknown-monitor' && d.severity === 'error'));
  // Other commands still load the settings; `slipway monitor run` is the one that refuses them.
  const dir = tempDir();
  writeFileSync(join(dir, 'slipway.yaml'), text);
  const loaded = loadProjectConfig(dir);
  assert.deepEqual(loaded.settings.alerts.rules.page?.monitors, ['live', 'typo']);
  assert.deepEqual(loaded.diagnostics.map((d) => d.code), ['config/unknown-monitor', 'config/unknown-monitor']);
});

test('the project root is the nearest folder with a marker, else the git root, else none', () => {
  const repo = gitRepo();
  const deep = join(repo, 'a', 'b');
  mkdirSync(deep, { recursive: true });
  assert.equal(findProjectRoot(deep), repo);
  writeFileSync(join(repo, 'a', 'dvc.yaml'), 'stages: {}\n');
  assert.equal(findProjectRoot(deep), join(repo, 'a'));
  mkdirSync(join(deep, '.slipway'));
  assert.equal(findProjectRoot(deep), deep);
  const plain = tempDir();
  assert.equal(findProjectRoot(plain), null);
  assert.throws(() => findProjectRoot(join(plain, 'missing')), (e: unknown) => e instanceof SlipwayError && e.code === 'NOT_A_PROJECT');
});
