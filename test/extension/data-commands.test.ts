import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext, Ui } from '../../src/extension/commands/context';
import { DATA_COMMANDS } from '../../src/extension/data/commands';
import { unmetPrecondition } from '../../src/extension/commands/preconditions';
import { runCli } from '../../src/extension/data/runner';
import { DIST, makeProject } from './fixture';

/** The command context with a scripted editor: messages are recorded, dialogs answer as told. */
function context(root: string, answers: { paths?: string[]; confirm?: boolean } = {}) {
  const infos: string[] = [];
  const errors: string[] = [];
  const confirms: string[] = [];
  let refreshes = 0;
  const ui: Ui = {
    info: (m) => infos.push(m),
    error: (m) => errors.push(m),
    pick: () => Promise.resolve(undefined),
    progress: (_title, work) => work(),
    cancellable: (_title, work) => work(new AbortController().signal),
    choosePaths: () => Promise.resolve(answers.paths),
    ask: () => Promise.resolve(undefined),
    openUntitled: () => Promise.resolve(),
    confirm: (message) => {
      confirms.push(message);
      return Promise.resolve(answers.confirm ?? false);
    },
  };
  const ctx = {
    ui,
    data: {
      root,
      tree: { refresh: () => Promise.resolve(void refreshes++) },
      runCli: <T>(args: readonly string[], signal?: AbortSignal) => runCli<T>({ cliScript: join(DIST, 'cli.js'), cwd: root, runtime: () => ({ command: process.execPath, env: {} }) }, args, signal),
    },
  } as unknown as CommandContext;
  return { ctx, infos, errors, confirms, refreshes: () => refreshes };
}

const command = (id: string) => DATA_COMMANDS.find((c) => c.id === id) ?? assert.fail(`no command ${id}`);

void test('every data command that runs the CLI needs a trusted workspace; only the revision pick needs the engine', () => {
  const untrusted = { engineConnected: true, engineProblem: undefined, trusted: false };
  for (const spec of DATA_COMMANDS.filter((c) => c.id !== 'slipway.refreshData')) {
    assert.match(unmetPrecondition(spec.title, spec.needs, untrusted) ?? '', /needs a trusted workspace/, spec.id);
  }
  assert.deepEqual(DATA_COMMANDS.filter((c) => c.needs.includes('engine')).map((c) => c.id), ['slipway.refreshData', 'slipway.checkoutDataAtRevision']);
});

void test('Add to Data Versioning from the explorer tracks the selection and reports what to commit', async () => {
  const root = makeProject({ git: true });
  writeFileSync(join(root, 'a.csv'), '1\n');
  writeFileSync(join(root, 'b.csv'), '2\n');
  const { ctx, infos, errors, refreshes } = context(root);
  await command('slipway.addData').run(ctx, { fsPath: join(root, 'a.csv') }, [{ fsPath: join(root, 'a.csv') }, { fsPath: join(root, 'b.csv') }]);
  assert.deepEqual(errors, []);
  assert.deepEqual(infos, ['Tracked a.csv, b.csv. Commit a.csv.dvc, b.csv.dvc, .gitignore to record the versions in git.']);
  assert.ok(existsSync(join(root, 'a.csv.dvc')) && existsSync(join(root, 'b.csv.dvc')));
  assert.equal(refreshes(), 1);
});

void test('from the palette it asks for paths; dismissing the dialog does nothing', async () => {
  const root = makeProject({ git: true });
  writeFileSync(join(root, 'c.csv'), '3\n');
  const dismissed = context(root);
  await command('slipway.addData').run(dismissed.ctx);
  assert.deepEqual([dismissed.infos, dismissed.errors], [[], []]);
  const chosen = context(root, { paths: [join(root, 'c.csv')] });
  await command('slipway.addData').run(chosen.ctx);
  assert.ok(existsSync(join(root, 'c.csv.dvc')));
});

void test('Checkout Data offers to discard unsaved changes and runs with --force only when confirmed', async () => {
  const root = makeProject({ git: true });
  writeFileSync(join(root, 'x.csv'), 'recorded\n');
  await command('slipway.addData').run(context(root).ctx, { fsPath: join(root, 'x.csv') });
  writeFileSync(join(root, 'x.csv'), 'edited\n');

  const declined = context(root, { confirm: false });
  await command('slipway.checkoutData').run(declined.ctx, { id: 'data:x.csv', contextValue: 'dataPath' });
  assert.equal(declined.confirms.length, 1);
  assert.match(declined.confirms[0]!, /x\.csv has changes that are not saved in the cache[\s\S]*Discard those workspace changes\?/);
  assert.equal(readFileSync(join(root, 'x.csv'), 'utf8'), 'edited\n');

  const accepted = context(root, { confirm: true });
  await command('slipway.checkoutData').run(accepted.ctx, { id: 'data:x.csv', contextValue: 'dataPath' });
  assert.equal(readFileSync(join(root, 'x.csv'), 'utf8'), 'recorded\n');
  assert.deepEqual(accepted.infos, ['Checked out the data: x.csv (updated).']);
});

void test('Push Data without a remote fails with the CLI sentence (the command table turns it into an error message)', async () => {
  const root = makeProject({ git: true });
  writeFileSync(join(root, 'y.csv'), '1\n');
  const { ctx } = context(root);
  await command('slipway.addData').run(ctx, { fsPath: join(root, 'y.csv') });
  await assert.rejects(Promise.resolve(command('slipway.pushData').run(ctx)), /remote/i);
});
