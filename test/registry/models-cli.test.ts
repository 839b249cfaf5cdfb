import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { initProject, ProjectPaths } from '../../src/engine/project';

const ROOT = resolve(import.meta.dirname, '..', '..');
// The bundled CLI, as users run it; `npm test` builds it first (run `npm run build` before running this file alone).
const CLI = join(ROOT, 'dist', 'cli.js');

function slipway(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T>(cwd: string, ...args: string[]): T {
  const result = slipway(cwd, ...args, '--json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

describe('slipway models', () => {
  let dir: string;
  before(() => {
    if (!existsSync(CLI)) assert.equal(spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT }).status, 0, 'build failed');
    dir = mkdtempSync(join(tmpdir(), 'slipway-models-cli-'));
    initProject(dir);
    writeFileSync(join(dir, 'model.onnx'), 'v1 bytes');
    writeFileSync(join(dir, 'model2.onnx'), 'v2 bytes');
    writeFileSync(join(dir, 'credit.schema.yaml'), 'columns:\n  income: { type: float64 }\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers files, moves aliases with reasons, rolls back and verifies the history', () => {
    const v1 = json<{ modelVersion: { version: string; source: string } }>(dir, 'models', 'register', 'credit', 'model.onnx', '--schema', 'credit.schema.yaml');
    assert.equal(v1.modelVersion.version, '1');
    assert.equal(v1.modelVersion.source, `file://${join(dir, 'model.onnx')}`);
    json(dir, 'models', 'register', 'credit', 'model2.onnx');

    const noReason = slipway(dir, 'models', 'alias', 'credit', 'champion', '1');
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /needs --reason/);

    assert.match(slipway(dir, 'models', 'alias', 'credit', 'champion', '1', '--reason', 'first release').stdout, /credit@champion → version 1/);
    json(dir, 'models', 'alias', 'credit', 'champion', '2', '--reason', 'retrained on Q3');
    assert.equal(json<{ modelVersion: { version: string } }>(dir, 'models', 'show', 'credit@champion').modelVersion.version, '2');
    assert.equal(json<{ modelVersion: { current_stage: string } }>(dir, 'models', 'stage', 'credit', '2', 'production', '--reason', 'approved').modelVersion.current_stage, 'Production');

    const list = json<{ models: { name: string; latestVersion: string; aliases: Record<string, string>; stages: Record<string, string> }[] }>(dir, 'models', 'list');
    assert.deepEqual(list.models, [{ ...list.models[0]!, name: 'credit', latestVersion: '2', aliases: { champion: '2' }, stages: { Production: '2' } }]);
    const shown = json<{ versions: { version: string }[] }>(dir, 'models', 'show', 'credit');
    assert.deepEqual(shown.versions.map((v) => v.version), ['2', '1']);
    assert.match(slipway(dir, 'models', 'show', 'credit:1').stdout, /Model version credit:1/);

    assert.match(slipway(dir, 'models', 'rollback', 'credit', 'champion', '--reason', 'AUC dropped in prod').stdout, /rolled back to version 1/);
    const history = json<{ entries: { action: string; actor: string; reason: string }[]; verification: { ok: boolean } }>(dir, 'models', 'history', 'credit', '--verify');
    assert.deepEqual(history.entries.map((e) => [e.action, e.reason]), [
      ['alias.set', 'first release'],
      ['alias.set', 'retrained on Q3'],
      ['stage.transition', 'approved'],
      ['alias.rollback', 'AUC dropped in prod'],
    ]);
    assert.equal(history.verification.ok, true);
    assert.match(slipway(dir, 'models', 'history', 'credit').stdout, /WHO/);
  });

  it('exits 1 and names the broken entry when the history was edited with raw SQL', () => {
    const db = new Database(new ProjectPaths(dir).database);
    db.exec('DROP TRIGGER registry_audit_no_update');
    db.prepare("UPDATE registry_audit SET reason = 'nothing to see' WHERE seq = 4").run();
    db.close();
    const result = slipway(dir, 'models', 'history', 'credit', '--verify');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /AUDIT LOG VERIFICATION FAILED/);
    assert.match(result.stdout, /entry 4 of origin [0-9a-f]+ \(alias.rollback credit champion\) was changed after it was written/);
  });

  it('reports usage errors with exit code 2', () => {
    const bad = slipway(dir, 'models', 'show', 'credit@@x');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a model reference/);
    const missing = slipway(dir, 'models', 'show', 'nope:1', '--json');
    assert.equal(missing.code, 2);
    assert.equal((JSON.parse(missing.stderr) as { error: { code: string } }).error.code, 'RESOURCE_DOES_NOT_EXIST');
    assert.equal(slipway(dir, 'models', 'register', 'credit', 's3://bucket/model').code, 2);
  });
});
