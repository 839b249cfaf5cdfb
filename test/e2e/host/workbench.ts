import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'test-results', 'e2e');

export interface Workbench {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Opens `folder` in the workbench served at `url`, with Debian's Chromium driven by playwright-core. */
export async function openWorkbench(chromiumPath: string, profileDir: string, url: string, folder: string): Promise<Workbench> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.monaco-workbench').waitFor();
  return { page, context, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Runs a palette command by its title, as a user would: F1, type, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** A notification toast whose text matches. */
export function toast(page: Page, text: RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text });
}

/** The Runs view's pane (its header is hidden while it is the container's only view, so match on its label). */
function runsView(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Runs"]') });
}

/** The Slipway Runs view's rows. */
export function runsRows(page: Page): Locator {
  return runsView(page).locator('.monaco-list-row');
}

/** The Runs view's pane body (message and rows). */
export function runsPane(page: Page): Locator {
  return runsView(page).locator('.pane-body');
}

export async function openSlipwayContainer(page: Page): Promise<void> {
  const item = page.locator('.activitybar .action-item', { has: page.locator('[aria-label^="Slipway"]') }).first();
  if ((await item.getAttribute('class'))?.includes('checked') !== true) await item.click();
  await runsPane(page).waitFor();
}

/** The content of the active webview: two iframes deep in VS Code's webview host. */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}
