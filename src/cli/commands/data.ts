import type { Command } from 'commander';
import type { DataAddOutput, DataCheckoutOutput, DataDiffOutput, DataFsckOutput, DataStatusOutput } from '../../shared/cli';
import { ExitCode } from '../../shared/cli';
import { DataRepo, WORKSPACE, add, checkout, diff, fsck, status, type Progress } from '../../engine/versioning';
import { ExitWith, action, emit, withJson } from '../output';
import { progressBar } from '../progress';

type JsonOption = { json?: boolean };

/** Opens the project's versioned data for the current folder, runs `fn`, and always stops the workers. */
export async function withRepo<T>(json: boolean, fn: (repo: DataRepo, onProgress: ((p: Progress) => void) | undefined) => Promise<T>): Promise<T> {
  const repo = DataRepo.forDirectory(process.cwd());
  const bar = progressBar(!json);
  try {
    return await fn(repo, bar.onProgress);
  } finally {
    bar.done();
    await repo.close();
  }
}

function gitHint(paths: string[]): string {
  return paths.length ? `\nTo record these versions in git:\n  git add ${paths.join(' ')}\n` : '';
}

/** Registers DVC's verbs at the top level: add, status, checkout, diff, fsck. */
export function registerData(program: Command): void {
  withJson(program.command('add <paths...>').description('track files or folders: hash them, store them in the cache and write <path>.dvc')).action(
    action(async (paths: string[], options: JsonOption) => {
      const added = await withRepo(options.json === true, (repo, onProgress) => add(repo, paths, { cwd: process.cwd(), onProgress }));
      const out: DataAddOutput = { added };
      emit(options.json === true, out, (o) => {
        const lines = o.added.map((r) => `${r.changed ? 'tracked ' : 'unchanged'} ${r.path}  ${r.md5}${r.nfiles === undefined ? '' : `  ${r.nfiles} files`}\n`);
        const changed = o.added.filter((r) => r.changed);
        const gitignores = [...new Set(changed.map((r) => (r.path.includes('/') ? `${r.path.slice(0, r.path.lastIndexOf('/'))}/.gitignore` : '.gitignore')))];
        return lines.join('') + gitHint([...changed.map((r) => r.dvcFile), ...gitignores]);
      });
    }),
  );

  withJson(program.command('status [targets...]').description('compare tracked data with its .dvc files and the cache')).action(
    action(async (targets: string[], options: JsonOption) => {
      const data = await withRepo(options.json === true, (repo, onProgress) => status(repo, targets, { cwd: process.cwd(), onProgress }));
      const out: DataStatusOutput = { data };
      emit(options.json === true, out, (o) => {
        const changed = o.data.filter((s) => s.workspace !== 'unchanged' || !s.inCache);
        if (!o.data.length) return 'No tracked data. Track files or folders with `slipway add <path>`.\n';
        if (!changed.length) return `Tracked data is up to date (${o.data.length} path${o.data.length === 1 ? '' : 's'}).\n`;
        return changed
          .map((s) => {
            const files = s.files ? ` (${s.files.added.length} added, ${s.files.modified.length} modified, ${s.files.deleted.length} deleted)` : '';
            const cache = s.inCache ? '' : '  [not in cache]';
            return `  ${s.workspace.padEnd(10)} ${s.path}${files}${cache}\n`;
          })
          .join('');
      });
    }),
  );

  withJson(
    program
      .command('checkout [targets...]')
      .description('restore tracked data to the versions its .dvc files record')
      .option('-f, --force', 'discard workspace changes that are not saved in the cache')
      .option('--rev <git-rev>', 'restore the versions recorded at this git revision (and write its .dvc files)'),
  ).action(
    action(async (targets: string[], options: JsonOption & { force?: boolean; rev?: string }) => {
      const checkedOut = await withRepo(options.json === true, (repo, onProgress) =>
        checkout(repo, targets, { cwd: process.cwd(), force: options.force === true, rev: options.rev, onProgress }),
      );
      const out: DataCheckoutOutput = { checkedOut };
      emit(options.json === true, out, (o) => {
        const changed = o.checkedOut.filter((r) => r.action !== 'unchanged');
        if (!changed.length) return 'Tracked data already matches.\n';
        return changed.map((r) => `  ${r.action.padEnd(9)} ${r.path}${r.removed ? ` (${r.written} written, ${r.removed} removed)` : ''}\n`).join('');
      });
    }),
  );

  withJson(
    program.command('diff [rev-a] [rev-b]').description(`tracked data added, modified or deleted between two git revisions (default: HEAD and the ${WORKSPACE})`),
  ).action(
    action(async (revA: string | undefined, revB: string | undefined, options: JsonOption) => {
      const out: DataDiffOutput = await withRepo(options.json === true, (repo) => diff(repo, revA ?? 'HEAD', revB ?? WORKSPACE));
      emit(options.json === true, out, (o) => {
        const rows = [
          ...o.added.map((e) => `  added     ${e.path}\n`),
          ...o.modified.map((e) => `  modified  ${e.path}\n`),
          ...o.deleted.map((e) => `  deleted   ${e.path}\n`),
        ];
        return rows.length ? rows.join('') : 'No tracked data changed.\n';
      });
    }),
  );

  withJson(program.command('fsck').description("verify every object in the data cache against its hash (exit 1 when any is corrupt)")).action(
    action(async (options: JsonOption) => {
      const out: DataFsckOutput = await withRepo(options.json === true, (repo, onProgress) => fsck(repo, { onProgress }));
      emit(options.json === true, out, (o) =>
        o.corrupt.length
          ? `${o.corrupt.length} of ${o.checked} objects are corrupt:\n${o.corrupt.map((c) => `  ${c.path}: ${c.reason}\n`).join('')}Restore them from a remote, or delete them and add their data again.\n`
          : `All ${o.checked} objects match their hashes.\n`,
      );
      if (out.corrupt.length) throw new ExitWith(ExitCode.negative);
    }),
  );
}
