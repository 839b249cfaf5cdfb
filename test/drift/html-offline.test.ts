// The HTML report opened in Chromium with the network blocked: it renders and asks for nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, it } from 'node:test';
import { chromium } from 'playwright-core';
import { compareTables, renderDriftHtml } from '../../src/engine/drift';
import { coded, normal, numeric, pick, rng, table } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'slipway-html-'));
mkdirSync(join(__dirname, '..', '..', 'test-results'), { recursive: true });
after(() => rmSync(dir, { recursive: true, force: true }));

void it('renders 100 columns offline with zero network requests', { skip: existsSync(CHROMIUM) ? false : 'Chromium not installed' }, async () => {
  const r = rng(9);
  const side = (shift: number) => [
    ...Array.from({ length: 80 }, (_, k) => numeric(`num_${k}`, normal(r, 3000, k % 4 === 0 ? shift : 0))),
    ...Array.from({ length: 20 }, (_, k) => coded(`cat_${k}`, pick(r, 3000, ['a', 'b', 'c', 'd', 'e', 'f'], k % 5 === 0 && shift ? [6, 5, 4, 3, 2, 1] : [1, 2, 3, 4, 5, 6]))),
  ];
  const report = compareTables(table('reference.parquet', side(0)), table('current.parquet', side(0.5)));
  const file = join(dir, 'report.html');
  writeFileSync(file, renderDriftHtml(report));
  const url = pathToFileURL(file).href;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext();
    await context.setOffline(true);
    const requests: string[] = [];
    await context.route('**/*', async (route) => {
      const target = route.request().url();
      if (target === url) return route.continue();
      requests.push(target);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('request', (req) => { if (req.url() !== url) requests.push(req.url()); });
    await page.goto(url, { waitUntil: 'load' });
    await page.getByText(`Drift detected in ${report.number_of_drifted_columns} of 100 columns`).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 100);
    assert.equal(await page.locator('svg rect').count() > 100, true);
    // Kept for a look: test-results/ is git-ignored.
    await page.screenshot({ path: join(__dirname, '..', '..', 'test-results', 'drift-report.png'), fullPage: false });
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
  }
});
