import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logRun, makeProject } from '../extension/fixture';
import { startSuite, step, writeFiles } from './host/suite';
import { openSlipwayContainer, runCommand, runsPane, runsRows, screenshot, toast, webview } from './host/workbench';

void test('bad input in a real VS Code host: no engine, no git, malformed dvc.yaml', async (t) => {
  const dir = makeProject({ git: false });
  writeFiles(dir, { 'dvc.yaml': 'stages:\n  train:\n    deps: [data.csv\n    outs: [model.pkl]\n' });
  logRun(dir, 'plain', 'nogit', '0.5');

  const suite = await startSuite('bad-input', dir, { 'slipway.engine.autoStart': false });
  t.after(() => suite.stop());
  const { page } = suite.wb;

  await step(t, suite.wb, 'no engine: the view says so and engine commands explain why they cannot run', async () => {
    await openSlipwayContainer(page);
    await runsPane(page).getByText(/The Slipway engine is not running/).first().waitFor();
    await runCommand(page, 'Slipway: Refresh Runs');
    await toast(page, /"Slipway: Refresh Runs" needs the Slipway engine/).waitFor();
    await screenshot(page, 'bad-1-no-engine');
  });

  await step(t, suite.wb, 'malformed dvc.yaml: a YAML error at its range in Problems', async () => {
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'YAML syntax error' }).first();
    await problem.waitFor();
    assert.match(await problem.innerText(), /Ln \d+, Col \d+/);
    assert.equal(await problem.locator('.codicon-error').count(), 1);
    await screenshot(page, 'bad-2-yaml-error');
  });

  await step(t, suite.wb, 'the language server keeps serving once the file is fixed on disk', async () => {
    writeFileSync(join(dir, 'dvc.yaml'), 'stages:\n  train:\n    cmd: x\n    deps: [data.csv]\n');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'Dependency "data.csv" of stage "train" does not exist' }).waitFor();
    assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: 'YAML syntax error' }).count(), 0);
  });

  await step(t, suite.wb, 'Start Engine from the palette in a folder without git; Show Run says there is no repository', async () => {
    await runCommand(page, 'Slipway: Start Engine');
    await openSlipwayContainer(page);
    const row = runsRows(page).filter({ hasText: 'nogit' });
    await row.waitFor();
    await row.click();
    const view = webview(page);
    await view.locator('h1[data-field="run-name"]', { hasText: 'nogit' }).waitFor();
    assert.match(await view.locator('table[data-section="overview"]').innerText(), /Git commit\s+not a git repository/);
    assert.match(await view.locator('table[data-section="overview"]').innerText(), /Working tree\s+not recorded/);
    await screenshot(page, 'bad-3-show-run-no-git');
  });
});
