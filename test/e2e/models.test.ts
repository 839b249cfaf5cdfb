import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, makeProject, REPO } from '../extension/fixture';
import { startSuite, step } from './host/suite';
import { openSlipwayContainer, screenshot } from './host/workbench';

const MODELS = join(REPO, 'test', 'fixtures', 'models');

void test('the Models tree in a real VS Code host', async (t) => {
  const dir = makeProject({ git: true });
  cli(dir, 'models', 'register', 'credit', join(MODELS, 'credit_matrix.onnx'), '--schema', join(MODELS, 'credit_matrix.schema.yaml'));
  cli(dir, 'models', 'alias', 'credit', 'champion', '1', '--reason', 'first model');

  const suite = await startSuite('models', dir);
  t.after(() => suite.stop());
  const { page } = suite.wb;

  await step(t, suite.wb, 'a registered model and its aliased version are listed', async () => {
    await openSlipwayContainer(page);
    const pane = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Models"]') });
    const rows = pane.locator('.monaco-list-row');
    await rows.filter({ hasText: 'credit' }).waitFor();
    const version = rows.filter({ hasNotText: 'credit' });
    await version.waitFor();
    assert.match(await version.innerText(), /v1\s*@champion/);
    assert.match(await rows.filter({ hasText: 'credit' }).innerText(), /credit\s*1 version · @champion→v1/);
    await screenshot(page, 'models-1-tree');
  });
});
