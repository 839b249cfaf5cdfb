import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YamlFile } from '../../../src/engine/yaml';
import { checkMissingDeps, MISSING_DEP } from '../../../src/engine/pipeline';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-pipeline-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const check = (dir: string, name = 'dvc.yaml') => checkMissingDeps(YamlFile.read(join(dir, name)));

void test('a dep missing on disk and produced by no stage is a warning at its exact range', () => {
  const yaml = ['stages:', '  train:', '    cmd: python train.py', '    deps:', '    - train.py', '    - data/missing.csv', '    outs:', '    - model.pkl', ''].join('\n');
  const dir = project({ 'dvc.yaml': yaml, 'train.py': '' });
  const found = check(dir);
  assert.equal(found.length, 1);
  const [d] = found;
  assert.equal(d!.code, MISSING_DEP);
  assert.equal(d!.severity, 'warning');
  assert.deepEqual(d!.range, { start: { line: 5, character: 6 }, end: { line: 5, character: 22 } });
  assert.match(d!.message, /"data\/missing.csv" of stage "train"/);
});

void test('outputs of any stage, paths inside output folders, .dvc-tracked data, URLs and templates are not missing', () => {
  const yaml = `stages:
  evaluate:
    cmd: python eval.py
    deps: [data/features/train.pkl, model.pkl, data/raw.csv, s3://bucket/x.csv, "\${item}.csv"]
    metrics: [eval/metrics.json]
  featurize:
    cmd: python featurize.py
    outs:
    - data/features:
        cache: false
  train:
    cmd: python train.py
    deps: [eval/metrics.json]
    outs: [model.pkl]
  loop:
    foreach: [a, b]
    do:
      cmd: echo
      deps:
      - \${item}.txt
`;
  const dir = project({ 'dvc.yaml': yaml, 'data/raw.csv.dvc': 'outs:\n- md5: x\n  path: raw.csv\n' });
  assert.deepEqual(check(dir), []);
});

void test('wdir makes deps relative to the stage folder', () => {
  const yaml = 'stages:\n  s:\n    cmd: x\n    wdir: sub\n    deps: [a.txt, b.txt]\n';
  const dir = project({ 'dvc.yaml': yaml, 'sub/a.txt': '' });
  const found = check(dir);
  assert.deepEqual(found.map((d) => d.message.match(/"(.*?)"/)![1]), ['b.txt']);
});

void test('the DVC get-started pipeline: source files absent from the fixture are reported, produced folders are not', () => {
  const fixture = join(__dirname, '..', '..', 'fixtures', 'versioning', 'dvc-example-get-started');
  const file = new YamlFile(join(fixture, 'dvc.yaml'), readFileSync(join(fixture, 'dvc.yaml'), 'utf8'));
  const missing = checkMissingDeps(file).map((d) => d.message.match(/"(.*?)"/)![1]);
  assert.deepEqual(missing, ['src/prepare.py', 'src/featurization.py', 'src/train.py', 'src/evaluate.py']);
});

void test('malformed YAML gives a syntax error at its range and no rule findings', () => {
  const dir = project({ 'dvc.yaml': 'stages:\n  train:\n    deps: [a.csv\n    outs: x\n' });
  const found = check(dir);
  assert.ok(found.length >= 1);
  assert.ok(found.every((d) => d.code === 'yaml/syntax' && d.severity === 'error'));
  assert.ok(found[0]!.range.start.line >= 2, `error located at line ${found[0]!.range.start.line}`);
});

void test('shape errors are reported where they are and other stages are still checked', () => {
  const dir = project({ 'dvc.yaml': 'stages:\n  a: just a string\n  b:\n    cmd: x\n    deps: nope\n  c:\n    cmd: y\n    deps: [gone.txt, {x: 1, y: 2}]\n' });
  const found = check(dir);
  assert.deepEqual(found.map((d) => [d.code, d.range.start.line]), [
    ['yaml/type', 1],
    ['yaml/type', 4],
    ['yaml/type', 7],
    [MISSING_DEP, 7],
  ]);
});
