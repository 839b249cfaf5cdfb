import assert from 'node:assert/strict';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SlipwayError } from '../../src/engine/errors';
import { DataRepo, add, parsePointerText, parseDvcFile, serializeDvcFile, status } from '../../src/engine/versioning';
import { YamlFile } from '../../src/engine/yaml';
import { DVC_EXAMPLE, makeProject, write } from './helpers/project';

void test("DVC's example project's .dvc file parses and is rewritten byte for byte", () => {
  const text = readFileSync(join(DVC_EXAMPLE, 'data', 'data.xml.dvc'), 'utf8');
  const yaml = new YamlFile('data/data.xml.dvc', text);
  const file = parseDvcFile(yaml);
  assert.deepEqual(yaml.diagnostics, []);
  assert.equal(file.outs.length, 1);
  assert.deepEqual(
    { path: file.outs[0]!.path, md5: file.outs[0]!.md5, size: file.outs[0]!.size, hash: file.outs[0]!.hash },
    { path: 'data.xml', md5: '22a1a2931c8370d3aeedd7183606fd7f', size: 14445097, hash: 'md5' },
  );
  assert.deepEqual(file.extra.map(([k]) => k), ['md5', 'frozen', 'deps']);
  assert.equal(serializeDvcFile(file), text);
  const tracked = parsePointerText('/p', 'data/data.xml.dvc', text);
  assert.equal(tracked[0]!.path, 'data/data.xml');
});

void test('a directory output is written in DVC 3 key order and round-trips', () => {
  const text = 'outs:\n- md5: 153aad06d376b6595932470e459ef42a.dir\n  size: 8437363\n  nfiles: 2\n  hash: md5\n  path: prepared\n';
  const file = parseDvcFile(new YamlFile('p.dvc', text));
  assert.equal(file.outs[0]!.nfiles, 2);
  assert.equal(serializeDvcFile(file), text);
  const extras = 'outs:\n- md5: 0a82c0028c5003414f29cfc15aa698d8\n  size: 3\n  isexec: true\n  hash: md5\n  path: run.sh\n  cache: false\n  desc: entry point\nmeta:\n  owner: data team\n';
  assert.equal(serializeDvcFile(parseDvcFile(new YamlFile('x.dvc', extras))), extras);
});

function errorOf(text: string): SlipwayError {
  try {
    parsePointerText('/p', 'data/x.dvc', text);
  } catch (error) {
    assert.ok(error instanceof SlipwayError);
    return error;
  }
  assert.fail('expected an error');
}

void test('bad YAML is an error naming the file and line', () => {
  const error = errorOf('outs:\n- md5: abc\n  path: [unclosed\n');
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.match(error.message, /^data\/x\.dvc:\d+:\d+: YAML syntax error/);
});

void test('unknown keys are errors at their line, top level and in outs', () => {
  const top = errorOf('outs:\n- path: x\nsurprise: 1\n');
  assert.match(top.message, /^data\/x\.dvc:3:1: Unknown key "surprise" in a \.dvc file/);
  const inOut = errorOf('outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  path: x\n  colour: red\n');
  assert.match(inOut.message, /^data\/x\.dvc:4:3: Unknown key "colour" in outs/);
});

void test('wrong values are errors at their line', () => {
  assert.match(errorOf('outs:\n- md5: nothex\n  path: x\n').message, /:2:8: outs\.md5 must be 32 lowercase hex/);
  assert.match(errorOf('outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  size: -1\n  path: x\n').message, /:3:9: outs\.size must be a whole number/);
  assert.match(errorOf('outs:\n- path: ../escape\n').message, /must stay inside/);
  assert.match(errorOf('deps: []\n').message, /needs an `outs` list/);
  assert.match(errorOf('outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  hash: sha256\n  path: x\n').message, /:3:9: outs\.hash "sha256" is not supported/);
});

void test('an all-digit md5 keeps its digits and is quoted when written', () => {
  const file = parseDvcFile(new YamlFile('x.dvc', 'outs:\n- md5: 12345678901234567890123456789012\n  path: x\n'));
  assert.equal(file.outs[0]!.md5, '12345678901234567890123456789012');
  assert.equal(serializeDvcFile(file), "outs:\n- md5: '12345678901234567890123456789012'\n  path: x\n");
});

void test('a .dvc file that add writes parses back and rewrites unchanged', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'data/features', 'x');
  write(root, 'tool.sh', '#!/bin/sh\n');
  chmodSync(join(root, 'tool.sh'), 0o755);
  const repo = DataRepo.open(root);
  try {
    await add(repo, ['data', 'tool.sh']);
  } finally {
    await repo.close();
  }
  for (const name of ['data.dvc', 'tool.sh.dvc']) {
    const text = readFileSync(join(root, name), 'utf8');
    const yaml = new YamlFile(name, text);
    const file = parseDvcFile(yaml);
    assert.deepEqual(yaml.diagnostics, []);
    assert.equal(serializeDvcFile(file), text);
  }
  assert.match(readFileSync(join(root, 'tool.sh.dvc'), 'utf8'), /\n {2}isexec: true\n {2}hash: md5\n {2}path: tool\.sh\n$/);
});

void test('status names the .dvc file and line of a broken pointer', async (t) => {
  const { root, cleanup } = makeProject();
  t.after(cleanup);
  write(root, 'data/x.csv.dvc', 'outs:\n- md5: 22a1a2931c8370d3aeedd7183606fd7f\n  path: x.csv\n  sise: 3\n');
  const repo = DataRepo.open(root);
  try {
    await assert.rejects(status(repo), /^SlipwayError: data\/x\.csv\.dvc:4:3: Unknown key "sise" in outs/);
    await assert.rejects(status(repo), (e: unknown) => e instanceof SlipwayError && e.code === 'CONFIG_INVALID');
  } finally {
    await repo.close();
  }
});
