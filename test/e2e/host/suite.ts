import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { startCodeServer } from './code-server';
import { ensureTools } from './tools';
import { openWorkbench, screenshot } from './workbench';
import type { Workbench } from './workbench';
import { REPO } from '../../extension/fixture';

export interface Suite {
  wb: Workbench;
  codeServerUrl: string;
  stop(): Promise<void>;
}

/**
 * One suite = one fresh code-server and one browser on `folder`. Everything is stopped at the end, including any engine
 * the extension started in the folder (it runs detached, outside code-server's process group).
 */
export async function startSuite(name: string, folder: string, settings: Record<string, unknown> = {}): Promise<Suite> {
  if (!existsSync(join(REPO, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` (npm test does it) first.');
  const tools = ensureTools();
  if (tools.installed.length) console.log(`# installed for the e2e tests: ${tools.installed.join('; ')}`);
  const home = join(REPO, 'test-results', 'e2e-work', name);
  const server = await startCodeServer(tools.codeServer, REPO, home, settings);
  let wb: Workbench;
  try {
    wb = await openWorkbench(tools.chromium, join(home, 'chromium'), server.url, folder);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    wb,
    codeServerUrl: server.url,
    stop: async () => {
      await wb.close().catch(() => undefined);
      await server.stop();
      spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'engine', 'stop'], { cwd: folder, stdio: 'ignore' });
    },
  };
}

/** Runs one step; on failure saves a screenshot named after it before rethrowing. */
export async function step(t: TestContext, wb: Workbench, name: string, body: () => Promise<void>): Promise<void> {
  await t.test(name, async () => {
    try {
      await body();
    } catch (error) {
      await screenshot(wb.page, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-')}`).catch(() => undefined);
      throw error;
    }
  });
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

export function enginePid(dir: string): number {
  return (JSON.parse(readFileSync(join(dir, '.slipway', 'engine.json'), 'utf8')) as { pid: number }).pid;
}
