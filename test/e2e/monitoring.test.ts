import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DIST, makeProject } from '../extension/fixture';
import { writeWideTable } from '../extension/drift-fixture';
import { scoredSince, writeMonitorProject } from '../extension/monitor-fixture';
import { exited } from '../helpers';
import { startSuite, step } from './host/suite';
import { openSlipwayContainer, runCommand, screenshot, toast, webview } from './host/workbench';

/** The Monitoring view's rows. */
function monitoringRows(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Monitoring"]') }).locator('.monaco-list-row');
}

void test('the Monitoring tree and the Drift Report panel in a real VS Code host', async (t) => {
  const dir = makeProject({ git: true });
  // `scored` has labels and scores: three windows, the newest degraded (the alert rule leaves it out).
  writeMonitorProject(dir, { scored: true });
  const scored = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'monitor', 'run', 'scored', '--since', scoredSince()], { cwd: dir, encoding: 'utf8' });
  assert.equal(scored.status, 1, scored.stderr);
  // Both drift monitors evaluated before the editor opens (exit 1: drift); their alerts are old and must not pop up.
  const first = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'monitor', 'run'], { cwd: dir, encoding: 'utf8' });
  assert.equal(first.status, 1, first.stderr);

  // A wide `slipway drift --out-json` report (120 columns, half drifting) for the file command.
  writeWideTable(join(dir, 'wide-ref.csv'), 120, 300, false, 5);
  writeWideTable(join(dir, 'wide-cur.csv'), 120, 300, true, 6);
  const wide = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'drift', '--reference', 'wide-ref.csv', '--current', 'wide-cur.csv', '--out-json', 'wide-drift.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(wide.status, 1, wide.stderr);

  const suite = await startSuite('monitoring', dir);
  t.after(() => suite.stop());
  const { page } = suite.wb;

  await step(t, suite.wb, 'the Monitoring tree shows a monitor with drift, its alert and the Alerts row', async () => {
    await openSlipwayContainer(page);
    const rows = monitoringRows(page);
    const credit = rows.filter({ hasText: 'credit-live' }).filter({ hasText: /drift 2\/3/ }).first();
    await credit.waitFor();
    assert.match(await credit.innerText(), /credit-live\s*drift 2\/3 · just now · 1 alert/);
    await rows.filter({ hasText: 'Alerts' }).filter({ hasText: '2 open' }).waitFor();
    assert.match(await rows.filter({ hasText: 'batch-scores' }).filter({ hasText: /drift 2\/3/ }).first().innerText(), /batch-scores\s*drift 2\/3 · just now · 1 alert/);
    assert.equal(await toast(page, /Monitor (credit-live|batch-scores)/).count(), 0, 'no notice for alerts raised before the editor connected');
    await screenshot(page, 'monitoring-1-tree');
  });

  await step(t, suite.wb, 'a monitor run from a terminal adds a report and an alert without Refresh, and a notification', async () => {
    // --force: evaluate the last window again (it already has a report), as after fixing late data.
    const child = spawn(process.execPath, [join(DIST, 'cli.js'), 'monitor', 'run', 'batch-scores', '--force'], { cwd: dir, stdio: 'ignore' });
    const done = exited(child);
    const notice = toast(page, /Monitor batch-scores: drift detected in 2 of 3 columns/);
    await notice.waitFor();
    assert.equal(await done, 1);
    const rows = monitoringRows(page);
    await rows.filter({ hasText: 'Alerts' }).filter({ hasText: '3 open' }).waitFor();
    await rows.filter({ hasText: 'batch-scores' }).filter({ hasText: /drift 2\/3 · just now · 2 alerts/ }).first().waitFor();
    assert.ok(await notice.getByRole('button', { name: 'Open Report' }).isVisible());
    assert.ok(await notice.getByRole('button', { name: 'Acknowledge' }).isVisible());
    await screenshot(page, 'monitoring-2-alert');
  });

  await step(t, suite.wb, 'Open Report shows the summary and the column table inside the webview; a column opens its detail', async () => {
    await toast(page, /Monitor batch-scores/).getByRole('button', { name: 'Open Report' }).click();
    await page.locator('.tabs-container .tab', { hasText: /Drift: batch-scores/ }).waitFor();
    const view = webview(page);
    await view.locator('h1[data-field="summary"]', { hasText: 'Drift detected in 2 of 3 columns' }).waitFor();
    const table = view.locator('table[data-section="columns"]');
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 3);
    assert.equal(await table.locator('tbody tr.drift').count(), 2);
    assert.equal(await table.locator('tbody svg.spark').count(), 3);
    assert.match(await table.locator('tr[data-row="age"]').innerText(), /age\s+numerical\s+.+\s+0\.05\s+Drift/);
    await screenshot(page, 'monitoring-3-report');

    // Keyboard: arrow keys move between the rows' buttons, Enter opens the focused column.
    await table.locator('button[data-column="age"]').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await view.locator('button:focus').getAttribute('data-column'), 'income');
    await page.keyboard.press('ArrowUp');
    assert.equal(await view.locator('button:focus').getAttribute('data-column'), 'age');
    await page.keyboard.press('Enter');
    const detail = view.locator('#detail');
    await detail.locator('h2[data-field="detail-column"]', { hasText: 'age' }).waitFor();
    await detail.locator('svg.dist').waitFor();
    await detail.locator('svg.history circle.flagged').waitFor();
    assert.match(await detail.innerText(), /Drift over time/);
    // age is tested with K-S: its p-values are drawn on a log axis. This monitor has no performance: no such section.
    assert.match((await detail.locator('svg.history').getAttribute('class')) ?? '', /\blog\b/);
    assert.match(await detail.innerText(), /p-values on a log scale/);
    assert.equal(await view.locator('details[data-section="performance-history"]').count(), 0);
    await screenshot(page, 'monitoring-4-column');

    await table.locator('button[data-column="income"]').click();
    await detail.locator('h2[data-field="detail-column"]', { hasText: 'income' }).waitFor();
    assert.match(await detail.innerText(), /No drift/);
  });

  await step(t, suite.wb, 'Acknowledge from the alert row removes the alert from the tree', async () => {
    const rows = monitoringRows(page);
    const alertRow = rows.filter({ hasText: 'batch-scores: Drift detected in 2 of 3 columns' }).first();
    await alertRow.hover();
    await alertRow.locator('.action-label[aria-label="Acknowledge Alert"]').click();
    await toast(page, /Acknowledged: Monitor batch-scores: drift detected in 2 of 3 columns/).waitFor();
    await rows.filter({ hasText: 'Alerts' }).filter({ hasText: '2 open' }).waitFor();
    await rows.filter({ hasText: 'batch-scores' }).filter({ hasText: /drift 2\/3 · just now · 1 alert$/ }).first().waitFor();
  });

  await step(t, suite.wb, 'after a window reload the panel comes back with the same report and column', async () => {
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.tabs-container .tab', { hasText: /Drift: batch-scores/ }).waitFor({ timeout: 30_000 });
    const view = webview(page);
    await view.locator('h1[data-field="summary"]', { hasText: 'Drift detected in 2 of 3 columns' }).waitFor({ timeout: 30_000 });
    await view.locator('#detail h2[data-field="detail-column"]', { hasText: 'income' }).waitFor();
    await screenshot(page, 'monitoring-5-restored');
  });

  await step(t, suite.wb, 'a report with performance shows one chart per metric over time, with baseline, band and degraded windows', async () => {
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    await runCommand(page, 'Slipway: Open Drift Report');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'scored ·' }).filter({ hasText: 'degraded: accuracy' }).first().click();
    await page.locator('.tabs-container .tab', { hasText: /Drift: scored/ }).waitFor();
    const view = webview(page);
    const section = view.locator('details[data-section="performance-history"]');
    await section.waitFor();
    assert.equal(await section.getAttribute('open'), '');
    const accuracy = section.locator('figure[data-metric="accuracy"]');
    assert.equal(await accuracy.locator('svg.metric circle').count(), 3);
    assert.equal(await accuracy.locator('svg.metric circle.flagged').count(), 1);
    assert.equal(await accuracy.locator('svg.metric rect.band').count(), 1);
    assert.equal(await accuracy.locator('svg.metric line.metric-baseline').count(), 1);
    // No baseline was logged for log loss: its line is drawn without a band.
    assert.equal(await section.locator('figure[data-metric="log_loss"] rect.band').count(), 0);
    assert.equal(await section.locator('figure.metric-chart').count(), 8);
    // The summary still has the window's metrics against the baseline.
    assert.match(await view.locator('table[data-section="performance"]').innerText(), /accuracy\s+0\.6\s+0\.92\s+-0\.32\s+degraded/);
    // Keyboard: the chart takes focus and the arrow keys read out the windows.
    await accuracy.focus();
    const readout = accuracy.locator('.readout');
    assert.match(await readout.innerText(), /^Latest window .*accuracy 0\.6; baseline 0\.92 — degraded$/);
    await page.keyboard.press('ArrowLeft');
    assert.match(await readout.innerText(), /accuracy 0\.9; baseline 0\.92$/);
    assert.equal(await accuracy.locator('circle.current').getAttribute('data-index'), '1');
    await screenshot(page, 'monitoring-6-performance');
    // Collapsed, and still collapsed when the panel is restored after a reload.
    await section.locator('summary').click();
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.tabs-container .tab', { hasText: /Drift: scored/ }).waitFor({ timeout: 30_000 });
    const restored = webview(page).locator('details[data-section="performance-history"]');
    await restored.waitFor({ timeout: 30_000 });
    assert.equal(await restored.getAttribute('open'), null);
  });

  await step(t, suite.wb, 'a 120-column drift JSON file opens from the palette and renders within budget', async () => {
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    await runCommand(page, 'Slipway: Open Drift Report from JSON File');
    // code-server's open dialog is a quick input holding a path; type once it has put the folder in it.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await page.waitForFunction(`document.querySelector('.quick-input-widget input')?.value.startsWith(${JSON.stringify(dir)})`);
    await input.fill(join(dir, 'wide-drift.json'));
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'wide-drift.json' }).first().waitFor();
    await input.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'Drift: wide-drift.json' }).waitFor();
    const view = webview(page);
    await view.locator('h1[data-field="summary"]', { hasText: /Drift detected in \d+ of 120 columns/ }).waitFor();
    assert.equal(await view.locator('table[data-section="columns"] tbody tr').count(), 120);
    const renderMs = Number(await view.locator('#app').getAttribute('data-render-ms'));
    console.log(`# 120-column report built and laid out in ${renderMs} ms`);
    assert.ok(renderMs < 500, `rendering took ${renderMs} ms`);
    await view.locator('button[data-column="num_0"]').click();
    await view.locator('#detail').getByText('this report was opened from a file').waitFor();
    await screenshot(page, 'monitoring-7-wide-file');
  });

  await step(t, suite.wb, 'the explorer offers the panel on .json files only, and opens the file it was invoked on', async () => {
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    await runCommand(page, 'View: Show Explorer');
    const entry = page.locator('.monaco-menu .action-item', { hasText: 'Open Drift Report from JSON File' });
    const csv = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'wide-ref.csv' });
    await csv.click({ button: 'right' });
    await page.locator('.monaco-menu .action-item').first().waitFor();
    assert.equal(await entry.count(), 0, 'not offered on a CSV file');
    await page.keyboard.press('Escape');
    const json = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'wide-drift.json' });
    await json.click({ button: 'right' });
    await entry.hover();
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab', { hasText: 'Drift: wide-drift.json' }).waitFor();
    await webview(page).locator('h1[data-field="summary"]', { hasText: /Drift detected in \d+ of 120 columns/ }).waitFor();
  });
});
