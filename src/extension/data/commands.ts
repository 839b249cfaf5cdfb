import { isAbsolute, relative, sep } from 'node:path';
import type { DataAddOutput, DataCheckoutOutput, DataPullOutput, DataTransferOutput } from '../../shared/cli';
import type { CommandContext } from '../commands/context';
import type { CommandSpec } from '../commands/table';
import { commitItems } from './collect';
import { fetchCommits } from './fetch';
import { describeAdd, describeCheckout, describePull, describePush } from './report';
import { CliCancelled, CliError } from './runner';

/** Commits offered by "Checkout Data at Revision…". */
export const MAX_COMMITS = 50;

/** Absolute paths handed over by the explorer: the clicked resource, or every selected one (second argument). */
export function explorerPaths(args: readonly unknown[]): string[] {
  const fsPath = (value: unknown) => (value && typeof value === 'object' && 'fsPath' in value && typeof value.fsPath === 'string' ? value.fsPath : undefined);
  const selected = Array.isArray(args[1]) ? args[1].map(fsPath).filter((p): p is string => p !== undefined) : [];
  if (selected.length) return selected;
  const one = fsPath(args[0]);
  return one ? [one] : [];
}

/** Workspace-relative paths with `/`, or an error sentence naming the path outside the workspace. */
export function relativeTargets(root: string, paths: readonly string[]): string[] {
  return paths.map((path) => {
    const rel = relative(root, path);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${path} is not inside the workspace folder ${root}; only files and folders inside it can be tracked.`);
    return rel.split(sep).join('/');
  });
}

/** The tracked path of a Data tree row (its node id is `data:<path>`), if the command came from one. */
export function trackedPathOf(arg: unknown): string | undefined {
  if (arg && typeof arg === 'object' && 'id' in arg && typeof arg.id === 'string' && arg.id.startsWith('data:') && 'contextValue' in arg && arg.contextValue === 'dataPath') {
    return arg.id.slice('data:'.length);
  }
  return undefined;
}

/**
 * Runs a long CLI operation under a cancellable notification and reports its result in one sentence. Cancelling
 * ends the process; what it had finished stays, nothing is left half-written.
 */
async function runLong<T>(ctx: CommandContext, title: string, args: string[], describe: (out: T) => string): Promise<T | undefined> {
  try {
    const out = await ctx.ui.cancellable(title, (signal) => ctx.data.runCli<T>(args, signal));
    ctx.ui.info(describe(out));
    return out;
  } catch (error) {
    if (error instanceof CliCancelled) {
      ctx.ui.info(`Cancelled \`slipway ${args[0] ?? ''}\`. Paths it had finished keep their new versions; nothing is half-written.`);
      return undefined;
    }
    throw error;
  } finally {
    void ctx.data.tree.refresh();
  }
}

/** Checkout and pull refuse to overwrite changes the cache does not hold; offer to discard them. */
async function withForceOffer<T>(ctx: CommandContext, title: string, args: string[], describe: (out: T) => string): Promise<void> {
  try {
    await runLong(ctx, title, args, describe);
  } catch (error) {
    if (!(error instanceof CliError) || error.code !== 'INVALID_STATE') throw error;
    if (await ctx.ui.confirm(`${error.message}\n\nDiscard those workspace changes?`, 'Discard Changes and Check Out')) {
      await runLong(ctx, title, [...args, '--force'], describe);
    }
  }
}

function targetsOf(arg: unknown): string[] {
  const path = trackedPathOf(arg);
  return path ? [path] : [];
}

export const DATA_COMMANDS: readonly CommandSpec[] = [
  {
    id: 'slipway.refreshData',
    title: 'Refresh Data',
    needs: ['engine'],
    icon: '$(refresh)',
    async run({ data }) {
      await data.tree.refresh();
    },
  },
  {
    id: 'slipway.addData',
    title: 'Add to Data Versioning',
    needs: ['trust'],
    async run(ctx, ...args) {
      let paths = explorerPaths(args);
      if (!paths.length) paths = (await ctx.ui.choosePaths('Files or folders to track', ctx.data.root)) ?? [];
      if (!paths.length) return;
      const targets = relativeTargets(ctx.data.root, paths);
      await runLong<DataAddOutput>(ctx, `Tracking ${targets.length === 1 ? targets[0] : `${targets.length} paths`}…`, ['add', ...targets], describeAdd);
    },
  },
  {
    id: 'slipway.checkoutData',
    title: 'Checkout Data',
    needs: ['trust'],
    icon: '$(history)',
    async run(ctx, arg) {
      const targets = targetsOf(arg);
      await withForceOffer<DataCheckoutOutput>(ctx, `Checking out ${targets[0] ?? 'tracked data'}…`, ['checkout', ...targets], (o) => describeCheckout(o.checkedOut));
    },
  },
  {
    id: 'slipway.pushData',
    title: 'Push Data',
    needs: ['trust'],
    icon: '$(cloud-upload)',
    async run(ctx, arg) {
      const targets = targetsOf(arg);
      await runLong<DataTransferOutput>(ctx, `Pushing ${targets[0] ?? 'tracked data'} to the remote…`, ['push', ...targets], describePush);
    },
  },
  {
    id: 'slipway.pullData',
    title: 'Pull Data',
    needs: ['trust'],
    icon: '$(cloud-download)',
    async run(ctx, arg) {
      const targets = targetsOf(arg);
      await withForceOffer<DataPullOutput>(ctx, `Pulling ${targets[0] ?? 'tracked data'} from the remote…`, ['pull', ...targets], describePull);
    },
  },
  {
    id: 'slipway.checkoutDataAtRevision',
    title: 'Checkout Data at Revision…',
    needs: ['trust', 'engine'],
    async run(ctx) {
      const { engine, ui } = ctx;
      if (engine.state.kind !== 'connected') return;
      const { commits, reason } = await fetchCommits(engine.state.http, MAX_COMMITS, false);
      if (!commits.length) {
        ui.error(reason ?? 'There are no commits to check out data from yet.');
        return;
      }
      const rev = await ui.pick(commitItems(commits), 'Commit whose data versions to restore (its .dvc files are written too)');
      if (!rev) return;
      await withForceOffer<DataCheckoutOutput>(ctx, `Checking out the data at ${rev.slice(0, 10)}…`, ['checkout', '--rev', rev], (o) => describeCheckout(o.checkedOut, rev));
    },
  },
];
