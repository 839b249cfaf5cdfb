import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { cli, makeProject, REPO } from '../extension/fixture';
import { startSuite, step } from './host/suite';
import { openSlipwayContainer, runCommand, screenshot, toast } from './host/workbench';

const MODELS = join(REPO, 'test', 'fixtures', 'models');

void test('the Models tree in a real VS Code host', async (t) => {
  const dir = makeProject({ git: true });
  cli(dir, 'models', 'register', 'credit', join(MODELS, 'credit_matrix.onnx'), '--schema', join(MODELS, 'credit_matrix.schema.yaml'));
  cli(dir, 'models', 'alias', 'credit', 'champion', '1', '--reason', 'first model');

  const suite = await startSuite('models', dir);
  t.after(async () => {
    await suite.stop();
    for (const pid of servedPids(dir)) process.kill(pid, 'SIGTERM');
  });
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

  await step(t, suite.wb, 'Show Model History opens the audit trail, verified, as a read-only document', async () => {
    await runCommand(page, 'Slipway: Show Model History');
    await choose(page, 'Model whose history to show', 'credit');
    await page.locator('.tabs-container .tab', { hasText: 'credit history.md' }).waitFor();
    const editor = page.locator('.editor-instance .view-lines');
    await editor.getByText('Verification: OK').waitFor();
    assert.match((await editor.innerText()).replace(/\u00a0/g, ' '), /alias\.set @champion: — → 1 \| first model/);
    await screenshot(page, 'models-2-history');
  });

  await step(t, suite.wb, 'Serve Model starts an endpoint: the status bar and the version row show it; Stop Serving ends it', async () => {
    await runCommand(page, 'Slipway: Serve Model');
    await choose(page, 'Model to serve (NAME@ALIAS follows the alias)', 'credit@champion');
    await startedOrExplain(page, dir);
    const [pid] = servedPids(dir);
    assert.ok(pid, 'an endpoint file with a pid');
    const port = (JSON.parse(readFileSync(join(dir, '.slipway', 'endpoints', 'credit@champion.json'), 'utf8')) as { port: number }).port;
    await page.locator('.statusbar-item', { hasText: `credit@champion :${port}` }).waitFor();
    await page.locator('.monaco-list-row', { hasText: `serving :${port}` }).waitFor();
    await screenshot(page, 'models-3-served');
    await runCommand(page, 'Slipway: Stop Serving');
    await page.locator('.statusbar-item', { hasText: 'credit@champion' }).waitFor({ state: 'detached', timeout: 15_000 });
    await page.locator('.monaco-list-row', { hasText: 'serving :' }).waitFor({ state: 'detached' });
  });
});

/**
 * Waits for the "Serving …" toast; when an error toast comes instead, or nothing within 40 s, fails with what the
 * serve process wrote, the endpoint files and the visible toasts, so a failure on another machine explains itself.
 */
async function startedOrExplain(page: Page, dir: string): Promise<void> {
  const ok = toast(page, /Serving credit:1 at http:\/\/127\.0\.0\.1:\d+/);
  const failed = toast(page, /did not start serving|stopped with exit code|Could not run/);
  const outcome = await Promise.race([
    ok.waitFor({ timeout: 40_000 }).then(() => 'ok' as const),
    failed.waitFor({ timeout: 40_000 }).then(() => 'failed' as const),
  ]).catch(() => 'timeout' as const);
  if (outcome === 'ok') return;
  const log = (() => {
    try {
      return readFileSync(join(dir, '.slipway', 'logs', 'serve-credit@champion.log'), 'utf8');
    } catch (error) {
      return `(no serve log: ${(error as Error).message})`;
    }
  })();
  const files = (() => {
    try {
      return readdirSync(join(dir, '.slipway', 'endpoints')).map((f) => `${f}: ${readFileSync(join(dir, '.slipway', 'endpoints', f), 'utf8')}`);
    } catch {
      return ['(no endpoints folder)'];
    }
  })();
  const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  assert.fail(`serving did not start (${outcome}).\ntoasts: ${JSON.stringify(toasts)}\nendpoint files: ${files.join('\n')}\nserve log:\n${log.slice(-4000)}`);
}

/** Picks `label` in the quick pick whose placeholder is `placeholder` (typed only once that picker owns the input). */
async function choose(page: Page, placeholder: string, label: string): Promise<void> {
  const picker = page.locator(`.quick-input-widget input[placeholder="${placeholder}"]`);
  await picker.waitFor();
  await picker.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await picker.press('Enter');
}

function servedPids(dir: string): number[] {
  const folder = join(dir, '.slipway', 'endpoints');
  try {
    return readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .map((f) => (JSON.parse(readFileSync(join(folder, f), 'utf8')) as { pid: number }).pid);
  } catch {
    return [];
  }
}
