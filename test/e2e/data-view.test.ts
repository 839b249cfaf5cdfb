import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cli, makeProject } from '../extension/fixture';
import { startSuite, step, writeFiles } from './host/suite';
import { openSlipwayContainer, runCommand, screenshot, toast } from './host/workbench';

const commit = (dir: string, message: string) => {
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', message], { cwd: dir });
};

const dataRows = (page: Page) => page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Data"]') }).locator('.monaco-list-row');

void test('the Data view in a real VS Code host: status rows, refresh, checkout at a revision with the force offer', async (t) => {
  const dir = makeProject({ git: true });
  writeFiles(dir, { 'data/train.csv': 'v1\n' });
  cli(dir, 'add', 'data/train.csv');
  commit(dir, 'Data v1');
  writeFileSync(join(dir, 'data', 'train.csv'), 'v2\n');
  cli(dir, 'add', 'data/train.csv');
  commit(dir, 'Data v2');

  const suite = await startSuite('data-view', dir);
  t.after(() => suite.stop());
  const { page } = suite.wb;

  await step(t, suite.wb, 'the Data view lists the tracked path with its status', async () => {
    await openSlipwayContainer(page);
    await dataRows(page).filter({ hasText: 'data/train.csv' }).filter({ hasText: 'unchanged' }).waitFor();
    await screenshot(page, 'data-1-tree');
  });

  await step(t, suite.wb, 'an edit to the data shows after Refresh Data', async () => {
    writeFileSync(join(dir, 'data', 'train.csv'), 'v3, not saved\n');
    await runCommand(page, 'Slipway: Refresh Data');
    await dataRows(page).filter({ hasText: 'data/train.csv' }).filter({ hasText: 'modified' }).waitFor();
  });

  await step(t, suite.wb, 'Checkout Data at Revision… picks a commit, offers to discard the unsaved edit, and restores v1', async () => {
    await runCommand(page, 'Slipway: Checkout Data at Revision…');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Data v1' });
    await item.waitFor();
    await screenshot(page, 'data-2-revision-pick');
    await item.click();
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'has changes that are not saved in the cache' });
    await dialog.waitFor();
    await dialog.locator('.monaco-button', { hasText: 'Discard Changes and Check Out' }).click();
    await toast(page, /Checked out the data at [0-9a-f]{10}: data\/train\.csv \(updated\)/).waitFor();
    assert.equal(readFileSync(join(dir, 'data', 'train.csv'), 'utf8'), 'v1\n');
    await dataRows(page).filter({ hasText: 'data/train.csv' }).filter({ hasText: 'unchanged' }).waitFor();
    await screenshot(page, 'data-3-checked-out');
  });

  await step(t, suite.wb, 'Add to Data Versioning from the explorer, cancelled from its notification: the CLI stops and no pointer is written', async () => {
    writeFileSync(join(dir, 'big.bin'), '');
    truncateSync(join(dir, 'big.bin'), 2 * 1024 ** 3); // sparse: instant to create, long to hash and copy
    await runCommand(page, 'View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'big.bin' });
    await row.waitFor();
    await row.click({ button: 'right' });
    const entry = page.locator('.monaco-menu .action-item', { hasText: 'Add to Data Versioning' });
    await entry.hover();
    // The workbench's context menu acts on keyboard selection reliably in the browser; the hover focuses the entry.
    await page.keyboard.press('Enter');
    const progress = toast(page, /Tracking big\.bin/);
    await progress.waitFor();
    await screenshot(page, 'data-4-add-progress');
    await progress.hover();
    await progress.locator('.monaco-button, .action-label', { hasText: 'Cancel' }).first().click();
    await toast(page, /Cancelled `slipway add`/).waitFor();
    assert.equal(existsSync(join(dir, 'big.bin.dvc')), false);
    const cache = join(dir, '.slipway', 'cache');
    const objects = existsSync(cache) ? readdirSync(cache, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.endsWith('.tmp')) : [];
    assert.deepEqual(objects.map((d) => d.name).filter((name) => name.length > 20 && !name.endsWith('.dir')).length, 2, 'only the two versions of train.csv are in the cache');
    await screenshot(page, 'data-5-add-cancelled');
  });
});
