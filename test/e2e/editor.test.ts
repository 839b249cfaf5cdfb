import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { cli, DIST, logRun, makeProject } from '../extension/fixture';
import { enginePid, startSuite, step, writeFiles } from './host/suite';
import { openSlipwayContainer, runCommand, runsPane, runsRows, screenshot, toast, webview } from './host/workbench';

const DVC_YAML = ['stages:', '  train:', '    cmd: python train.py', '    deps:', '    - train.py', '    - data/missing.csv', '    outs:', '    - model.pkl', ''].join('\n');
const SLIPWAY_YAML = 'version: 1\nalerts:\n  page:\n    monitors: [nightly]\n';

void test('the editor in a real VS Code host: Runs tree, live runs, palette, Problems, Show Run, engine loss', async (t) => {
  const dir = makeProject({ git: true });
  // An alert rule naming no declared monitor: the engine still loads the file, the language server flags the name.
  writeFiles(dir, { 'train.py': 'print("train")\n', 'dvc.yaml': DVC_YAML, 'slipway.yaml': SLIPWAY_YAML, 'models/credit.schema.yaml': 'columns:\n  age: { type: integr }\n' });
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'pipeline'], { cwd: dir });
  logRun(dir, 'credit', 'baseline', '0.75');

  const suite = await startSuite('editor', dir);
  t.after(() => suite.stop());
  const { page } = suite.wb;

  await step(t, suite.wb, 'the Runs tree shows experiments and runs with key metrics', async () => {
    await openSlipwayContainer(page);
    await runsRows(page).filter({ hasText: 'credit' }).waitFor();
    const baseline = runsRows(page).filter({ hasText: 'baseline' });
    await baseline.waitFor();
    assert.match(await baseline.innerText(), /accuracy=0\.75/);
    await screenshot(page, '1-runs-tree');
  });

  await step(t, suite.wb, 'a run logged from a terminal appears without pressing Refresh', async () => {
    const child = spawn(process.execPath, [join(DIST, 'cli.js'), 'run', '--experiment', 'credit', '--name', 'live', '--', process.execPath, join(DIST, 'cli.js'), 'log', 'metric', 'accuracy', '0.91'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number>((resolve) => child.once('exit', () => resolve(Date.now())));
    const row = runsRows(page).filter({ hasText: 'live' });
    await row.filter({ hasText: 'accuracy=0.91' }).waitFor();
    const shown = Date.now();
    const finished = await exited;
    console.log(`# run visible in the tree ${shown - finished} ms after the CLI exited`);
    assert.ok(shown - finished < 2000);
    await screenshot(page, '2-live-run');
  });

  await step(t, suite.wb, 'a palette command runs and reports', async () => {
    await runCommand(page, 'Slipway: Show Engine Status');
    await toast(page, /Slipway engine .* is running at http:\/\/127\.0\.0\.1:\d+/).waitFor();
    await screenshot(page, '3-palette-command');
  });

  await step(t, suite.wb, 'Problems: the dvc.yaml missing dep is a warning, slipway.yaml and schema errors too, each at its line and column', async () => {
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'Dependency "data/missing.csv" of stage "train" does not exist' });
    await problem.waitFor();
    assert.match(await problem.innerText(), /Ln 6, Col 7/);
    assert.equal(await problem.locator('.codicon-warning').count(), 1);
    // slipway.yaml and a schema nobody opened: errors from the workspace scan, at the list item and the type.
    const alert = page.locator('.markers-panel .monaco-list-row', { hasText: 'alerts.page.monitors: no monitor "nightly"' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Ln 4, Col 16/);
    assert.equal(await alert.locator('.codicon-error').count(), 1);
    const schema = page.locator('.markers-panel .monaco-list-row', { hasText: 'Unknown column type "integr" for age' });
    await schema.waitFor();
    assert.match(await schema.innerText(), /Ln 2, Col 16/);
    await screenshot(page, '4-problems');
  });

  await step(t, suite.wb, 'Show Run renders the run inside the webview, and again after a reload', async () => {
    await runCommand(page, 'Slipway: Show Run');
    // Type only once the run picker owns the input, or the keys land in the closing command palette.
    const picker = page.locator('.quick-input-widget input[placeholder="Run to show"]');
    await picker.waitFor();
    await picker.fill('live');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'credit' }).filter({ hasText: 'live' }).waitFor();
    await picker.press('Enter');
    const view = webview(page);
    await assertRunPanel(view);
    await screenshot(page, '5-show-run');
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForEvent('load');
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Run live' }).waitFor();
    const reloaded = Date.now();
    // A reload starts a new extension host; the panel is revived by the serializer once the extension activates.
    await webview(page).locator('h1[data-field="run-name"]', { hasText: 'live' }).waitFor({ timeout: 60_000 });
    console.log(`# Show Run restored ${Date.now() - reloaded} ms after the reload`);
    await assertRunPanel(webview(page));
    await screenshot(page, '6-show-run-restored');
  });

  await step(t, suite.wb, 'integrated terminals get MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN while the engine runs', async () => {
    await runCommand(page, 'Terminal: Create New Terminal');
    await page.locator('.terminal-wrapper.active .xterm-helper-textarea').waitFor({ state: 'attached' });
    await page.locator('.terminal-wrapper.active .xterm-screen').click();
    await page.keyboard.type('echo "$MLFLOW_TRACKING_URI $MLFLOW_TRACKING_TOKEN" > terminal-env.txt\n');
    const { url, token } = JSON.parse(readFileSync(join(dir, '.slipway', 'engine.json'), 'utf8')) as { url: string; token: string };
    await waitForFile(join(dir, 'terminal-env.txt'));
    assert.equal(readFileSync(join(dir, 'terminal-env.txt'), 'utf8').trim(), `${url} ${token}`);
    await screenshot(page, '7-terminal-env');
  });

  await step(t, suite.wb, 'the engine killed while the editor is open: the view says so, then recovers', async () => {
    process.kill(enginePid(dir), 'SIGKILL');
    await openSlipwayContainer(page);
    await runsPane(page).getByText(/has exited/).waitFor();
    await page.locator('.statusbar-item', { hasText: 'Slipway: engine stopped' }).waitFor();
    await screenshot(page, '8-engine-lost');
    cli(dir, 'engine', 'start');
    await runsRows(page).filter({ hasText: 'baseline' }).waitFor();
    assert.equal(await page.locator('.statusbar-item', { hasText: 'Slipway: engine stopped' }).count(), 0);
    await screenshot(page, '9-engine-back');
  });
});

async function assertRunPanel(view: ReturnType<typeof webview>): Promise<void> {
  await view.locator('h1[data-field="run-name"]', { hasText: 'live' }).waitFor();
  assert.equal(await view.locator('[data-field="status"]').innerText(), 'FINISHED');
  const overview = view.locator('table[data-section="overview"]');
  assert.match(await overview.innerText(), /Experiment\s+credit/);
  assert.match(await overview.innerText(), /Git commit\s+[0-9a-f]{40}/);
  assert.match(await overview.innerText(), /Git branch\s+main/);
  assert.match(await view.locator('table[data-section="metrics"]').innerText(), /accuracy\s+0\.91/);
  assert.match(await view.locator('table[data-section="artifacts"]').innerText(), /slipway\/output\.log/);
}

/** Resolves once `path` exists and is not empty (the shell creates it, then writes). */
function waitForFile(path: string, ms = 20_000): Promise<void> {
  const ready = () => existsSync(path) && statSync(path).size > 0;
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const watcher = watch(join(path, '..'), () => {
      if (!ready()) return;
      clearTimeout(timer);
      watcher.close();
      resolve();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${path} was not written within ${ms} ms`));
    }, ms);
  });
}
